/* md_block.c - the passes over blocks: raw HTML refused, callouts and care
 * cards, heading levels and ids, table captions and row headers, footnote
 * numbering and unreferenced notes. They decide; md_render.c prints. Never
 * prints. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "md_internal.h"
#include "slug.h"
#include "util.h"

static int is_type(cmark_node *n, cmark_node_type t)
{
	return n && cmark_node_get_type(n) == t;
}

/* ---- raw HTML ----------------------------------------------------------- */

void md_pass_raw_html(struct md *m)
{
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *lit;
		int line, col;
		if (ev != CMARK_EVENT_ENTER ||
		    (!is_type(n, CMARK_NODE_HTML_BLOCK) && !is_type(n, CMARK_NODE_HTML_INLINE)))
			continue;
		lit = cmark_node_get_literal(n);
		md_pos(n, &line, &col);
		md_diag(m, RULE_RAW_HTML, line, col, "raw HTML '%s'", md_quote(m, lit, strlen(lit)));
		diag_note(m->d, "write it in Markdown; raw HTML is not allowed");
	}
	cmark_iter_free(it);
}

/* ---- callouts and care cards -------------------------------------------- */

static const struct callout_kind {
	const char *marker;   /* as written, any case */
	const char *variant;  /* CSS class suffix and UI string key */
	int care_card;
} callout_kinds[] = {
	{ "NOTE", "note", 0 },
	{ "WARNING", "warning", 0 },
	{ "NONURGENT", "nonurgent", 1 },
	{ "URGENT", "urgent", 1 },
	{ "EMERGENCY", "emergency", 1 },
};

/* Removes the marker "[!NAME]" (len bytes) from the start of text node t, and
 * the line break after it, and the paragraph if nothing is left. */
static void strip_marker(cmark_node *t, size_t len)
{
	const char *lit = cmark_node_get_literal(t);
	cmark_node *para = cmark_node_parent(t), *next;
	char *rest;
	lit += len;
	while (*lit == ' ' || *lit == '\t')
		lit++;
	if (*lit) {
		rest = xstrdup(lit);
		cmark_node_set_literal(t, rest);
		free(rest);
		return;
	}
	next = cmark_node_next(t);
	md_drop(t);
	if (is_type(next, CMARK_NODE_SOFTBREAK) || is_type(next, CMARK_NODE_LINEBREAK))
		md_drop(next);
	if (!cmark_node_first_child(para))
		md_drop(para);
}

static void callout(struct md *m, cmark_node *bq)
{
	cmark_node *para = cmark_node_first_child(bq), *t, *first;
	const struct callout_kind *kind = NULL;
	const char *lit, *end;
	struct md_info *info;
	int line, col;
	size_t i, len;

	if (!is_type(para, CMARK_NODE_PARAGRAPH))
		return;
	t = cmark_node_first_child(para);
	if (!is_type(t, CMARK_NODE_TEXT))
		return;
	lit = cmark_node_get_literal(t);
	if (strncmp(lit, "[!", 2))
		return;
	for (end = lit + 2; (*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z'); end++)
		;
	if (*end != ']' || end == lit + 2 || (end[1] && end[1] != ' ' && end[1] != '\t'))
		return;  /* not a marker: "[!] text", "[!NOTE]s" */
	len = (size_t)(end - lit) + 1;
	md_pos(t, &line, &col);
	for (i = 0; i < ARRAY_SIZE(callout_kinds); i++)
		if (strlen(callout_kinds[i].marker) == len - 3 &&
		    !strncasecmp(lit + 2, callout_kinds[i].marker, len - 3))
			kind = &callout_kinds[i];
	if (!kind) {
		md_diag(m, RULE_CALLOUT, line, col, "unknown callout '%s'", md_quote(m, lit, len));
		diag_note(m->d, "use [!NOTE], [!WARNING], [!NONURGENT], [!URGENT] or [!EMERGENCY]");
		return;
	}
	info = md_info(m, bq);
	info->kind = kind->care_card ? MD_CARE_CARD : MD_CALLOUT;
	info->variant = kind->variant;
	info->label = md_string(m, kind->variant, line, col);
	strip_marker(t, len);
	if (!kind->care_card)
		return;
	first = cmark_node_first_child(bq);
	if (!is_type(first, CMARK_NODE_HEADING)) {
		md_diag(m, RULE_CALLOUT, line, col, "care card '[!%s]' does not start with a heading",
			kind->marker);
		diag_note(m->d, "put a heading on the line after the marker, as in '> ## Urgent care'");
		return;
	}
	md_info(m, first)->label = info->label;
}

void md_pass_callouts(struct md *m)
{
	cmark_node **quotes = NULL;
	size_t n = 0, cap = 0, i;
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || !is_type(node, CMARK_NODE_BLOCK_QUOTE))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			quotes = xrealloc(quotes, st_mult(cap, sizeof(*quotes)));
		}
		quotes[n++] = node;
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++)
		callout(m, quotes[i]);
	free(quotes);
}

/* ---- headings ----------------------------------------------------------- */

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Ids the renderer makes itself: a heading must not take them. */
static int reserved_id(const char *id)
{
	const char *dash;
	if (!strcmp(id, "footnotes-label"))
		return 1;
	if (!strncmp(id, "fn-", 3))
		return all_digits(id + 3);
	if (strncmp(id, "fnref-", 6))
		return 0;
	dash = strchr(id + 6, '-');
	if (!dash)
		return all_digits(id + 6);
	return dash > id + 6 && all_digits(dash + 1) &&
	       strspn(id + 6, "0123456789") == (size_t)(dash - id - 6);
}

/* A unique id from base (a slug): base, base-2, base-3... Each base counts
 * its own uses, so that many equal headings cost linear time. */
static const char *unique_id(struct md *m, const char *base)
{
	int k = md_set_bump(&m->id_bases, base);
	const char *id = k == 1 ? base : arena_printf(m->a, "%s-%d", base, k);
	while (md_set_has(&m->ids, id) || reserved_id(id)) {
		k = md_set_bump(&m->id_bases, base);
		id = arena_printf(m->a, "%s-%d", base, k);
	}
	md_set_add(&m->ids, id);
	return id;
}

static void heading(struct md *m, cmark_node *h, int *prev)
{
	struct buf text = BUF_INIT, slug = BUF_INIT;
	int level = cmark_node_get_heading_level(h), line, col;
	struct md_heading *out;
	struct md_info *info = md_info(m, h);
	const char *base;
	size_t a = 0, b;

	md_pos(h, &line, &col);
	md_plain_text(h, &text);
	b = text.len;
	while (a < b && (text.ptr[a] == ' ' || text.ptr[a] == '\t'))
		a++;
	while (b > a && (text.ptr[b - 1] == ' ' || text.ptr[b - 1] == '\t'))
		b--;
	if (level == 1) {
		md_diag(m, RULE_HEADING_H1, line, col, "level-1 heading '%s' in the body",
			md_quote(m, text.ptr + a, b - a));
		diag_note(m->d, "the page title (front matter 'title:') is the only h1; "
			  "start sections with '##'");
	} else if (level > *prev + 1) {
		md_diag(m, RULE_HEADING_SKIP, line, col, "heading '%s' skips a level (h%d after h%d)",
			md_quote(m, text.ptr + a, b - a), level, *prev);
		diag_note(m->d, "use '%.*s' here%s", *prev + 1, "######",
			  *prev == 1 ? "; the page title is the h1" : "");
	}
	*prev = level;

	if (slug_from_text(text.ptr + a, b - a, &slug) || !slug.len) {
		buf_reset(&slug);
		buf_adds(&slug, "section");
	}
	base = arena_strndup(m->a, slug.ptr, slug.len);
	if (reserved_id(base))
		base = arena_printf(m->a, "section-%s", base);
	info->kind = MD_HEADING;
	info->id = unique_id(m, base);

	if (m->n_headings == m->cap_headings) {
		m->cap_headings = m->cap_headings ? 2 * m->cap_headings : 16;
		m->headings = xrealloc(m->headings, st_mult(m->cap_headings, sizeof(*m->headings)));
	}
	out = &m->headings[m->n_headings++];
	out->level = level;
	out->id = info->id;
	out->text = arena_strndup(m->a, text.ptr + a, b - a);
	out->line = line + m->env->line_offset;
	buf_release(&text);
	buf_release(&slug);
}

void md_pass_headings(struct md *m)
{
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	int prev = 1;  /* the page title */
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && is_type(n, CMARK_NODE_HEADING))
			heading(m, n, &prev);
	}
	cmark_iter_free(it);
}

/* ---- tables ------------------------------------------------------------- */

/* The "Table: ..." paragraph just before table, with the prefix removed, or
 * NULL. */
static cmark_node *caption_of(cmark_node *table)
{
	static const char prefix[] = "Table:";
	cmark_node *p = cmark_node_previous(table), *t;
	struct md_info *info;
	const char *lit;
	char *rest;
	if (!is_type(p, CMARK_NODE_PARAGRAPH))
		return NULL;
	info = md_info_get(p);
	if (info && info->kind == MD_CAPTION)
		return NULL;
	t = cmark_node_first_child(p);
	if (!is_type(t, CMARK_NODE_TEXT))
		return NULL;
	lit = cmark_node_get_literal(t);
	if (strncmp(lit, prefix, sizeof(prefix) - 1))
		return NULL;
	lit += sizeof(prefix) - 1;
	while (*lit == ' ' || *lit == '\t')
		lit++;
	if (*lit) {
		rest = xstrdup(lit);
		cmark_node_set_literal(t, rest);
		free(rest);
	} else {
		md_drop(t);
	}
	return p;
}

/* A table is named by its "Table:" caption, or else by the heading of the
 * section it stands in (last_heading: that heading's id, or NULL). */
static void table(struct md *m, cmark_node *tbl, int *n_tables, const char *last_heading)
{
	struct md_info *info = md_info(m, tbl), *cap_info;
	cmark_node *header = cmark_node_first_child(tbl), *cell;
	struct buf text = BUF_INIT;
	int line, col, labelled = 0, k;

	md_pos(tbl, &line, &col);
	info->kind = MD_TABLE;
	info->caption = caption_of(tbl);
	if (info->caption) {
		md_plain_text(info->caption, &text);
		cap_info = md_info(m, info->caption);
		cap_info->kind = MD_CAPTION;
		for (k = ++*n_tables;; k = ++*n_tables) {
			const char *id = arena_printf(m->a, "table-%d", k);
			if (!md_set_add(&m->ids, id)) {
				info->id = id;
				break;
			}
		}
		if (strspn(text.ptr, " \t") == text.len) {
			int cline, ccol;
			md_pos(info->caption, &cline, &ccol);
			md_diag(m, RULE_TABLE, cline, ccol, "empty table caption 'Table:'");
			diag_note(m->d, "say what the table shows: 'Table: Ways to get care'");
		}
	} else if (last_heading) {
		info->id = last_heading;
	} else {
		md_diag(m, RULE_TABLE, line, col, "table without a caption");
		diag_note(m->d, "add a 'Table: \xE2\x80\xA6' line before it, or a heading above it");
	}
	buf_release(&text);

	for (cell = cmark_node_first_child(header); cell; cell = cmark_node_next(cell)) {
		buf_reset(&text);
		md_plain_text(cell, &text);
		if (strspn(text.ptr, " \t") != text.len)
			labelled = 1;
		else if (cell == cmark_node_first_child(header))
			info->row_headers = 1;
	}
	buf_release(&text);
	if (!labelled) {
		md_diag(m, RULE_TABLE, line, col, "table without header cells");
		diag_note(m->d, "name each column in the table's first row");
	}
}

void md_pass_tables(struct md *m)
{
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;
	const char *last_heading = NULL;
	int n_tables = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct md_info *info;
		if (ev == CMARK_EVENT_ENTER && is_type(n, CMARK_NODE_HEADING) &&
		    (info = md_info_get(n)) != NULL && info->id)
			last_heading = info->id;
		if (ev == CMARK_EVENT_ENTER && md_ext_type(n) == MD_EXT_TABLE)
			table(m, n, &n_tables, last_heading);
	}
	cmark_iter_free(it);
}

/* ---- footnotes ---------------------------------------------------------- */

/* Length of a footnote label at s ("[^label]"), as cmark-gfm scans one: no
 * spaces or brackets. 0 if s is not one. */
static size_t label_at(const char *s, size_t len)
{
	size_t i;
	if (len < 4 || s[0] != '[' || s[1] != '^')
		return 0;
	for (i = 2; i < len && !strchr("] \t\n[", s[i]); i++)
		;
	return i < len && s[i] == ']' && i > 2 ? i - 2 : 0;
}

static const char *label_key(struct md *m, const char *s, size_t len)
{
	char *k = arena_strndup(m->a, s, len), *p;
	for (p = k; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return k;
}

/* "[^x]" left in text: a reference to a note that does not exist. */
static void undefined_refs(struct md *m, cmark_node *t)
{
	const char *lit = cmark_node_get_literal(t), *p;
	size_t len = strlen(lit);
	int line, col, from;
	md_pos(t, &line, &from);
	for (p = strstr(lit, "[^"); p; p = strstr(p + 2, "[^")) {
		size_t n = label_at(p, len - (size_t)(p - lit));
		if (!n || p[n + 3] == ':')
			continue;
		col = md_find_col(m, line, from, p, n + 3, 0);
		if (col)
			from = col + (int)n + 3;
		md_diag_sev(m, SEV_ERROR, RULE_FOOTNOTE, line, col ? col : from,
			    "footnote '%s' is not defined", md_quote(m, p, n + 3));
		diag_note(m->d, "add a line '%s: the note' at the end of the page",
			  md_quote(m, p, n + 3));
	}
}

/* Definitions nobody refers to: cmark-gfm drops them from the tree, so they
 * are found in the source, outside code blocks. */
static void unreferenced(struct md *m, const struct md_set *refs, const char *code_lines)
{
	size_t l;
	for (l = 0; l < m->n_lines; l++) {
		const char *s = m->body + m->lines[l], *e = m->body + m->lines[l + 1] - 1, *p = s;
		size_t n;
		if (code_lines[l])
			continue;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '>'))
			p++;
		n = label_at(p, (size_t)(e - p));
		if (!n || p + n + 3 >= e || p[n + 3] != ':')
			continue;
		if (md_set_has(refs, label_key(m, p + 2, n)))
			continue;
		md_diag(m, RULE_FOOTNOTE, (int)l + 1, (int)(p - s) + 1,
			"footnote '%s' is never referenced", md_quote(m, p, n + 3));
		diag_note(m->d, "refer to it with '%s' in the text, or delete it",
			  md_quote(m, p, n + 3));
	}
}

void md_pass_footnotes(struct md *m)
{
	struct md_set refs = { NULL, NULL, 0, 0 };
	char *code_lines = xcalloc(m->n_lines + 1, 1);
	int *count = NULL, n_count = 0, fn_line = 0, fn_col = 0;
	cmark_iter *it = cmark_iter_new(m->doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		int line, col;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK) {
			int a = cmark_node_get_start_line(n), b = cmark_node_get_end_line(n);
			for (; a >= 1 && a <= b && (size_t)a <= m->n_lines; a++)
				code_lines[a - 1] = 1;
		} else if (t == CMARK_NODE_TEXT && !md_in_link(n)) {
			undefined_refs(m, n);
		} else if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
			if (!m->n_footnotes++)
				md_pos(n, &fn_line, &fn_col);
		} else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
			struct md_info *info = md_info(m, n);
			int num = atoi(cmark_node_get_literal(n));
			size_t off, len;
			if (num < 1)
				BUG("footnote reference numbered '%s'", cmark_node_get_literal(n));
			if (num > n_count) {
				count = xrealloc(count, st_mult((size_t)num, sizeof(*count)));
				memset(count + n_count, 0, (size_t)(num - n_count) * sizeof(*count));
				n_count = num;
			}
			info->kind = MD_FNREF;
			info->n = num;
			info->k = ++count[num - 1];
			md_pos(n, &line, &col);
			if (line >= 1 && (size_t)line <= m->n_lines) {
				off = m->lines[line - 1] + (size_t)col - 1;
				len = off < m->len ? label_at(m->body + off, m->len - off) : 0;
				if (len)
					md_set_add(&refs, label_key(m, m->body + off + 2, len));
			}
		}
	}
	cmark_iter_free(it);
	unreferenced(m, &refs, code_lines);
	if (m->n_footnotes) {
		m->fn_title = md_string(m, "footnotes", fn_line, fn_col);
		m->fn_back = md_string(m, "footnote_back", fn_line, fn_col);
	}
	free(count);
	free(code_lines);
	md_set_release(&refs);
}
