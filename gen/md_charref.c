/* md_charref.c - the pass that keeps characters no page may hold out of
 * the tree. cmark-gfm decodes a numeric character reference to whatever it
 * names: &#x1B; becomes the byte ESC, and &#xFFFF; the lone byte 0xFF (its
 * UTF-8 encoder's marker for U+FFFF). The page's file could hold neither
 * (source.c refuses them), so each one in the tree came from a reference:
 * it is reported at the reference and replaced by U+FFFD, so that the HTML
 * stays well-formed even while the page fails. (&#0;, surrogates and values
 * past U+10FFFF are U+FFFD already, as CommonMark says.) Never prints. */
#include <stdlib.h>
#include <string.h>
#include "md_internal.h"
#include "source.h"
#include "util.h"

/* Byte ranges of the body, [a, b). */
struct spans {
	size_t (*v)[2];
	size_t n, cap;
};

struct refs {
	struct md *m;
	struct spans literal;  /* code and raw HTML: references there stay text */
	struct spans reported; /* references already reported: [offset, offset + 1) */
	int have_literal;      /* literal is filled (only once a bad character is seen) */
};

static void spans_add(struct spans *s, size_t a, size_t b)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, st_mult(s->cap, sizeof(*s->v)));
	}
	s->v[s->n][0] = a;
	s->v[s->n][1] = b;
	s->n++;
}

static int spans_have(const struct spans *s, size_t off)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (off >= s->v[i][0] && off < s->v[i][1])
			return 1;
	return 0;
}

/* The body offset of line:col (1-based, as cmark-gfm gives them), kept
 * inside that line; the body's length when the line is not in the body. */
static size_t body_at(const struct md *m, int line, int col)
{
	size_t start, end;
	if (line < 1 || (size_t)line > m->n_lines)
		return m->len;
	start = m->lines[line - 1];
	end = m->lines[line] - 1; /* the '\n', or len on the last line */
	if (col < 1)
		col = 1;
	return start + (size_t)(col - 1) < end ? start + (size_t)(col - 1) : end;
}

/* The code point of the numeric character reference at s[0, n) as cmark-gfm
 * decodes it (1 to 7 decimal or 1 to 6 hex digits, then ';'), its length in
 * *len; 0 when s does not start one. */
static unsigned ref_at(const char *s, size_t n, size_t *len)
{
	size_t i = 2, digits = 0;
	unsigned long cp = 0;
	int hex;
	if (n < 4 || s[0] != '&' || s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	i += (size_t)hex;
	for (; i < n && digits < (hex ? 6u : 7u); i++, digits++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0'
			: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
	}
	if (!digits || i >= n || s[i] != ';')
		return 0;
	*len = i + 1;
	if (!cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	return (unsigned)cp;
}

/* 1 if the '&' at off is escaped by an odd run of backslashes. */
static int escaped(const struct md *m, size_t off)
{
	size_t n = 0;
	while (off > n && m->body[off - n - 1] == '\\')
		n++;
	return n % 2;
}

/* The offset of the first reference in [a, b) that names cp, is decoded
 * (not in code, raw HTML or after a backslash) and is (reported == 1) or is
 * not (reported == 0) reported already; (size_t)-1 if there is none. */
static size_t find_ref(struct refs *r, size_t a, size_t b, unsigned cp, int reported)
{
	const struct md *m = r->m;
	size_t i, len;
	if (b > m->len)
		b = m->len;
	for (i = a; i < b; i++) {
		const char *amp = memchr(m->body + i, '&', b - i);
		if (!amp)
			break;
		i = (size_t)(amp - m->body);
		if (ref_at(amp, m->len - i, &len) == cp && !escaped(m, i) &&
		    !spans_have(&r->literal, i) && spans_have(&r->reported, i) == reported)
			return i;
	}
	return (size_t)-1;
}

/* Collects the body ranges where references are not decoded. */
static void find_literal(struct refs *r)
{
	cmark_iter *it = cmark_iter_new(r->m->doc);
	cmark_event_type ev;
	r->have_literal = 1;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		int first, fence_length, fence_offset;
		char fence_char;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_start_line(n) < 1)
			continue;
		if (t != CMARK_NODE_CODE && t != CMARK_NODE_CODE_BLOCK &&
		    t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE)
			continue;
		/* A fence's info string, on its first line, is decoded. */
		first = cmark_node_get_start_line(n) +
			(t == CMARK_NODE_CODE_BLOCK &&
			 cmark_node_get_fenced(n, &fence_length, &fence_offset, &fence_char));
		spans_add(&r->literal,
			  first > cmark_node_get_start_line(n) ? body_at(r->m, first, 1)
				  : body_at(r->m, first, cmark_node_get_start_column(n)),
			  body_at(r->m, cmark_node_get_end_line(n), cmark_node_get_end_column(n)) + 1);
	}
	cmark_iter_free(it);
}

/* Reports the reference that put code point cp into node n: the first one
 * in n's own range not yet reported, else none when one in its range was
 * (a link and its text share it), else the first anywhere (a link reference
 * definition is elsewhere), else at n with what the text holds. */
static void report(struct refs *r, cmark_node *n, unsigned cp)
{
	struct md *m = r->m;
	struct buf what = BUF_INIT;
	size_t a = m->len, b = 0, off, len;
	int line, col;
	if (!r->have_literal)
		find_literal(r);
	if (cmark_node_get_start_line(n) > 0 && cmark_node_get_end_line(n) > 0) {
		a = body_at(m, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
		b = body_at(m, cmark_node_get_end_line(n), cmark_node_get_end_column(n)) + 1;
	}
	off = a < b ? find_ref(r, a, b, cp, 0) : (size_t)-1;
	if (off == (size_t)-1 && a < b && find_ref(r, a, b, cp, 1) != (size_t)-1)
		return;
	if (off == (size_t)-1)
		off = find_ref(r, 0, m->len, cp, 0);
	if (off == (size_t)-1 && find_ref(r, 0, m->len, cp, 1) != (size_t)-1)
		return;
	source_char_describe(cp, &what);
	if (off == (size_t)-1) {
		md_pos(n, &line, &col);
		md_diag(m, RULE_ENCODING, line, col, "text holds %s", what.ptr);
	} else {
		spans_add(&r->reported, off, off + 1);
		for (line = 1; m->lines[line] <= off; line++)
			;
		col = (int)(off - m->lines[line - 1]) + 1;
		ref_at(m->body + off, m->len - off, &len);
		md_diag(m, RULE_ENCODING, line, col, "character reference '%s' names a %s",
			md_quote(m, m->body + off, len),
			cp < 0xA0 ? "control character" : "noncharacter");
	}
	diag_note(m->d, "remove it; XML and HTML do not allow %s in a page", what.ptr);
	buf_release(&what);
}

/* Reports and replaces with U+FFFD each character of s that no page may
 * hold; sets it back on n with set when it changed. */
static void clean(struct refs *r, cmark_node *n, const char *s,
		  int (*set)(cmark_node *, const char *))
{
	const unsigned char *u = (const unsigned char *)s;
	struct buf out = BUF_INIT;
	size_t i = 0, done = 0, n_bytes = s ? strlen(s) : 0;
	while (i < n_bytes) {
		size_t len;
		unsigned cp;
		/* Printable ASCII, tab and line ends: most text, and always allowed. */
		if ((u[i] >= 0x20 && u[i] < 0x7f) || u[i] == '\t' || u[i] == '\n' || u[i] == '\r') {
			i++;
			continue;
		}
		len = utf8_valid_len(u + i, n_bytes - i);
		cp = len ? utf8_decode(u + i, len) : u[i] == 0xFE || u[i] == 0xFF ? 0xFF00u | u[i]
										: 0xFFFD;
		if (len && source_char_allowed(cp)) {
			i += len;
			continue;
		}
		if (cp != 0xFFFD)
			report(r, n, cp);
		buf_add(&out, s + done, i - done);
		buf_adds(&out, "\xEF\xBF\xBD");
		i += len ? len : 1;
		done = i;
	}
	if (done) {
		buf_add(&out, s + done, n_bytes - done);
		set(n, out.ptr);
	}
	buf_release(&out);
}

void md_pass_char_refs(struct md *m)
{
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	struct refs r;
	memset(&r, 0, sizeof(r));
	r.m = m;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			clean(&r, n, cmark_node_get_literal(n), cmark_node_set_literal);
			break;
		case CMARK_NODE_CODE_BLOCK:
			clean(&r, n, cmark_node_get_fence_info(n), cmark_node_set_fence_info);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			/* On exit: the link's text has taken the references in it. */
			if (ev == CMARK_EVENT_EXIT) {
				clean(&r, n, cmark_node_get_url(n), cmark_node_set_url);
				clean(&r, n, cmark_node_get_title(n), cmark_node_set_title);
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	free(r.literal.v);
	free(r.reported.v);
}
