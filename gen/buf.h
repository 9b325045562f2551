/* buf.h - the one growable byte buffer.
 * Invariants (as git's strbuf): ptr is never NULL, ptr[len] == '\0', capacity
 * grows by 1.5x with an overflow check. buf_detach is the only way to take the
 * memory; after buf_release the buffer is empty and reusable. */
#ifndef CAREPRESS_BUF_H
#define CAREPRESS_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char *ptr;   /* never NULL; points at a shared "" until the first growth */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated; 0 while ptr is the shared "" */
};

#define BUF_INIT { buf_empty, 0, 0 }
extern char buf_empty[];

void buf_init(struct buf *b, size_t hint);
/* Frees the memory and leaves b empty (BUF_INIT). */
void buf_release(struct buf *b);
/* Returns the malloc'd string (caller frees) and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Makes room for extra more bytes plus the NUL. */
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_truncate(struct buf *b, size_t len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
/* Inline: renderers and escapers add most of their output a byte at a time. */
static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}
/* Adds n in decimal: for numbers in hot paths, where buf_addf's
 * vsnprintf costs a thousand instructions a call. */
void buf_add_uint(struct buf *b, uint64_t n);
/* The same for a signed number. */
void buf_add_int(struct buf *b, int64_t n);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);

#endif
