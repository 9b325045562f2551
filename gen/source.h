/* source.h - reading content files: size limit, encoding checks and
 * normalization to what every later stage assumes (UTF-8, NFC, LF line
 * ends, no BOM). Never prints; returns diagnostics. */
#ifndef CAREPRESS_SOURCE_H
#define CAREPRESS_SOURCE_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"

/* Reads path into out (replacing its contents) and normalizes it: a UTF-8
 * BOM is dropped, CRLF and lone CR become LF, text is NFC. Refuses what is
 * not a regular file (without blocking on a FIFO), a file over limit bytes,
 * a NUL byte, invalid UTF-8, and characters source_char_allowed refuses
 * (the column is the byte offset in its line, 1-based). Returns 0, or -1
 * after adding a diagnostic. */
int source_read(const char *path, size_t limit, struct buf *out, struct diags *d);

struct stamps;
/* The same, and adds the file's stamp (its stat and a hash of its bytes as
 * read, from one descriptor) to stamps, if not NULL. */
int source_read_stamped(const char *path, size_t limit, struct buf *out, struct stamps *stamps,
			struct diags *d);
/* Reads path as it is (an asset: any bytes), with the same refusal of what
 * is not a regular file and of a file over limit bytes, and the same stamp.
 * Returns 0, or -1 after adding a diagnostic. */
int source_read_bytes(const char *path, size_t limit, struct buf *out, struct stamps *stamps,
		      struct diags *d);

/* Checks where path leads with every symbolic link followed: content must
 * not read files outside the source dir, whose real path (from realpath) is
 * root; source_dir names it in notes. Returns 0 if path leads inside root,
 * or does not exist at all (reading it says so); -1 after a diagnostic on
 * path if it leads outside [path], or is a symbolic link that dangles or
 * loops [io]. */
int source_check_link(const char *root, const char *source_dir, const char *path,
		      struct diags *d);

/* Normalizes text already in memory the same way (in place in out); path is
 * for diagnostics. Returns 0 or -1. */
int source_normalize(const char *path, struct buf *text, struct diags *d);

/* 1 if code point cp may be in content text, 0 for a control character
 * other than tab, LF and CR (C0, DEL, C1), a noncharacter (U+FDD0 to
 * U+FDEF, U+FFFE and U+FFFF in every plane), a surrogate or a value above
 * U+10FFFF. XML forbids C0 controls and U+FFFE/U+FFFF; HTML makes every
 * control and noncharacter a parse error; so no page may hold them. */
int source_char_allowed(unsigned cp);

/* Appends what a refused code point is, for a message: "control character
 * 0x1B" (C0 and DEL, one byte), "control character U+0085" (C1),
 * "noncharacter U+FFFF", "surrogate U+D800". */
void source_char_describe(unsigned cp, struct buf *out);

/* Returns the byte length of the valid UTF-8 sequence at s (at most n bytes),
 * or 0 if it is not valid UTF-8 (overlongs, surrogates and values above
 * U+10FFFF are invalid). */
size_t utf8_valid_len(const unsigned char *s, size_t n);

/* The code point of the valid UTF-8 sequence of len bytes at s (len from
 * utf8_valid_len). */
unsigned utf8_decode(const unsigned char *s, size_t len);

#endif
