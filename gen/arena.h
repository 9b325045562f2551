/* arena.h - bump allocator for data that lives exactly as long as one page
 * (or one build): allocate freely, free everything at once. Not thread-safe:
 * one arena belongs to one thread at a time. */
#ifndef CAREPRESS_ARENA_H
#define CAREPRESS_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used;   /* bytes used in head */
	size_t total;  /* bytes allocated in all blocks, for the memory report */
};

#define ARENA_INIT { NULL, 0, 0 }

/* Returns zeroed memory aligned for any type; never NULL. Valid until
 * arena_release. */
void *arena_alloc(struct arena *a, size_t size);
/* Copies n bytes of s and a NUL into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every allocation at once; the arena is empty and reusable. */
void arena_release(struct arena *a);

#endif
