/* source.h - reading content files: size limit, encoding checks and
 * normalization to what every later stage assumes (UTF-8, NFC, LF line
 * ends, no BOM). Never prints; returns diagnostics. */
#ifndef CAREPRESS_SOURCE_H
#define CAREPRESS_SOURCE_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"

/* Reads path into out (replacing its contents) and normalizes it: a UTF-8
 * BOM is dropped, CRLF and lone CR become LF, text is NFC. Refuses a file
 * over limit bytes, a NUL byte and invalid UTF-8 (the column is the byte
 * offset in its line, 1-based). Returns 0, or -1 after adding a diagnostic. */
int source_read(const char *path, size_t limit, struct buf *out, struct diags *d);

struct stamps;
/* The same, and adds the file's stamp (its stat and a hash of its bytes as
 * read, from one descriptor) to stamps, if not NULL. */
int source_read_stamped(const char *path, size_t limit, struct buf *out, struct stamps *stamps,
			struct diags *d);

/* 1 if path, with every symbolic link followed, is inside the directory
 * whose real path is root (from realpath), 0 if not or if it does not
 * exist. Content must not read files outside the source dir. */
int source_inside(const char *root, const char *path);

/* Normalizes text already in memory the same way (in place in out); path is
 * for diagnostics. Returns 0 or -1. */
int source_normalize(const char *path, struct buf *text, struct diags *d);

/* Returns the byte length of the valid UTF-8 sequence at s (at most n bytes),
 * or 0 if it is not valid UTF-8 (overlongs, surrogates and values above
 * U+10FFFF are invalid). */
size_t utf8_valid_len(const unsigned char *s, size_t n);

#endif
