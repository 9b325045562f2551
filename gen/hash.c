/* hash.c - open-addressing string hash table with linear probing. */
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "util.h"

uint64_t hash_bytes(const void *data, size_t len)
{
	/* Eight bytes a step with a multiply-xorshift mix (splitmix64's
	 * constants): output files are hashed on every build, so speed matters;
	 * nothing adversarial depends on it. */
	const unsigned char *p = data;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len, v;
	while (len >= 8) {
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		p += 8;
		len -= 8;
	}
	v = 0;
	memcpy(&v, p, len);
	h = (h ^ v) * 0x94D049BB133111EBULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

void hasher_init(struct hasher *s)
{
	memset(s, 0, sizeof(*s));
	s->h = 0x9E3779B97F4A7C15ULL;
}

static void hasher_word(struct hasher *s, uint64_t v)
{
	s->h = (s->h ^ v) * 0xBF58476D1CE4E5B9ULL;
	s->h ^= s->h >> 31;
}

void hasher_add(struct hasher *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t v;
	s->len += len;
	if (s->n_tail) {
		size_t k = 8 - s->n_tail < len ? 8 - s->n_tail : len;
		memcpy(s->tail + s->n_tail, p, k);
		s->n_tail += k;
		p += k;
		len -= k;
		if (s->n_tail < 8)
			return;
		memcpy(&v, s->tail, 8);
		hasher_word(s, v);
		s->n_tail = 0;
	}
	while (len >= 8) {
		memcpy(&v, p, 8);
		hasher_word(s, v);
		p += 8;
		len -= 8;
	}
	memcpy(s->tail, p, len);
	s->n_tail = len;
}

uint64_t hasher_end(const struct hasher *s)
{
	uint64_t v = 0, h;
	memcpy(&v, s->tail, s->n_tail);
	h = (s->h ^ v ^ s->len) * 0x94D049BB133111EBULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

static struct hash_entry *find_slot(struct hash_entry *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash_bytes(key, strlen(key)) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct hash *h)
{
	size_t i, cap = h->cap ? h->cap * 2 : 16;
	struct hash_entry *slots = xcalloc(cap, sizeof(*slots));
	for (i = 0; i < h->cap; i++)
		if (h->slots[i].key)
			*find_slot(slots, cap, h->slots[i].key) = h->slots[i];
	free(h->slots);
	h->slots = slots;
	h->cap = cap;
}

void *hash_put(struct hash *h, const char *key, void *value)
{
	struct hash_entry *e;
	void *old;
	if ((h->n + 1) * 4 > h->cap * 3)
		grow(h);
	e = find_slot(h->slots, h->cap, key);
	if (!e->key) {
		e->key = key;
		e->value = value;
		h->n++;
		return NULL;
	}
	old = e->value;
	e->value = value;
	return old;
}

void *hash_get(const struct hash *h, const char *key)
{
	struct hash_entry *e;
	if (!h->cap)
		return NULL;
	e = find_slot(h->slots, h->cap, key);
	return e->key ? e->value : NULL;
}

void hash_release(struct hash *h)
{
	free(h->slots);
	h->slots = NULL;
	h->cap = h->n = 0;
}
