/* md_inline.c - the passes over inline text: facts ({{ name }} becomes its
 * value, as text, never markup), phone numbers (tel: links, vanity numbers
 * checked, numbers typed by hand that are facts reported) and link/image
 * destinations (schemes checked, the rest resolved by the caller). Never
 * prints. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "escape.h"
#include "md_internal.h"
#include "phone.h"
#include "util.h"

/* A growable array of nodes, for passes that change the tree: they collect
 * what to change first, because a cmark_iter must not see its tree change. */
struct nodes {
	cmark_node **v;
	size_t n, cap;
};

static void nodes_push(struct nodes *ns, cmark_node *node)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 64;
		ns->v = xrealloc(ns->v, st_mult(ns->cap, sizeof(*ns->v)));
	}
	ns->v[ns->n++] = node;
}

static int is_type(cmark_node *n, cmark_node_type t)
{
	return n && cmark_node_get_type(n) == t;
}

/* ---- facts -------------------------------------------------------------- */

/* A run of inline nodes that read as one piece of text: TEXT nodes and the
 * soft breaks between them (a fact may be wrapped onto the next line). S is
 * their text, with '\n' for a soft break; seg[i] starts at off[i] in S. */
struct run {
	struct buf s;
	struct nodes seg;
	size_t *off;
};

/* A fact's replacement is built here, then put in place of the run. */
struct pieces {
	struct md *m;
	const struct run *r;
	struct nodes out;
};

static int fact_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int has_http_scheme(const char *v)
{
	return !strncmp(v, "http://", 7) || !strncmp(v, "https://", 8);
}

/* Approximate body position of S[o], for text split off the run: the column
 * of its node plus the offset in the literal, which is at or before the true
 * column (escapes make the source longer), so searches from it still work. */
static void run_at(const struct run *r, size_t o, int *line, int *col)
{
	size_t i = r->seg.n;
	while (i > 1 && r->off[i - 1] > o)
		i--;
	i--;
	if (!is_type(r->seg.v[i], CMARK_NODE_TEXT) && i + 1 < r->seg.n) {
		md_pos(r->seg.v[i + 1], line, col);
		return;
	}
	md_pos(r->seg.v[i], line, col);
	*col += (int)(o - r->off[i]);
}

/* Adds S[a, b) as TEXT nodes, with SOFTBREAK nodes for its '\n's. */
static void piece_text(struct pieces *p, const char *s, size_t a, size_t b)
{
	while (a < b) {
		const char *nl = memchr(s + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - s) : b;
		if (e > a) {
			cmark_node *t = md_new_text(s + a, e - a);
			struct md_info *info = md_info(p->m, t);
			run_at(p->r, a, &info->line, &info->col);
			nodes_push(&p->out, t);
		}
		if (nl)
			nodes_push(&p->out, cmark_node_new(CMARK_NODE_SOFTBREAK));
		a = e + (nl != NULL);
	}
}

/* What a URL fact shows: "https://kp.org/getcare/" -> "kp.org/getcare". */
static cmark_node *url_display(const char *v)
{
	size_t len;
	v += !strncmp(v, "https://", 8) ? 8 : 7;
	len = strlen(v);
	if (len && v[len - 1] == '/')
		len--;
	return md_new_text(v, len);
}

static void piece_fact(struct pieces *p, const char *name, const char *value,
		       int in_link, int line, int col)
{
	struct md *m = p->m;
	struct md_info *info;
	cmark_node *t;
	const char *stored = arena_strdup(m->a, name);

	md_set_add(&m->facts, stored);
	if (has_http_scheme(value) && !in_link) {
		cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
		cmark_node_set_url(link, value);
		info = md_info(m, link);
		info->kind = MD_FACT_LINK;
		info->href = arena_strdup(m->a, value);
		t = url_display(value);
		cmark_node_append_child(link, t);
		info = md_info(m, t);
		info->kind = MD_FACT;
		info->fact = stored;
		nodes_push(&p->out, link);
		return;
	}
	t = has_http_scheme(value) ? url_display(value) : md_new_text(value, strlen(value));
	info = md_info(m, t);
	info->kind = MD_FACT;
	info->fact = stored;
	info->phone = !strncmp(name, "phone.", 6) && !in_link;
	info->line = line;
	info->col = col;
	nodes_push(&p->out, t);
}

/* Body position of the "{{" at S[o]. The column is searched in the source
 * (the literal has lost escapes and entities), after the previous "{{" of the
 * same node: every "{{" is looked at in order, so the search is linear. */
struct run_cursor {
	size_t seg;   /* segment of the previous "{{", or SIZE_MAX */
	int col;      /* its column */
};

static void run_pos(struct md *m, const struct run *r, struct run_cursor *cur, size_t o,
		    int *line, int *col)
{
	size_t i = r->seg.n;
	int from;
	while (i > 1 && r->off[i - 1] > o)
		i--;
	i--;
	md_pos(r->seg.v[i], line, &from);
	if (cur->seg == i)
		from = cur->col + 2;
	*col = md_find_col(m, *line, from, "{{", 2, 0);
	if (!*col)
		*col = from;
	cur->seg = i;
	cur->col = *col;
}

/* Replaces {{ name }} in one run. */
static void facts_in_run(struct md *m, struct run *r, int in_link)
{
	const struct md_env *env = m->env;
	struct pieces p = { m, r, { NULL, 0, 0 } };
	struct run_cursor cur = { (size_t)-1, 0 };
	const char *s = r->s.ptr;
	size_t pos = 0, done = 0, i;
	char *o, *close = NULL;
	int no_close = 0;

	while ((o = strstr(s + pos, "{{"))) {
		size_t open = (size_t)(o - s), a, b, k;
		char *again = strstr(o + 2, "{{");
		const char *name, *value;
		int line, col, valid = 1;

		/* The next "}}" is searched again only once passed: many unclosed
		 * "{{" in a paragraph stay linear. */
		if (!no_close && (!close || close < o + 2)) {
			close = strstr(o + 2, "}}");
			no_close = !close;
		}
		run_pos(m, r, &cur, open, &line, &col);
		if (!close || (again && again < close)) {
			md_diag(m, RULE_FACT_UNKNOWN, line, col, "'{{' without a closing '}}'");
			diag_note(m->d, "'{{' is only for facts, written '{{ group.name }}'");
			pos = open + 2;
			continue;
		}
		a = open + 2;
		b = (size_t)(close - s);
		while (a < b && is_space((unsigned char)s[a]))
			a++;
		while (b > a && is_space((unsigned char)s[b - 1]))
			b--;
		for (k = a; k < b; k++)
			valid &= fact_char((unsigned char)s[k]);
		/* Valid names need no quoting; others are only shown. */
		name = valid ? arena_strndup(m->a, s + a, b - a) : md_quote(m, s + a, b - a);
		value = valid && a < b && env->fact ? env->fact(env->ctx, name) : NULL;
		pos = (size_t)(close - s) + 2;
		if (a == b) {
			md_diag(m, RULE_FACT_UNKNOWN, line, col, "empty fact '%s'",
				md_quote(m, s + open, pos - open));
			diag_note(m->d, "write the fact's name, as in '{{ phone.member_services }}'");
			continue;
		}
		if (!value) {
			const char *hint = did_you_mean(name, env->fact_names, env->n_facts);
			md_diag(m, RULE_FACT_UNKNOWN, line, col, "unknown fact '%s'", name);
			if (hint)
				diag_note(m->d, "did you mean '%s'?", hint);
			else
				diag_note(m->d, "facts are defined once, under 'facts:' in site.yaml");
			continue;
		}
		piece_text(&p, s, done, open);
		piece_fact(&p, name, value, in_link, line, col);
		done = pos;
	}
	if (!p.out.n)
		return;  /* nothing replaced: leave the run as cmark made it */
	piece_text(&p, s, done, r->s.len);
	for (i = 0; i < p.out.n; i++)
		cmark_node_insert_before(r->seg.v[0], p.out.v[i]);
	for (i = 0; i < r->seg.n; i++)
		md_drop(r->seg.v[i]);
	free(p.out.v);
}

/* A TEXT node that starts a run: no TEXT before it, directly or across a
 * soft break. */
static int run_head(cmark_node *n)
{
	cmark_node *prev = cmark_node_previous(n);
	if (is_type(prev, CMARK_NODE_SOFTBREAK))
		prev = cmark_node_previous(prev);
	return !is_type(prev, CMARK_NODE_TEXT);
}

/* {{ name }} in a link or image destination: the whole destination may be a
 * fact, "[register](<{{ url.register }}>)" or "[register]({{url.register}})". */
static void facts_in_url(struct md *m, cmark_node *link)
{
	const struct md_env *env = m->env;
	const char *url = cmark_node_get_url(link), *close, *value = NULL, *hint;
	int line, col, valid = 1;
	size_t a, b, k;
	char *name;

	if (!strstr(url, "{{"))
		return;
	md_pos(link, &line, &col);
	k = (size_t)md_find_col(m, line, col, "{{", 2, 0);
	if (k)
		col = (int)k;
	close = strstr(url, "}}");
	if (strncmp(url, "{{", 2) || !close || close[2]) {
		md_diag(m, RULE_FACT_UNKNOWN, line, col, "link destination '%s' is not one fact",
			md_quote(m, url, strlen(url)));
		diag_note(m->d, "a destination is a URL, a page, or one whole fact: "
			  "'(<{{ url.name }}>)'");
		return;
	}
	a = 2;
	b = (size_t)(close - url);
	while (a < b && is_space((unsigned char)url[a]))
		a++;
	while (b > a && is_space((unsigned char)url[b - 1]))
		b--;
	for (k = a; k < b; k++)
		valid &= fact_char((unsigned char)url[k]);
	name = xstrndup(url + a, b - a);
	if (valid && a < b && env->fact)
		value = env->fact(env->ctx, name);
	if (value) {
		md_set_add(&m->facts, arena_strdup(m->a, name));
		cmark_node_set_url(link, value);
	} else {
		hint = did_you_mean(name, env->fact_names, env->n_facts);
		md_diag(m, RULE_FACT_UNKNOWN, line, col, "unknown fact '%s'",
			md_quote(m, name, strlen(name)));
		if (hint)
			diag_note(m->d, "did you mean '%s'?", hint);
	}
	free(name);
}

void md_pass_facts(struct md *m)
{
	struct nodes heads = { NULL, 0, 0 }, links = { NULL, 0, 0 };
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	size_t i, j;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (is_type(n, CMARK_NODE_TEXT) && run_head(n))
			nodes_push(&heads, n);
		else if (is_type(n, CMARK_NODE_LINK) || is_type(n, CMARK_NODE_IMAGE))
			nodes_push(&links, n);
	}
	cmark_iter_free(it);

	for (i = 0; i < heads.n; i++) {
		struct run r = { BUF_INIT, { NULL, 0, 0 }, NULL };
		cmark_node *n = heads.v[i];
		int braces = 0;
		for (; n; n = cmark_node_next(n)) {
			if (is_type(n, CMARK_NODE_SOFTBREAK) && !is_type(cmark_node_next(n), CMARK_NODE_TEXT))
				break;
			if (!is_type(n, CMARK_NODE_SOFTBREAK) && !is_type(n, CMARK_NODE_TEXT))
				break;
			nodes_push(&r.seg, n);
		}
		r.off = xmalloc(st_mult(r.seg.n, sizeof(*r.off)));
		for (j = 0; j < r.seg.n; j++) {
			r.off[j] = r.s.len;
			if (is_type(r.seg.v[j], CMARK_NODE_TEXT))
				buf_adds(&r.s, cmark_node_get_literal(r.seg.v[j]));
			else
				buf_addc(&r.s, '\n');
		}
		braces = strstr(r.s.ptr, "{{") != NULL;
		if (braces)
			facts_in_run(m, &r, md_in_link(heads.v[i]));
		buf_release(&r.s);
		free(r.seg.v);
		free(r.off);
	}
	for (i = 0; i < links.n; i++)
		facts_in_url(m, links.v[i]);
	free(heads.v);
	free(links.v);
}

/* ---- phone numbers ------------------------------------------------------ */

static cmark_node *tel_link(struct md *m, const char *digits)
{
	cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
	struct md_info *info = md_info(m, link);
	info->kind = MD_TEL;
	info->href = arena_printf(m->a, "tel:%s", digits);
	cmark_node_set_url(link, info->href);
	return link;
}

/* A phone.* fact: a tel: link whatever its form ("711"); a vanity value is
 * checked like a typed one, at the place that uses it. */
static void phone_fact(struct md *m, cmark_node *t, struct md_info *info)
{
	const char *v = cmark_node_get_literal(t);
	struct buf digits = BUF_INIT;
	struct phone_match pm;
	size_t len = strlen(v);
	cmark_node *link;

	if (phone_scan(v, len, 0, &pm) && pm.vanity && !pm.vanity_ok) {
		md_diag(m, RULE_PHONE_VANITY, info->line, info->col,
			"vanity number '%s' in fact '%s' spells %s but its digits are %s",
			md_quote(m, v + pm.start, pm.end - pm.start), info->fact, pm.spelled,
			pm.expected);
		diag_note(m->d, "fix the fact in site.yaml; on a phone keypad ABC=2 DEF=3 "
			  "GHI=4 JKL=5 MNO=6 PQRS=7 TUV=8 WXYZ=9");
	}
	phone_value_digits(v, len, &digits);
	if (digits.len) {
		link = tel_link(m, digits.ptr);
		cmark_node_insert_before(t, link);
		cmark_node_unlink(t);
		cmark_node_append_child(link, t);
	}
	buf_release(&digits);
}

/* The fact named for a typed number, trying the ten-digit form too. */
static const char *typed_fact(struct md *m, const char *digits)
{
	const char *name;
	if (!m->env->fact_for_phone)
		return NULL;
	name = m->env->fact_for_phone(m->env->ctx, digits);
	if (!name && digits[0] == '1')
		name = m->env->fact_for_phone(m->env->ctx, digits + 1);
	return name;
}

/* A TEXT node for s[0, len) at body line/col (for later diagnostics). */
static cmark_node *text_at(struct md *m, const char *s, size_t len, int line, int col)
{
	cmark_node *t = md_new_text(s, len);
	struct md_info *info = md_info(m, t);
	info->line = line;
	info->col = col;
	return t;
}

/* Phone numbers in one TEXT node become tel: links. */
static void phones_in_text(struct md *m, cmark_node *t)
{
	struct md_info *info = md_info_get(t);
	int from_fact = info && info->kind == MD_FACT;
	const char *lit = cmark_node_get_literal(t);
	size_t len = strlen(lit), from = 0, done = 0;
	struct nodes out = { NULL, 0, 0 };
	struct phone_match pm;
	int line, col0, col = 0;
	size_t i;

	md_pos(t, &line, &col0);
	while (phone_scan(lit, len, from, &pm)) {
		const char *written = lit + pm.start;
		size_t wlen = pm.end - pm.start;
		cmark_node *link;

		if (pm.start > done)
			nodes_push(&out, text_at(m, lit + done, pm.start - done, line,
						 col0));
		/* Searched after the previous number: linear in the line. A number
		 * in a fact's value is reported at the fact. */
		col = from_fact ? 0 : md_find_col(m, line, col0, written, wlen, 0);
		if (col)
			col0 = col + (int)wlen;
		else
			col = col0;
		if (pm.vanity && !pm.vanity_ok) {
			md_diag(m, RULE_PHONE_VANITY, line, col,
				"vanity number '%s' spells %s but its digits are %s",
				md_quote(m, written, wlen), pm.spelled, pm.expected);
			diag_note(m->d, "fix the letters or the digits; on a phone keypad ABC=2 DEF=3 "
				  "GHI=4 JKL=5 MNO=6 PQRS=7 TUV=8 WXYZ=9");
		}
		if (!info || info->kind != MD_FACT) {
			const char *name = typed_fact(m, pm.digits);
			if (name) {
				md_diag(m, RULE_FACT_TYPED, line, col,
					"phone number typed by hand; use {{ %s }}", name);
				diag_note(m->d, "'%s' is the value of fact '%s'; a fact is changed in "
					  "one place, site.yaml", md_quote(m, written, wlen), name);
			}
		}
		link = tel_link(m, pm.digits);
		md_info(m, link)->line = line;
		md_info(m, link)->col = col;
		cmark_node_append_child(link, text_at(m, written, wlen, line, col));
		nodes_push(&out, link);
		from = done = pm.end;
	}
	if (!out.n)
		return;
	if (done < len)
		nodes_push(&out, text_at(m, lit + done, len - done, line, col0));
	for (i = 0; i < out.n; i++)
		cmark_node_insert_before(t, out.v[i]);
	md_drop(t);
	free(out.v);
}

void md_pass_phones(struct md *m)
{
	struct nodes texts = { NULL, 0, 0 };
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	size_t i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && is_type(n, CMARK_NODE_TEXT) && !md_in_link(n))
			nodes_push(&texts, n);
	}
	cmark_iter_free(it);
	for (i = 0; i < texts.n; i++) {
		struct md_info *info = md_info_get(texts.v[i]);
		if (info && info->kind == MD_FACT && info->phone)
			phone_fact(m, texts.v[i], info);
		else
			phones_in_text(m, texts.v[i]);
	}
	free(texts.v);
}

/* ---- links and images --------------------------------------------------- */

/* url_is_safe, for destinations that may be relative. A destination without
 * ':' has no scheme; url_is_safe is not asked about it because it refuses
 * relative names of 15 bytes or more with no '/' ("ways-to-get-care.md"). */
static int url_safe(const char *url)
{
	return !strchr(url, ':') || url_is_safe(url, strlen(url));
}

/* 1 if url (already url_is_safe) names a scheme: a ':' before any '/', '?'
 * or '#'. */
static int has_scheme(const char *url)
{
	for (; *url; url++) {
		if (*url == ':')
			return 1;
		if (*url == '/' || *url == '?' || *url == '#')
			return 0;
	}
	return 0;
}

/* An alt text that is a file name ("photo.jpg", "IMG_0042.JPEG"). */
static int is_file_name(const char *alt, const char *src)
{
	static const char *const exts[] = { ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp",
					    ".avif", ".bmp", ".tif", ".tiff", ".heic" };
	const char *base = strrchr(src, '/');
	size_t len = strlen(alt), i;
	if (!strcmp(alt, base ? base + 1 : src))
		return 1;
	if (strpbrk(alt, " \t"))
		return 0;
	for (i = 0; i < ARRAY_SIZE(exts); i++) {
		size_t el = strlen(exts[i]);
		if (len > el && !strncasecmp(alt + len - el, exts[i], el))
			return 1;
	}
	return 0;
}

static void check_alt(struct md *m, cmark_node *img, int line, int col)
{
	struct buf alt = BUF_INIT;
	const char *src = cmark_node_get_url(img);
	size_t a = 0, b;
	md_plain_text(img, &alt);
	b = alt.len;
	while (a < b && is_space((unsigned char)alt.ptr[a]))
		a++;
	while (b > a && is_space((unsigned char)alt.ptr[b - 1]))
		b--;
	buf_truncate(&alt, b);
	if (a == b) {
		md_diag(m, RULE_IMAGE_ALT, line, col, "image '%s' has no alt text",
			md_quote(m, src, strlen(src)));
		diag_note(m->d, "describe what it shows: '![a nurse on a video call](%s)'",
			  md_quote(m, src, strlen(src)));
	} else if (is_file_name(alt.ptr + a, src)) {
		md_diag(m, RULE_IMAGE_ALT, line, col, "alt text '%s' is a file name",
			md_quote(m, alt.ptr + a, b - a));
		diag_note(m->d, "describe what the image shows, for people who cannot see it");
	}
	buf_release(&alt);
}

/* Where a link starts. cmark-gfm 0.29.0.gfm.6 gives <autolinks> columns
 * shifted by the paragraph's offsets, so when the column does not hold '[' or
 * '!' the link's text is looked for on its line instead. */
static void link_pos(struct md *m, cmark_node *n, int *line, int *col)
{
	cmark_node *t = cmark_node_first_child(n);
	const char *lit;
	size_t off;
	int c;

	md_pos(n, line, col);
	if (*line < 1 || (size_t)*line > m->n_lines)
		return;
	off = m->lines[*line - 1] + (size_t)*col - 1;
	if (off < m->len && (m->body[off] == '[' || m->body[off] == '!'))
		return;
	if (!is_type(t, CMARK_NODE_TEXT))
		return;
	lit = cmark_node_get_literal(t);
	c = md_find_col(m, *line, 1, lit, strlen(lit), 0);
	if (c > 1 && m->body[m->lines[*line - 1] + (size_t)c - 2] == '<')
		c--;
	if (c)
		*col = c;
}

void md_pass_links(struct md *m)
{
	const struct md_env *env = m->env;
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	struct buf href = BUF_INIT;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int image = is_type(n, CMARK_NODE_IMAGE), line, col;
		struct md_info *info;
		const char *url;

		if (ev != CMARK_EVENT_ENTER || !(image || is_type(n, CMARK_NODE_LINK)))
			continue;
		info = md_info(m, n);
		if (info->kind == MD_TEL || info->kind == MD_FACT_LINK) {
			if (!url_safe(info->href))
				BUG("fact link with unsafe URL '%s'", info->href);
			continue;
		}
		info->kind = MD_LINK;
		url = cmark_node_get_url(n);
		link_pos(m, n, &line, &col);
		if (image)
			check_alt(m, n, line, col);
		if (!url_safe(url)) {
			md_diag(m, RULE_URL_UNSAFE, line, col, "unsafe URL scheme in %s '%s'",
				image ? "image" : "link", md_quote(m, url, strlen(url)));
			diag_note(m->d, "use an http:, https:, mailto: or tel: URL, or a page "
				  "of this site ('urgent-care.md')");
			continue;
		}
		if (has_scheme(url) || !env->resolve_link) {
			info->href = arena_strdup(m->a, url);
			continue;
		}
		buf_reset(&href);
		if (!env->resolve_link(env->ctx, url, line + env->line_offset, col, &href, m->d))
			info->href = arena_strndup(m->a, href.ptr, href.len);
	}
	cmark_iter_free(it);
	buf_release(&href);
}
