/* serve_rules.c - the HTTP rules of the preview server, without I/O or
 * state: what a request path names, which language a reader asks for, the
 * type of a file, ETag matching, and the form in which an HTML page is
 * served (the reload script in, the CSP opened for it). */
#define _GNU_SOURCE
#include <limits.h>
#include <string.h>
#include <strings.h>
#include "buf.h"
#include "escape.h"
#include "serve_rules.h"
#include "util.h"

/* Path segments in a request: deeper paths cannot exist in the output. */
#define MAX_URL_SEGMENTS 64

/* The page tells the event stream which build it came from (data-build). */
#define SCRIPT_TAG "<script src=\"" SERVE_SCRIPT_PATH "\" data-build=\"%llu\"></script>\n"

static const struct {
	const char *ext, *type;
} content_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "svg", "image/svg+xml" },
	{ "xml", "application/xml" },
	{ "pdf", "application/pdf" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/x-icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "ttf", "font/ttf" },
	{ "otf", "font/otf" },
	{ "webmanifest", "application/manifest+json" },
};

const char *serve_content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;
	if (dot)
		for (i = 0; i < ARRAY_SIZE(content_types); i++)
			if (!strcasecmp(dot + 1, content_types[i].ext))
				return content_types[i].type;
	return "application/octet-stream";
}

void serve_add_url_path(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c)) {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The whole path is decoded before it is split, so that an encoded '/'
 * (..%2f) or '.' (%2e%2e) makes the same segments as a plain one. */
unsigned serve_decode_path(const char *raw, struct buf *rel, int *dir_url)
{
	struct buf path = BUF_INIT;
	const char *p, *seg;
	size_t segments = 0;
	unsigned status = 0;
	if (raw[0] != '/')
		return 400;
	for (p = raw; *p; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int hi = hex_digit(p[1]), lo = hi < 0 ? -1 : hex_digit(p[2]);
			if (lo < 0) {
				status = 400;
				goto out;
			}
			c = hi * 16 + lo;
			p += 2;
		}
		if (c < 0x20 || c == 0x7f || c == '\\') {
			status = 400;
			goto out;
		}
		buf_addc(&path, (char)c);
	}
	*dir_url = path.ptr[path.len - 1] == '/';
	for (seg = path.ptr; *seg;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
			status = 400;
			goto out;
		}
		if (n && (seg[0] == '.' || n > NAME_MAX || ++segments > MAX_URL_SEGMENTS))
			status = 404; /* keep looking for a ".." */
		if (n) {
			if (rel->len)
				buf_addc(rel, '/');
			buf_add(rel, seg, n);
		}
		seg += n + (end != NULL);
	}
out:
	buf_release(&path);
	return status;
}

/* The q-value of an Accept-Language item's parameters in thousandths
 * (1000 when absent), or 0 when malformed. */
static int parse_q(const char *p, const char *end)
{
	while (p < end) {
		const char *next;
		int q, scale = 100;
		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		next = p < end ? memchr(p, ';', (size_t)(end - p)) : NULL;
		if (!next)
			next = end;
		if (next - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			if (p >= next || (*p != '0' && *p != '1'))
				return 0;
			q = (*p++ - '0') * 1000;
			if (p < next && *p == '.')
				for (p++; p < next && *p >= '0' && *p <= '9' && scale; p++, scale /= 10)
					q += (*p - '0') * scale;
			while (p < next && (*p == ' ' || *p == '\t'))
				p++;
			return p == next && q <= 1000 ? q : 0;
		}
		p = next;
	}
	return 1000;
}

/* The language that matches the range best: the same tag, else one of them
 * a prefix of the other at a '-' ("es-MX" and "es"), ignoring case; -1 for
 * none. "*" is the first language. */
static int match_range(const char *r, size_t n, char *const *langs, size_t n_langs)
{
	size_t i;
	if (n == 1 && r[0] == '*')
		return 0;
	for (i = 0; i < n_langs; i++)
		if (strlen(langs[i]) == n && !strncasecmp(r, langs[i], n))
			return (int)i;
	for (i = 0; i < n_langs; i++) {
		size_t t = strlen(langs[i]), m = n < t ? n : t;
		if (!strncasecmp(r, langs[i], m) && (n > t ? r[t] == '-' : langs[i][n] == '-'))
			return (int)i;
	}
	return -1;
}

size_t serve_pick_language(const char *accept, char *const *langs, size_t n_langs)
{
	int best = 0, best_q = 0;
	const char *p = accept;
	while (p && *p) {
		size_t len = strcspn(p, ","), start = 0, range_end, semi;
		int q, lang;
		while (start < len && (p[start] == ' ' || p[start] == '\t'))
			start++;
		semi = start + strcspn(p + start, ";,");
		range_end = semi;
		while (range_end > start && (p[range_end - 1] == ' ' || p[range_end - 1] == '\t'))
			range_end--;
		q = semi < len ? parse_q(p + semi, p + len) : 1000;
		if (q > best_q && range_end > start) {
			lang = match_range(p + start, range_end - start, langs, n_langs);
			if (lang >= 0) {
				best = lang;
				best_q = q;
			}
		}
		p += len + (p[len] == ',');
	}
	return (size_t)best;
}

/* Like strstr over s[0..n), ignoring ASCII case. */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;
	for (i = 0; k <= n && i <= n - k; i++)
		if (!strncasecmp(s + i, needle, k))
			return s + i;
	return NULL;
}

/* Decodes the character references an attribute value may use for the
 * characters of a CSP ("&#39;none&#39;"); others are kept as they are. */
static void decode_attribute(struct buf *out, const char *s, size_t n)
{
	static const struct {
		const char *name;
		char c;
	} refs[] = { { "&amp;", '&' }, { "&quot;", '"' }, { "&apos;", '\'' }, { "&#39;", '\'' },
		     { "&#x27;", '\'' }, { "&#X27;", '\'' }, { "&lt;", '<' }, { "&gt;", '>' } };
	size_t i, j;
	for (i = 0; i < n; i++) {
		if (s[i] == '&')
			for (j = 0; j < ARRAY_SIZE(refs); j++) {
				size_t k = strlen(refs[j].name);
				if (k <= n - i && !strncmp(s + i, refs[j].name, k)) {
					buf_addc(out, refs[j].c);
					i += k - 1;
					goto next;
				}
			}
		buf_addc(out, s[i]);
next:;
	}
}

/* 1 if the source list src[0..n) allows the page's own origin. */
static int allows_self(const char *src, size_t n)
{
	const char *end = src + n;
	while (src < end) {
		const char *t;
		while (src < end && (*src == ' ' || *src == '\t' || *src == '\n'))
			src++;
		for (t = src; t < end && *t != ' ' && *t != '\t' && *t != '\n'; t++)
			;
		if ((t - src == 6 && !strncasecmp(src, "'self'", 6)) || (t - src == 1 && *src == '*'))
			return 1;
		src = t;
	}
	return 0;
}

/* Appends "name sources" with 'self' among the sources ('none' dropped). */
static void allow_self(struct buf *out, const char *name, const char *src, size_t n)
{
	const char *end = src + n;
	int self = 0;
	buf_adds(out, name);
	while (src < end) {
		const char *t;
		while (src < end && (*src == ' ' || *src == '\t' || *src == '\n'))
			src++;
		for (t = src; t < end && *t != ' ' && *t != '\t' && *t != '\n'; t++)
			;
		if (t > src && !((size_t)(t - src) == 6 && !strncasecmp(src, "'none'", 6))) {
			self |= (size_t)(t - src) == 6 && !strncasecmp(src, "'self'", 6);
			buf_addc(out, ' ');
			buf_add(out, src, (size_t)(t - src));
		}
		src = t;
	}
	if (!self)
		buf_adds(out, " 'self'");
}

/* Appends the policy rewritten so that the page may load the reload script
 * and open the event stream from its own origin: script-src and
 * connect-src get 'self'; where they are missing and default-src does not
 * allow 'self', they are added from default-src. Everything else is kept. */
static void rewrite_csp(struct buf *out, const char *policy, size_t n)
{
	static const char *const wanted[] = { "script-src", "connect-src" };
	const char *p = policy, *end = policy + n, *def = NULL;
	size_t def_len = 0, i;
	int seen[2] = { 0, 0 };
	while (p < end) {
		const char *stop = memchr(p, ';', (size_t)(end - p)), *name_end, *last;
		if (!stop)
			stop = end;
		while (p < stop && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		for (last = stop; last > p && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\n');)
			last--;
		for (name_end = p; name_end < last && *name_end != ' ' && *name_end != '\t';)
			name_end++;
		if (last > p) {
			size_t name_len = (size_t)(name_end - p);
			if (out->len)
				buf_adds(out, "; ");
			for (i = 0; i < ARRAY_SIZE(wanted); i++)
				if (name_len == strlen(wanted[i]) && !strncasecmp(p, wanted[i], name_len))
					break;
			if (i < ARRAY_SIZE(wanted)) {
				seen[i] = 1;
				allow_self(out, wanted[i], name_end, (size_t)(last - name_end));
			} else {
				if (name_len == 11 && !strncasecmp(p, "default-src", 11)) {
					def = name_end;
					def_len = (size_t)(last - name_end);
				}
				buf_add(out, p, (size_t)(last - p));
			}
		}
		p = stop + 1;
	}
	for (i = 0; i < ARRAY_SIZE(wanted); i++)
		if (!seen[i] && def && !allows_self(def, def_len)) {
			if (out->len)
				buf_adds(out, "; ");
			allow_self(out, wanted[i], def, def_len);
		}
}

/* A small attribute scanner, not an HTML parser: the pages are carepress's
 * own templates, and a page it misreads only keeps its CSP (the script is
 * then refused by the browser, which is safe). */
void serve_prepare_page(struct buf *out, const char *html, size_t len, unsigned long long gen)
{
	const char *end = html + len, *head_end = find_ci(html, len, "</head"), *p = html;
	const char *copied = html, *body = NULL, *m;
	struct buf policy = BUF_INIT, csp = BUF_INIT;
	if (!head_end)
		head_end = end;
	while ((m = find_ci(p, (size_t)(head_end - p), "<meta")) != NULL) {
		const char *q = m + 5, *vs = NULL, *ve = NULL;
		char quote = 0;
		int is_csp = 0;
		if (q < end && *q != ' ' && *q != '\t' && *q != '\n' && *q != '/' && *q != '>') {
			p = q;
			continue;
		}
		while (q < end && *q != '>') {
			const char *name = q, *name_end, *v = NULL, *v_end = NULL;
			char qc = 0;
			while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '/'))
				q++;
			for (name = q; q < end && !strchr(" \t\n=>/", *q); q++)
				;
			name_end = q;
			while (q < end && (*q == ' ' || *q == '\t' || *q == '\n'))
				q++;
			if (q < end && *q == '=') {
				q++;
				while (q < end && (*q == ' ' || *q == '\t' || *q == '\n'))
					q++;
				if (q < end && (*q == '"' || *q == '\'')) {
					qc = *q++;
					v = q;
					v_end = memchr(q, qc, (size_t)(end - q));
					if (!v_end)
						v_end = end;
					q = v_end < end ? v_end + 1 : end;
				} else {
					for (v = q; q < end && !strchr(" \t\n>", *q); q++)
						;
					v_end = q;
				}
			}
			if (name_end == name)
				break;
			if (v && (size_t)(name_end - name) == 10 && !strncasecmp(name, "http-equiv", 10) &&
			    (size_t)(v_end - v) == 23 && !strncasecmp(v, "content-security-policy", 23))
				is_csp = 1;
			if (v && (size_t)(name_end - name) == 7 && !strncasecmp(name, "content", 7)) {
				vs = v;
				ve = v_end;
				quote = qc;
			}
		}
		if (is_csp && vs) {
			buf_add(out, copied, (size_t)(vs - copied));
			buf_reset(&policy);
			buf_reset(&csp);
			decode_attribute(&policy, vs, (size_t)(ve - vs));
			rewrite_csp(&csp, policy.ptr, policy.len);
			/* An unquoted value may have gained spaces: quote it. */
			if (!quote)
				buf_addc(out, '"');
			escape_html(out, csp.ptr, csp.len);
			if (!quote)
				buf_addc(out, '"');
			copied = ve;
		}
		p = q;
	}
	for (p = copied; (m = find_ci(p, (size_t)(end - p), "</body")) != NULL; p = m + 6)
		body = m;
	if (!body)
		body = end;
	buf_add(out, copied, (size_t)(body - copied));
	buf_addf(out, SCRIPT_TAG, gen);
	buf_add(out, body, (size_t)(end - body));
	buf_release(&policy);
	buf_release(&csp);
}

int serve_etag_matches(const char *header, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (!strncmp(p, etag, n) && (!p[n] || strchr(" \t,", p[n])))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}
