/* escape.h - the one place that escapes text for HTML. Every value placed in
 * a page goes through one of these, chosen by context. */
#ifndef CAREPRESS_ESCAPE_H
#define CAREPRESS_ESCAPE_H

#include <stddef.h>
#include "buf.h"

/* Appends s with & < > " ' escaped: safe in element text and in quoted
 * attribute values. */
void escape_html(struct buf *out, const char *s, size_t len);
/* Appends a URL for an href/src attribute: percent-encodes bytes outside the
 * URL-safe set (keeping existing %XX), then HTML-escapes. The caller must have
 * checked the scheme with url_is_safe. */
void escape_url(struct buf *out, const char *s, size_t len);
/* Returns 1 if url has no scheme (relative), or a scheme of http, https,
 * mailto or tel; 0 for javascript:, data:, vbscript: and anything else.
 * Case-insensitive; control bytes and spaces before the colon do not hide
 * a scheme. */
int url_is_safe(const char *url, size_t len);

#endif
