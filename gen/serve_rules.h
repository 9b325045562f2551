/* serve_rules.h - the HTTP rules of the preview server (serve.c), kept free
 * of I/O and state so that each can be tested alone. */
#ifndef CAREPRESS_SERVE_RULES_H
#define CAREPRESS_SERVE_RULES_H

#include <stddef.h>
#include "buf.h"

#define SERVE_SCRIPT_PATH "/__carepress/reload.js"
#define SERVE_EVENTS_PATH "/__carepress/events"

/* The Content-Type of a file by the extension of its name ("text/html;
 * charset=utf-8"); application/octet-stream for an unknown one. Static. */
const char *serve_content_type(const char *name);
/* Appends s percent-encoded except for unreserved bytes and '/', so that a
 * path is safe in a Location header. */
void serve_add_url_path(struct buf *b, const char *s);
/* Decodes a request path, still percent-encoded, into its non-empty
 * segments joined by '/' ("en/urgent-care") appended to rel; *dir_url is set
 * when it ends in '/'. Returns 0, or the HTTP status to refuse it with: 400
 * for a malformed escape, a NUL or other control byte, a backslash, a "."
 * or ".." segment however encoded (%2e%2e, %2f); 404 for a hidden name
 * (.carepress-manifest) or a path deeper than any output. */
unsigned serve_decode_path(const char *raw, struct buf *rel, int *dir_url);
/* The index of the language an Accept-Language header (may be NULL) asks
 * for among the n tags (n >= 1, site.yaml order): the highest q-value that
 * matches a tag (exactly, else at a '-' boundary: "es-MX" for "es"), the
 * earlier item on a tie; 0 when nothing matches. */
size_t serve_pick_language(const char *accept, char *const *langs, size_t n);
/* 1 if an If-None-Match header names etag (weak or strong) or is "*". */
int serve_etag_matches(const char *header, const char *etag);
/* Appends the page html[0..len) as the preview serves it: the reload
 * script of build `build` inserted before the last </body> (else at the
 * end), and each Content-Security-Policy meta in the head changed so that
 * script-src and connect-src allow 'self'. Every other byte is kept. */
void serve_prepare_page(struct buf *out, const char *html, size_t len, unsigned long long build);

#endif
