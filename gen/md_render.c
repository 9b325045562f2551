/* md_render.c - the HTML renderer of the Markdown stage: walks the tree the
 * passes prepared (iteratively, with cmark_iter) and writes every byte itself,
 * XHTML-compatible, escaping all text and URLs through escape.h. It decides
 * nothing the passes did not; it never prints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmark-gfm-core-extensions.h>
#include "escape.h"
#include "md_internal.h"
#include "util.h"

struct rnd {
	struct md *m;
	struct buf *html;   /* the page body */
	struct buf *text;   /* its visible text */
	int n_defs;         /* footnote definitions so far (the current one's number) */
	int in_tbody;       /* a table's <tbody> is open */
	int cell;           /* index of the next cell in the current row */
	int row_headers;    /* the current table has row headers */
	uint8_t *align;     /* the current table's column alignments */
	int n_cols;
};

static void put_esc(struct rnd *r, const char *s);

/* Appends the prefix of the page's ids (see md_env.id_prefix). */
static void put_prefix(struct rnd *r)
{
	if (r->m->env->id_prefix)
		put_esc(r, r->m->env->id_prefix);
}

/* An id, or a reference to one, with the page's prefix. */
static void put_id(struct rnd *r, const char *id)
{
	put_prefix(r);
	put_esc(r, id);
}

/* A heading level moved down by md_env.heading_shift, at most 6. */
static int shifted(struct rnd *r, int level)
{
	level += r->m->env->heading_shift;
	return level > 6 ? 6 : level;
}

static int is_type(cmark_node *n, cmark_node_type t)
{
	return n && cmark_node_get_type(n) == t;
}

/* A newline unless the output is at the start of a line. */
static void cr(struct rnd *r)
{
	if (r->html->len && r->html->ptr[r->html->len - 1] != '\n')
		buf_addc(r->html, '\n');
}

/* Ends a paragraph of the visible text. */
static void text_break(struct rnd *r)
{
	struct buf *t = r->text;
	size_t len = t->len;
	while (len && (t->ptr[len - 1] == ' ' || t->ptr[len - 1] == '\n'))
		len--;
	buf_truncate(t, len);
	if (len)
		buf_adds(t, "\n\n");
}

static void put(struct rnd *r, const char *s)
{
	buf_adds(r->html, s);
}

/* Visible text: escaped into the page, kept as it is in the text. */
static void put_text(struct rnd *r, const char *s)
{
	size_t len = strlen(s);
	escape_html(r->html, s, len);
	buf_add(r->text, s, len);
}

/* An attribute value or text that is not part of the author's text. */
static void put_esc(struct rnd *r, const char *s)
{
	escape_html(r->html, s, strlen(s));
}

static void put_url(struct rnd *r, const char *url)
{
	escape_url(r->html, url, strlen(url));
}

static const char *align_class(struct rnd *r)
{
	if (!r->align || r->cell >= r->n_cols)
		return "";
	switch (r->align[r->cell]) {
	case 'l': return " class=\"align-left\"";
	case 'c': return " class=\"align-center\"";
	case 'r': return " class=\"align-right\"";
	default: return "";
	}
}

/* " aria-label" text of the back link of note n: footnote_back, {n} replaced. */
static void put_back_label(struct rnd *r, int n)
{
	const char *s = r->m->fn_back ? r->m->fn_back : "", *p;
	struct buf label = BUF_INIT;
	while ((p = strstr(s, "{n}"))) {
		buf_add(&label, s, (size_t)(p - s));
		buf_addf(&label, "%d", n);
		s = p + 3;
	}
	buf_adds(&label, s);
	put_esc(r, label.ptr);
	buf_release(&label);
}

/* The back link of the current note, after a space when it ends a paragraph
 * of the note. */
static void put_backlink(struct rnd *r, int space)
{
	if (space)
		put(r, " ");
	put(r, "<a href=\"#");
	put_prefix(r);
	buf_addf(r->html, "fnref-%d\" class=\"fnback\" aria-label=\"", r->n_defs);
	put_back_label(r, r->n_defs);
	put(r, "\">\xE2\x86\xA9</a>");  /* U+21A9 */
}

static int tight(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para), *list = cmark_node_parent(item);
	return is_type(item, CMARK_NODE_ITEM) && list && cmark_node_get_list_tight(list);
}

static void render_tree(struct rnd *r, cmark_node *root, int inner_only);

static void blockquote(struct rnd *r, cmark_node *n, int entering)
{
	struct md_info *info = md_info_get(n);
	cmark_node *h = cmark_node_first_child(n);
	struct md_info *hinfo = h ? md_info_get(h) : NULL;

	if (!info || (info->kind != MD_CALLOUT && info->kind != MD_CARE_CARD)) {
		cr(r);
		put(r, entering ? "<blockquote>\n" : "</blockquote>\n");
		return;
	}
	if (!entering) {
		cr(r);
		put(r, info->kind == MD_CALLOUT ? "</aside>\n" : "</section>\n");
		return;
	}
	cr(r);
	if (info->kind == MD_CALLOUT) {
		buf_addf(r->html, "<aside class=\"callout callout-%s\" aria-label=\"", info->variant);
		put_esc(r, info->label);
		put(r, "\">\n<p class=\"callout-label\" aria-hidden=\"true\">");
	} else {
		buf_addf(r->html, "<section class=\"care-card care-card-%s\"", info->variant);
		if (is_type(h, CMARK_NODE_HEADING) && hinfo && hinfo->id) {
			put(r, " aria-labelledby=\"");
			put_id(r, hinfo->id);
			put(r, "\"");
		}
		put(r, ">\n<p class=\"care-card-level\" aria-hidden=\"true\">");
	}
	put_esc(r, info->label);
	put(r, "</p>\n");
}

static void heading(struct rnd *r, cmark_node *n, int entering)
{
	struct md_info *info = md_info_get(n);
	int level = shifted(r, cmark_node_get_heading_level(n));
	if (!entering) {
		put(r, "</h");
		buf_add_uint(r->html, (uint64_t)level);
		put(r, ">\n");
		return;
	}
	cr(r);
	text_break(r);
	put(r, "<h");
	buf_add_uint(r->html, (uint64_t)level);
	if (info && info->id) {
		put(r, " id=\"");
		put_id(r, info->id);
		put(r, "\"");
	}
	put(r, ">");
	if (info && info->label) {
		put(r, "<span class=\"visually-hidden\">");
		put_esc(r, info->label);
		put(r, ": </span>");
	}
}

static void paragraph(struct rnd *r, cmark_node *n, int entering)
{
	cmark_node *parent = cmark_node_parent(n);
	int in_note = is_type(parent, CMARK_NODE_FOOTNOTE_DEFINITION);
	if (entering) {
		text_break(r);
		if (!tight(n)) {
			cr(r);
			put(r, "<p>");
		}
		return;
	}
	if (in_note && cmark_node_last_child(parent) == n)
		put_backlink(r, 1);
	if (!tight(n))
		put(r, "</p>\n");
}

static void list(struct rnd *r, cmark_node *n, int entering)
{
	int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	int start = cmark_node_get_list_start(n);
	cr(r);
	if (!entering)
		put(r, ordered ? "</ol>\n" : "</ul>\n");
	else if (!ordered)
		put(r, "<ul>\n");
	else if (start != 1)
		buf_addf(r->html, "<ol start=\"%d\">\n", start);
	else
		put(r, "<ol>\n");
}

static void code_block(struct rnd *r, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	size_t lang = info ? strcspn(info, " \t") : 0;
	cr(r);
	text_break(r);
	put(r, "<pre><code");
	if (lang) {
		put(r, " class=\"language-");
		escape_html(r->html, info, lang);
		put(r, "\"");
	}
	put(r, ">");
	put_text(r, cmark_node_get_literal(n));
	put(r, "</code></pre>\n");
}

static void link(struct rnd *r, cmark_node *n, int entering)
{
	struct md_info *info = md_info_get(n);
	const char *title = cmark_node_get_title(n);
	if (!entering) {
		put(r, "</a>");
		return;
	}
	put(r, info && info->kind == MD_TEL ? "<a class=\"tel\" href=\"" : "<a href=\"");
	put_url(r, info && info->href ? info->href : "");
	put(r, "\"");
	if (title && *title) {
		put(r, " title=\"");
		put_esc(r, title);
		put(r, "\"");
	}
	put(r, ">");
}

static void image(struct rnd *r, cmark_node *n)
{
	struct md_info *info = md_info_get(n);
	const char *title = cmark_node_get_title(n);
	struct buf alt = BUF_INIT;
	md_plain_text(n, &alt);
	put(r, "<img src=\"");
	put_url(r, info && info->href ? info->href : "");
	put(r, "\" alt=\"");
	put_esc(r, alt.ptr);
	put(r, "\"");
	if (title && *title) {
		put(r, " title=\"");
		put_esc(r, title);
		put(r, "\"");
	}
	put(r, " />");
	buf_release(&alt);
}

static void footnote_ref(struct rnd *r, cmark_node *n)
{
	struct md_info *info = md_info_get(n);
	if (!info || info->kind != MD_FNREF)
		BUG("footnote reference without a number");
	put(r, "<sup class=\"fnref\"><a href=\"#");
	put_prefix(r);
	buf_addf(r->html, "fn-%d\" id=\"", info->n);
	put_prefix(r);
	buf_addf(r->html, "fnref-%d", info->n);
	if (info->k > 1)
		buf_addf(r->html, "-%d", info->k);
	put(r, "\" aria-describedby=\"");
	put_id(r, "footnotes-label");
	buf_addf(r->html, "\">%d</a></sup>", info->n);
}

static void footnote_def(struct rnd *r, cmark_node *n, int entering)
{
	if (!entering) {
		if (!is_type(cmark_node_last_child(n), CMARK_NODE_PARAGRAPH)) {
			cr(r);
			put(r, "<p>");
			put_backlink(r, 0);
			put(r, "</p>\n");
		}
		cr(r);
		put(r, "</li>\n");
		return;
	}
	cr(r);
	if (!r->n_defs++) {
		put(r, "<section class=\"footnotes\" aria-labelledby=\"");
		put_id(r, "footnotes-label");
		buf_addf(r->html, "\">\n<h%d id=\"", shifted(r, 2));
		put_id(r, "footnotes-label");
		put(r, "\">");
		put_esc(r, r->m->fn_title ? r->m->fn_title : "");
		buf_addf(r->html, "</h%d>\n<ol>\n", shifted(r, 2));
	}
	put(r, "<li id=\"");
	put_prefix(r);
	buf_addf(r->html, "fn-%d\">\n", r->n_defs);
}

static void table(struct rnd *r, cmark_node *n, int entering)
{
	struct md_info *info = md_info_get(n);
	if (!entering) {
		if (r->in_tbody)
			put(r, "</tbody>\n");
		put(r, "</table></div>\n");
		r->align = NULL;
		return;
	}
	r->in_tbody = 0;
	r->row_headers = info && info->row_headers;
	r->align = cmark_gfm_extensions_get_table_alignments(n);
	r->n_cols = cmark_gfm_extensions_get_table_columns(n);
	cr(r);
	put(r, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"");
	if (info && info->id) {
		put(r, " aria-labelledby=\"");
		put_id(r, info->id);
		put(r, "\"");
	}
	put(r, "><table");
	if (info && info->id && !info->caption) {
		/* Named by its section heading: the table itself says so too. */
		put(r, " aria-labelledby=\"");
		put_id(r, info->id);
		put(r, "\"");
	}
	put(r, ">\n");
	if (info && info->caption) {
		put(r, "<caption id=\"");
		put_id(r, info->id);
		put(r, "\">");
		text_break(r);
		render_tree(r, info->caption, 1);
		put(r, "</caption>\n");
	}
}

static void row(struct rnd *r, int header, int entering)
{
	r->cell = 0;
	if (header) {
		put(r, entering ? "<thead>\n<tr>\n" : "</tr>\n</thead>\n");
		return;
	}
	if (entering && !r->in_tbody) {
		put(r, "<tbody>\n");
		r->in_tbody = 1;
	}
	put(r, entering ? "<tr>\n" : "</tr>\n");
}

static void cell(struct rnd *r, cmark_node *n, int entering)
{
	int header = md_ext_type(cmark_node_parent(n)) == MD_EXT_HEADER_ROW;
	int first = r->cell == 0 && r->row_headers;
	const char *close;
	if (header && first)
		close = "</td>\n";  /* the empty corner above the row headers */
	else if (header || first)
		close = "</th>\n";
	else
		close = "</td>\n";
	if (!entering) {
		put(r, close);
		r->cell++;
		return;
	}
	text_break(r);
	if (header && first)
		put(r, "<td>");
	else {
		put(r, header ? "<th scope=\"col\"" : first ? "<th scope=\"row\"" : "<td");
		put(r, align_class(r));
		put(r, ">");
	}
}

static void render_tree(struct rnd *r, cmark_node *root, int inner_only)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct md_info *info = md_info_get(n);
		int entering = ev == CMARK_EVENT_ENTER;

		if (inner_only && n == root)
			continue;
		switch (md_ext_type(n)) {
		case MD_EXT_TABLE: table(r, n, entering); continue;
		case MD_EXT_HEADER_ROW: row(r, 1, entering); continue;
		case MD_EXT_ROW: row(r, 0, entering); continue;
		case MD_EXT_CELL: cell(r, n, entering); continue;
		case MD_EXT_NONE: break;
		}
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_DOCUMENT:
			if (!entering && r->n_defs)
				put(r, "</ol>\n</section>\n");
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			blockquote(r, n, entering);
			break;
		case CMARK_NODE_LIST:
			list(r, n, entering);
			break;
		case CMARK_NODE_ITEM:
			if (entering) {
				cr(r);
				put(r, "<li>");
			} else {
				put(r, "</li>\n");
			}
			break;
		case CMARK_NODE_CODE_BLOCK:
			code_block(r, n);
			break;
		case CMARK_NODE_PARAGRAPH:
			if (info && info->kind == MD_CAPTION) {
				/* Rendered inside its table. */
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
				break;
			}
			paragraph(r, n, entering);
			break;
		case CMARK_NODE_HEADING:
			heading(r, n, entering);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			cr(r);
			put(r, "<hr />\n");
			break;
		case CMARK_NODE_FOOTNOTE_DEFINITION:
			footnote_def(r, n, entering);
			break;
		case CMARK_NODE_TEXT:
			put_text(r, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
			put(r, "\n");
			buf_addc(r->text, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			put(r, "<br />\n");
			buf_addc(r->text, '\n');
			break;
		case CMARK_NODE_CODE:
			put(r, "<code>");
			put_text(r, cmark_node_get_literal(n));
			put(r, "</code>");
			break;
		case CMARK_NODE_EMPH:
			put(r, entering ? "<em>" : "</em>");
			break;
		case CMARK_NODE_STRONG:
			put(r, entering ? "<strong>" : "</strong>");
			break;
		case CMARK_NODE_LINK:
			link(r, n, entering);
			break;
		case CMARK_NODE_IMAGE:
			image(r, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			if (entering)
				footnote_ref(r, n);
			break;
		default:
			/* Raw HTML (already an error) and custom nodes: nothing. */
			break;
		}
	}
	cmark_iter_free(it);
}

void md_render_html(struct md *m, struct buf *html, struct buf *text)
{
	struct rnd r;
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.html = html;
	r.text = text;
	render_tree(&r, m->doc, 0);
	text_break(&r);
	buf_truncate(text, text->len >= 2 ? text->len - 2 : 0);
}
