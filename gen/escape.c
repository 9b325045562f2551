/* escape.c - escaping for HTML text, attributes and URLs. */
#include <ctype.h>
#include <string.h>
#include "escape.h"

void escape_html(struct buf *out, const char *s, size_t len)
{
	size_t i, start = 0;
	for (i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(out, s + start, i - start);
		buf_adds(out, rep);
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

/* Bytes kept as they are in an href: RFC 3986 unreserved and reserved
 * characters, and '%' (an existing escape). Everything else is encoded. */
static int url_keep(unsigned char c)
{
	return isalnum(c) || (c && strchr("-._~:/?#[]@!$&'()*+,;=%", c));
}

void escape_url(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '&') {
			buf_adds(out, "&amp;");
		} else if (c == '\'') {
			buf_adds(out, "&#39;");
		} else if (url_keep(c)) {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
	}
}

int url_is_safe(const char *url, size_t len)
{
	static const char *const safe[] = { "http", "https", "mailto", "tel" };
	char scheme[16];
	size_t i, colon, n = 0;
	for (colon = 0; colon < len; colon++) {
		char c = url[colon];
		if (c == ':')
			break;
		if (c == '/' || c == '?' || c == '#')
			return 1; /* a path before any colon: relative */
	}
	if (colon == len)
		return 1;
	for (i = 0; i < colon; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= ' ' || c == 0x7f)
			continue; /* browsers drop these: "java\tscript:" is javascript: */
		if (n + 1 >= sizeof(scheme))
			return 0; /* no safe scheme is this long */
		scheme[n++] = (char)tolower(c);
	}
	scheme[n] = '\0';
	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (!strcmp(scheme, safe[i]))
			return 1;
	return 0;
}
