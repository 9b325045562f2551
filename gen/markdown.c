/* markdown.c - the Markdown stage's entry point: parses a body with
 * cmark-gfm, refuses runaway nesting, runs the passes (md_inline.c,
 * md_block.c), renders (md_render.c) and copies the results into the page
 * arena. Also the helpers the passes share. Never prints. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm-core-extensions.h>
#include "md_internal.h"
#include "util.h"

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;


static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static cmark_node *parse(const char *body, size_t len)
{
	/* Only the table extension: cmark-gfm keeps the special inline
	 * characters in a global table that extensions with inline syntax
	 * (autolink, strikethrough) change on every parse, and on every table
	 * row, so two parses at once would lose each other's autolinks. Tables
	 * have no inline characters; bare URLs are linked by md_autolink.c. So
	 * pages parse in parallel with no lock. */
	static const char *const exts[] = { "table" };
	cmark_parser *p;
	cmark_node *doc;
	size_t i;

	pthread_once(&extensions_once, register_extensions);
	p = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8);
	for (i = 0; i < ARRAY_SIZE(exts); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (!e)
			BUG("cmark-gfm extension '%s' is not registered", exts[i]);
		cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, body, len);
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	if (!doc)
		BUG("cmark-gfm returned no document");
	return doc;
}

enum md_ext md_ext_type(cmark_node *node)
{
	const char *t;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_DOCUMENT: case CMARK_NODE_BLOCK_QUOTE: case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM: case CMARK_NODE_CODE_BLOCK: case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_CUSTOM_BLOCK: case CMARK_NODE_PARAGRAPH: case CMARK_NODE_HEADING:
	case CMARK_NODE_THEMATIC_BREAK: case CMARK_NODE_FOOTNOTE_DEFINITION:
	case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK: case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE: case CMARK_NODE_HTML_INLINE: case CMARK_NODE_CUSTOM_INLINE:
	case CMARK_NODE_EMPH: case CMARK_NODE_STRONG: case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: case CMARK_NODE_FOOTNOTE_REFERENCE: case CMARK_NODE_NONE:
		return MD_EXT_NONE;
	default:
		break;
	}
	t = cmark_node_get_type_string(node);
	if (!strcmp(t, "table"))
		return MD_EXT_TABLE;
	if (!strcmp(t, "table_header"))
		return MD_EXT_HEADER_ROW;
	if (!strcmp(t, "table_row"))
		return MD_EXT_ROW;
	if (!strcmp(t, "table_cell"))
		return MD_EXT_CELL;
	return MD_EXT_NONE;
}

struct md_info *md_info_get(cmark_node *node)
{
	return cmark_node_get_user_data(node);
}

struct md_info *md_info(struct md *m, cmark_node *node)
{
	struct md_info *info = cmark_node_get_user_data(node);
	if (!info) {
		info = arena_alloc(m->a, sizeof(*info));
		cmark_node_set_user_data(node, info);
	}
	return info;
}

void md_pos(cmark_node *node, int *line, int *col)
{
	struct md_info *info = node ? cmark_node_get_user_data(node) : NULL;
	if (info && info->line > 0) {
		*line = info->line;
		*col = info->col > 0 ? info->col : 1;
		return;
	}
	for (; node; node = cmark_node_parent(node)) {
		if (cmark_node_get_start_line(node) > 0) {
			*line = cmark_node_get_start_line(node);
			*col = cmark_node_get_start_column(node);
			if (*col < 1)
				*col = 1;
			return;
		}
	}
	*line = 1;
	*col = 1;
}

int md_find_col(const struct md *m, int line, int from, const char *needle, size_t nlen,
		int nth)
{
	size_t start, end, i;
	if (line < 1 || (size_t)line > m->n_lines || from < 1 || !nlen)
		return 0;
	start = m->lines[line - 1];
	end = m->lines[line] - 1;  /* the '\n', or len on the last line */
	for (i = start + (size_t)from - 1; i < end && end - i >= nlen; i++) {
		if (memcmp(m->body + i, needle, nlen))
			continue;
		if (!nth--)
			return (int)(i - start) + 1;
		i += nlen - 1;
	}
	return 0;
}

static void md_vdiag(struct md *m, enum severity sev, enum rule rule, int line, int col,
		     const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	buf_vaddf(&msg, fmt, ap);
	diag_sev(m->d, sev, rule, m->env->path, line + m->env->line_offset, col, "%s", msg.ptr);
	buf_release(&msg);
}

void md_diag(struct md *m, enum rule rule, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	md_vdiag(m, rule_severity(rule), rule, line, col, fmt, ap);
	va_end(ap);
}

void md_diag_sev(struct md *m, enum severity sev, enum rule rule, int line, int col,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	md_vdiag(m, sev, rule, line, col, fmt, ap);
	va_end(ap);
}

const char *md_quote(struct md *m, const char *s, size_t len)
{
	/* Long enough for any URL or number an author would recognise. */
	enum { QUOTE_MAX = 60 };
	struct buf b = BUF_INIT;
	const char *q;
	size_t i;
	for (i = 0; i < len && s[i] != '\n'; i++) {
		unsigned char c = (unsigned char)s[i];
		if (b.len >= QUOTE_MAX && (c & 0xC0) != 0x80) {
			buf_adds(&b, "...");
			break;
		}
		if (c < 0x20 || c == 0x7f)
			buf_addf(&b, "^%c", c == 0x7f ? '?' : c + '@');
		else
			buf_addc(&b, (char)c);
	}
	if (i < len && s[i] == '\n')
		buf_adds(&b, "...");
	q = arena_strndup(m->a, b.ptr, b.len);
	buf_release(&b);
	return q;
}

const char *md_string(struct md *m, const char *key, int line, int col)
{
	static const char *const keys[] = { "note", "warning", "nonurgent", "urgent",
					    "emergency", "footnotes", "footnote_back" };
	const struct value *v = m->env->strings ? value_map_get(m->env->strings, key) : NULL;
	size_t i;
	if (v && v->str && v->len)
		return v->str;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(keys[i], key))
			break;
	if (i == ARRAY_SIZE(keys))
		BUG("unknown UI string '%s'", key);
	if (!(m->strings_reported & (1u << i))) {
		m->strings_reported |= 1u << i;
		md_diag(m, RULE_STRINGS, line, col, "missing UI string '%s' for language '%s'", key,
			m->env->lang ? m->env->lang : "?");
		diag_note(m->d, "add '%s:' to this language's strings.yaml", key);
	}
	return key;
}

void md_plain_text(cmark_node *node, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_adds(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

int md_in_link(cmark_node *node)
{
	/* Bounded: the tree is no deeper than MD_MAX_NESTING when passes run. */
	for (node = cmark_node_parent(node); node; node = cmark_node_parent(node)) {
		cmark_node_type t = cmark_node_get_type(node);
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
			return 1;
	}
	return 0;
}

void md_drop(cmark_node *node)
{
	cmark_node_unlink(node);
	cmark_node_free(node);
}

cmark_node *md_new_text(const char *s, size_t len)
{
	cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
	char *lit = xstrndup(s, len);
	cmark_node_set_literal(t, lit);
	free(lit);
	return t;
}

static size_t set_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of str, or of the empty slot where it would go. */
static size_t set_slot(const struct md_set *s, const char *str)
{
	size_t i;
	for (i = set_hash(str) & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (!strcmp(s->v[i], str))
			break;
	return i;
}

int md_set_has(const struct md_set *s, const char *str)
{
	return s->cap && s->v[set_slot(s, str)];
}

int md_set_bump(struct md_set *s, const char *str)
{
	size_t i;
	if (2 * (s->n + 1) > s->cap) {
		struct md_set bigger = { NULL, NULL, 0, s->cap ? 2 * s->cap : 16 };
		bigger.v = xcalloc(bigger.cap, sizeof(*bigger.v));
		bigger.count = xcalloc(bigger.cap, sizeof(*bigger.count));
		for (i = 0; i < s->cap; i++) {
			if (s->v[i]) {
				size_t j = set_slot(&bigger, s->v[i]);
				bigger.v[j] = s->v[i];
				bigger.count[j] = s->count[i];
				bigger.n++;
			}
		}
		md_set_release(s);
		*s = bigger;
	}
	i = set_slot(s, str);
	if (!s->v[i]) {
		s->v[i] = str;
		s->n++;
	}
	return ++s->count[i];
}

int md_set_add(struct md_set *s, const char *str)
{
	return md_set_bump(s, str) > 1;
}

void md_set_release(struct md_set *s)
{
	free(s->v);
	free(s->count);
	s->v = NULL;
	s->count = NULL;
	s->n = s->cap = 0;
}

static void index_lines(struct md *m)
{
	size_t i, n = 1;
	for (i = 0; i < m->len; i++)
		n += m->body[i] == '\n';
	m->lines = xmalloc(st_mult(n + 1, sizeof(*m->lines)));
	m->lines[0] = 0;
	m->n_lines = 0;
	for (i = 0; i < m->len; i++)
		if (m->body[i] == '\n')
			m->lines[++m->n_lines] = i + 1;
	m->lines[++m->n_lines] = m->len + 1;
}

static int is_leaf(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HTML_BLOCK: case CMARK_NODE_THEMATIC_BREAK: case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK: case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE: case CMARK_NODE_HTML_INLINE:
		return 1;
	default:
		return 0;
	}
}

/* Refuses a tree deeper than MD_MAX_NESTING. Iterative, so that the check
 * itself survives the input it refuses. Returns 0, or -1 after one error. */
static int check_nesting(struct md *m)
{
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	int depth = 0, ret = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		if (is_leaf(n))
			continue;
		if (++depth > MD_MAX_NESTING + 1) {  /* + 1: the document itself */
			int line, col;
			md_pos(n, &line, &col);
			md_diag(m, RULE_NESTING, line, col,
				"Markdown nested more than %d levels deep", MD_MAX_NESTING);
			diag_note(m->d, "flatten the block quotes, lists or emphasis; a care "
				  "guide needs a few levels at most");
			ret = -1;
			break;
		}
	}
	cmark_iter_free(it);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Copies what the passes collected into the arena. */
static void fill_result(struct md *m, const struct buf *html, const struct buf *text,
			struct md_result *out)
{
	size_t i, n = 0;
	out->html = arena_strndup(m->a, html->ptr, html->len);
	out->html_len = html->len;
	out->text = arena_strndup(m->a, text->ptr, text->len);
	out->text_len = text->len;
	out->n_headings = m->n_headings;
	out->headings = arena_alloc(m->a, st_mult(m->n_headings + 1, sizeof(*out->headings)));
	if (m->n_headings)
		memcpy(out->headings, m->headings, m->n_headings * sizeof(*m->headings));
	out->facts_used = arena_alloc(m->a, st_mult(m->facts.n + 1, sizeof(*out->facts_used)));
	for (i = 0; i < m->facts.cap; i++)
		if (m->facts.v[i])
			out->facts_used[n++] = m->facts.v[i];
	qsort(out->facts_used, n, sizeof(*out->facts_used), cmp_str);
	out->n_facts_used = n;
	out->n_footnotes = m->n_footnotes;
}

int markdown_render(const char *body, size_t len, const struct md_env *env,
		    struct arena *a, struct md_result *out, struct diags *d)
{
	struct md m;
	struct buf html = BUF_INIT, text = BUF_INIT;
	int errors = d->errors;

	memset(&m, 0, sizeof(m));
	memset(out, 0, sizeof(*out));
	out->html = out->text = "";
	out->headings = NULL;
	m.env = env;
	m.a = a;
	m.d = d;
	m.body = body;
	m.len = len;
	index_lines(&m);
	m.doc = parse(body, len);

	if (!check_nesting(&m)) {
		md_pass_char_refs(&m);
		md_pass_raw_html(&m);
		md_pass_callouts(&m);
		md_pass_autolinks(&m);
		md_pass_facts(&m);
		md_pass_phones(&m);
		md_pass_links(&m);
		md_pass_headings(&m);
		md_pass_tables(&m);
		md_pass_footnotes(&m);
		md_render_html(&m, &html, &text);
		fill_result(&m, &html, &text, out);
	}

	cmark_node_free(m.doc);
	buf_release(&html);
	buf_release(&text);
	free(m.lines);
	free(m.headings);
	md_set_release(&m.ids);
	md_set_release(&m.id_bases);
	md_set_release(&m.facts);
	return d->errors > errors ? -1 : 0;
}
