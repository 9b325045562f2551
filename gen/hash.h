/* hash.h - string-keyed hash table (open addressing, a fast 64-bit hash) for pages,
 * facts and anchors, so no lookup is a scan. Keys are not copied: they must
 * outlive the table. Not thread-safe for writers; many readers are fine. */
#ifndef CAREPRESS_HASH_H
#define CAREPRESS_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hash_entry {
	const char *key;
	void *value;
};

struct hash {
	struct hash_entry *slots;
	size_t cap;  /* power of two, or 0 */
	size_t n;
};

#define HASH_INIT { NULL, 0, 0 }

/* A 64-bit hash of len bytes (fast, not cryptographic). */
uint64_t hash_bytes(const void *data, size_t len);

/* A 64-bit hash of bytes given a piece at a time (the same mix as
 * hash_bytes, but not the same values): for output files, written in pieces
 * and compared with the manifest's hash. Pieces may have any length. */
struct hasher {
	uint64_t h, len;
	unsigned char tail[8];
	size_t n_tail;
};
void hasher_init(struct hasher *s);
void hasher_add(struct hasher *s, const void *data, size_t len);
uint64_t hasher_end(const struct hasher *s);
/* Sets key to value, replacing an existing value; returns the old one or NULL. */
void *hash_put(struct hash *h, const char *key, void *value);
/* Returns the value of key, or NULL. */
void *hash_get(const struct hash *h, const char *key);
/* Frees the slots (not keys or values). */
void hash_release(struct hash *h);

#endif
