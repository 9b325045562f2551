/* arena.c - bump allocator: blocks of at least ARENA_BLOCK bytes, freed at once. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "util.h"

/* Big enough that a typical page needs a handful of blocks. */
#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN (sizeof(max_align_t))

struct arena_block {
	struct arena_block *next;
	size_t size;
	max_align_t data[];
};

/* size bytes from a, not zeroed. */
static void *alloc_raw(struct arena *a, size_t size)
{
	struct arena_block *blk;
	void *p;
	if (size > SIZE_MAX - ARENA_ALIGN - ARENA_BLOCK)
		BUG("arena allocation too large");
	size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (!a->head || a->used + size > a->head->size) {
		size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		blk = xmalloc(sizeof(*blk) + bsize);
		blk->size = bsize;
		blk->next = a->head;
		a->head = blk;
		a->used = 0;
		a->total += bsize;
	}
	p = (char *)a->head->data + a->used;
	a->used += size;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = alloc_raw(a, size);
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	/* Every byte is written: no need to zero them first. */
	char *p = alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		BUG("vsnprintf failed for '%s'", fmt);
	p = alloc_raw(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_block *blk = a->head, *next;
	for (; blk; blk = next) {
		next = blk->next;
		free(blk);
	}
	a->head = NULL;
	a->used = a->total = 0;
}
