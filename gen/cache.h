/* cache.h - the build cache: what every input file was (stat and a hash of
 * its bytes) when the output was last built, kept in the output dir. When
 * nothing changed, a build ends after a stat of each input, without
 * reading, rendering or writing. Exact, never stale: a file whose stat
 * could hide a change (written within CACHE_RACY_NS of that build's start,
 * as git's "racy" index entries) is compared by its bytes. */
#ifndef CAREPRESS_CACHE_H
#define CAREPRESS_CACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "buf.h"
#include "hash.h"

#define CACHE_FILE ".carepress-cache"
#define CACHE_RACY_NS (2LL * 1000000000LL)

struct stamp {
	char *path;        /* owned */
	int64_t mtime_ns;
	int64_t size;
	uint64_t ino;
	uint64_t hash;     /* of the bytes as read, before normalization */
};

struct stamps {
	struct stamp *v;
	size_t n, cap;
	int64_t started_ns;  /* wall clock when the build began */
	uint64_t options;    /* what else the output depends on (version, --strict) */
	pthread_mutex_t lock;
};

void stamps_init(struct stamps *s, uint64_t options);
void stamps_release(struct stamps *s);
/* Adds a stamp (path copied). Thread-safe. */
void stamps_add(struct stamps *s, const char *path, int64_t mtime_ns, int64_t size,
		uint64_t ino, uint64_t hash);
/* Reads, stats and hashes path and adds its stamp; -1 if it cannot be read
 * (the build will report it when it reads the file). */
int stamps_add_file(struct stamps *s, const char *path);
/* Appends the cache file's text (stamps sorted by path) to out. */
void stamps_format(struct stamps *s, struct buf *out);

/* 1 if dir holds a cache for these options whose inputs are exactly the
 * files in paths (sorted, n of them) and none of them changed; 0 otherwise. */
int cache_unchanged(const char *dir, uint64_t options, char *const *paths, size_t n);

/* The stamps of an earlier build's cache, by path. */
struct cache_table {
	struct stamps stamps;
	struct hash by_path;    /* path -> struct stamp * in stamps */
	int64_t started_ns;     /* when that build began */
};
/* Reads dir's cache for these options into t; t is empty when there is
 * none, it was made with other options, or it is damaged. */
void cache_read(const char *dir, uint64_t options, struct cache_table *t);
/* path's stamp in t if the file is still what it says by its stat alone
 * (now: the same mtime, size and inode, and an mtime older than
 * CACHE_RACY_NS before that build began), else NULL. Thread-safe. */
const struct stamp *cache_trusted(const struct cache_table *t, const char *path,
				  const struct stat *now);
void cache_table_release(struct cache_table *t);

#endif
