/* util.h - allocation that never returns NULL, and BUG() for programmer errors.
 * Out of memory is not an input error: the only sane reaction is to stop, so
 * these print "carepress: fatal: out of memory" and abort; no call site checks. */
#ifndef CAREPRESS_UTIL_H
#define CAREPRESS_UTIL_H

#include <stddef.h>

/* Like malloc/calloc/realloc/strdup, but never return NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Returns a*b, stopping like xmalloc if it overflows size_t. */
size_t st_mult(size_t a, size_t b);

/* Memory the allocator keeps: main.c asks glibc to keep what is freed
 * (giving it back and faulting it in again for every page costs more than
 * the memory), so a stage that frees much and is followed by one that needs
 * much calls memory_give_back() between them, and the peak is the larger
 * of the two, not their sum. A no-op elsewhere. */
void memory_keep_freed(void);
void memory_give_back(void);

/* Report a broken invariant (a bug in carepress, never bad input) and abort. */
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)
void bug_at(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
