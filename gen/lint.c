/* lint.c - the checks of every written page: parse it as XML (libxml2) and
 * walk the tree once, without recursion, keeping what the rules need on a
 * stack of open elements. Findings inside a Markdown body point at the
 * source line. Never prints and never changes the page. The CSS contrast
 * check is in contrast.c. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "lint_internal.h"
#include "util.h"

/* --- one page -------------------------------------------------------------- */

enum frame_kind { K_OTHER, K_LINK, K_BUTTON, K_CAPTION, K_TABLE };

/* An open element. Frames live in a growable array: refer to them by index. */
struct frame {
	xmlNode *node;
	const char *lang;       /* the language in effect ("" if unknown) */
	enum frame_kind kind;
	int hidden;             /* aria-hidden, hidden: not read, not named */
	int skip_text;          /* script, style */
	size_t name_start;      /* K_LINK, K_BUTTON, K_CAPTION: where its text starts in name */
	long table;             /* K_TABLE: the enclosing table's frame, or -1 */
	int has_th, has_caption;/* K_TABLE */
};

struct body_map {
	const struct lint_body *b;
	long first, last;       /* its lines in the page; 0 when not found there */
	size_t cursor;          /* source searches start here (document order) */
};

struct lint {
	const struct linter *l;
	const struct lint_input *in;
	struct diags *d;
	const char *page_lang;
	struct body_map *bodies;
	struct frame *stack;
	size_t depth, cap;
	struct buf name;        /* text of the open links, buttons and captions */
	int collecting;         /* how many open frames collect into name */
	long table;             /* innermost open table frame, or -1 */
	struct hash ids;        /* id -> its element */
	int n_h1, last_level;
	struct arena arena;     /* attribute values libxml2 did not keep in one piece */
	/* Reused for every finding and link, so a page allocates them once:
	 * the message; quotes and needles; a closing link's name, in full and
	 * folded for comparison, and its "[name" needle. */
	struct buf msg, tmp, ename, norm, needle;
};

/* The value of attribute name of n (no namespace), or NULL. Usually a
 * pointer into the tree; a value in pieces is joined in the arena. */
static const char *attr(struct lint *L, xmlNode *n, const char *name)
{
	xmlAttr *a;
	for (a = n->properties; a; a = a->next) {
		xmlChar *v;
		const char *r;
		if (a->ns || strcmp((const char *)a->name, name))
			continue;
		if (!a->children)
			return "";
		if (a->children->type == XML_TEXT_NODE && !a->children->next)
			return (const char *)a->children->content;
		v = xmlNodeListGetString(n->doc, a->children, 1);
		r = arena_strdup(&L->arena, v ? (const char *)v : "");
		xmlFree(v);
		return r;
	}
	return NULL;
}

static const char *name_of(xmlNode *n)
{
	return (const char *)n->name;
}

/* Appends the visible text of n's subtree to out, at most LINT_QUOTE_BYTES, from
 * its first text that is neither hidden nor visually hidden (a care card
 * heading starts with "Emergency: " that is not in the source). */
static void node_text(struct lint *L, xmlNode *root, struct buf *out)
{
	xmlNode *n = root;
	while (n && out->len < LINT_QUOTE_BYTES) {
		int descend = 1;
		if (n->type == XML_ELEMENT_NODE) {
			const char *cls = attr(L, n, "class"), *h = attr(L, n, "aria-hidden");
			if ((cls && strstr(cls, "visually-hidden")) || (h && !strcmp(h, "true")))
				descend = 0;
		} else if (n->type == XML_TEXT_NODE && !lint_blank((const char *)n->content)) {
			const char *s = (const char *)n->content;
			while (lint_is_space((unsigned char)*s))
				s++;
			/* One line: the source has it on one line too. */
			buf_add(out, s, strcspn(s, "\n"));
			while (out->len && lint_is_space((unsigned char)out->ptr[out->len - 1]))
				buf_truncate(out, out->len - 1);
			return;
		}
		if (descend && n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next)
			n = n->parent;
		if (n == root)
			break;
		n = n->next;
	}
}

struct where {
	const char *file;
	int line, col;
	long html_line;
};

/* Finds the first needle (of n) in the body's source from the cursor on:
 * findings come in document order, which is the source's (footnotes,
 * rendered last, are written last too), so the same text further up is not
 * taken for a later element's. */
static int find_in_source(struct body_map *bm, const char *const *needles, const size_t *lens,
			  size_t n, struct where *w)
{
	const struct lint_body *b = bm->b;
	size_t i, k, off;
	for (i = 0; i < n; i++) {
		const char *hit;
		if (!needles[i] || lens[i] < 2 || bm->cursor >= b->src_len)
			continue;
		hit = lint_find_bytes(b->src_text + bm->cursor, b->src_len - bm->cursor, needles[i],
				      lens[i]);
		if (!hit)
			continue;
		off = (size_t)(hit - b->src_text);
		bm->cursor = off + 1;
		w->line = b->body_line + 1;
		w->col = 1;
		for (k = 0; k < off; k++) {
			if (b->src_text[k] == '\n') {
				w->line++;
				w->col = 1;
			} else {
				w->col++;
			}
		}
		return 0;
	}
	return -1;
}

/* Where to report a finding at element (or text) n: in a body, the source
 * line where a needle is found, else the body's first line; elsewhere the
 * template. */
static void locate(struct lint *L, xmlNode *n, const char *const *needles, const size_t *lens,
		   size_t n_needles, struct where *w)
{
	size_t i;
	w->html_line = xmlGetLineNo(n);
	w->file = L->in->template_path;
	w->line = w->col = 0;
	for (i = 0; i < L->in->n_bodies; i++) {
		struct body_map *bm = &L->bodies[i];
		if (!bm->first || w->html_line < bm->first || w->html_line > bm->last)
			continue;
		w->file = bm->b->src_path;
		if (find_in_source(bm, needles, lens, n_needles, w)) {
			w->line = bm->b->body_line + 1;
			w->col = 1;
		}
		return;
	}
}

/* Adds a finding; the message gets the success criterion, the note the
 * place in the page (and extra_note, if any). */
static void emit(struct lint *L, enum rule rule, const struct where *w, const char *extra_note,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void emit(struct lint *L, enum rule rule, const struct where *w, const char *extra_note,
		 const char *fmt, ...)
{
	va_list ap;
	buf_reset(&L->msg);
	va_start(ap, fmt);
	buf_vaddf(&L->msg, fmt, ap);
	va_end(ap);
	if (*rule_wcag[rule])
		buf_addf(&L->msg, " (WCAG 2.2 SC %s)", rule_wcag[rule]);
	diag(L->d, rule, w->file, w->line, w->col, "%s", L->msg.ptr);
	if (L->in->out_path && w->html_line > 0)
		diag_note(L->d, "in %s line %ld%s%s", L->in->out_path, w->html_line,
			  extra_note ? "; " : "", extra_note ? extra_note : "");
	else if (extra_note)
		diag_note(L->d, "%s", extra_note);
}

/* Locates a finding at n by n's own text. */
static void locate_by_text(struct lint *L, xmlNode *n, struct where *w)
{
	const char *needle;
	size_t len;
	buf_reset(&L->tmp);
	node_text(L, n, &L->tmp);
	needle = L->tmp.ptr;
	len = L->tmp.len;
	locate(L, n, &needle, &len, 1, w);
}

/* Quotes s into L->tmp and returns it (valid until the next use of tmp). */
static const char *q(struct lint *L, const char *s, size_t n)
{
	buf_reset(&L->tmp);
	lint_quote(&L->tmp, s, n, LINT_QUOTE_BYTES);
	return L->tmp.ptr;
}

/* --- the rules ------------------------------------------------------------ */

static void check_lang(struct lint *L, xmlNode *n, const char *lang)
{
	struct where w;
	if (lang && !lint_blank(lang)) {
		if (n == xmlDocGetRootElement(n->doc) && L->in->lang && !lint_lang_same(lang, L->in->lang)) {
			locate(L, n, NULL, NULL, 0, &w);
			emit(L, RULE_A11Y_LANG, &w, NULL, "html lang '%s' is not the page language '%s'",
			     lang, L->in->lang);
		}
		return;
	}
	locate_by_text(L, n, &w);
	if (n == xmlDocGetRootElement(n->doc) && !lang)
		emit(L, RULE_A11Y_LANG, &w, NULL, "page without a lang attribute on html");
	else
		emit(L, RULE_A11Y_LANG, &w, NULL, "empty lang attribute on '%s'", name_of(n));
}

static void check_heading(struct lint *L, xmlNode *n, int level)
{
	struct where w;
	if (level == 1 && ++L->n_h1 > 1) {
		locate_by_text(L, n, &w);
		emit(L, RULE_A11Y_H1, &w, NULL, "page with more than one h1");
	}
	if (L->last_level && level > L->last_level + 1) {
		locate_by_text(L, n, &w);
		emit(L, RULE_A11Y_HEADING_ORDER, &w, NULL, "heading level skipped: h%d after h%d",
		     level, L->last_level);
	}
	L->last_level = level;
}

/* "photo.jpg", "IMG_0042.PNG", or the image's own file name. */
static int is_file_name(const char *alt, const char *src)
{
	static const char *const ext[] = { "png", "jpg", "jpeg", "gif", "svg", "webp", "avif",
					   "bmp", "tif", "tiff", "ico", "heic" };
	const char *dot, *base;
	size_t i, n = strlen(alt);
	if (src) {
		base = strrchr(src, '/');
		base = base ? base + 1 : src;
		if (*base && !strcmp(base, alt))
			return 1;
	}
	if (strpbrk(alt, " \t\n") || !(dot = strrchr(alt, '.')) || dot == alt || dot + 1 == alt + n)
		return 0;
	for (i = 0; i < ARRAY_SIZE(ext); i++)
		if (strlen(dot + 1) == strlen(ext[i]) && lint_ieq_prefix(dot + 1, ext[i]))
			return 1;
	return 0;
}

static void check_img(struct lint *L, xmlNode *n, const struct frame *f)
{
	const char *alt = attr(L, n, "alt"), *src = attr(L, n, "src");
	const char *needles[2];
	size_t lens[2];
	struct where w;
	if (alt && L->collecting && !f->hidden) {
		buf_addc(&L->name, ' ');
		buf_adds(&L->name, alt);
		buf_addc(&L->name, ' ');
	}
	if (alt && !is_file_name(alt, src))
		return;
	buf_reset(&L->tmp);
	if (alt)
		buf_addf(&L->tmp, "![%s", alt);
	needles[0] = L->tmp.ptr;
	lens[0] = L->tmp.len;
	needles[1] = src;
	lens[1] = src ? strlen(src) : 0;
	locate(L, n, needles, lens, 2, &w);
	if (!alt)
		emit(L, RULE_A11Y_IMG_ALT, &w, NULL, "image without alt attribute");
	else
		emit(L, RULE_A11Y_IMG_ALT, &w, NULL, "image alt text '%s' is a file name",
		     q(L, alt, strlen(alt)));
}

static void check_id(struct lint *L, xmlNode *n, const char *id)
{
	xmlNode *first;
	struct where w;
	char note[64];
	if (lint_blank(id))
		return;
	first = hash_get(&L->ids, id);
	if (!first) {
		hash_put(&L->ids, id, n);
		return;
	}
	locate_by_text(L, n, &w);
	snprintf(note, sizeof(note), "first on line %ld", xmlGetLineNo(first));
	emit(L, RULE_A11Y_DUPLICATE_ID, &w, note, "duplicate id '%s'", q(L, id, strlen(id)));
}

static void text_node(struct lint *L, xmlNode *n)
{
	const struct frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
	const char *s = (const char *)n->content, *needle;
	const struct lint_set *own;
	size_t other, first, last, len;
	struct where w;
	if (!f || !s || f->hidden || f->skip_text)
		return;
	if (L->collecting)
		buf_adds(&L->name, s);
	own = lint_find_set(L->l, f->lang);
	if (!own || !own->n_common ||
	    !lint_foreign_run(L->l, (size_t)(own - L->l->sets), s, &other, &first, &last))
		return;
	needle = s + first;
	len = strcspn(needle, "\n");
	if (len > last - first)
		len = last - first;
	locate(L, n->parent, &needle, &len, 1, &w);
	emit(L, RULE_A11Y_FOREIGN_TEXT, &w, "mark it with lang, or translate it",
	     "text in '%s' without lang: '%s'", L->l->sets[other].tag,
	     q(L, s + first, last - first));
}

/* The accessible name of a closing link or button frame, in full into
 * L->ename and folded (lint_norm_text) into L->norm. Returns 0 if it has
 * none, 1 if it has, 2 if it is named by aria-labelledby (not resolved). */
static int element_name(struct lint *L, const struct frame *f)
{
	const char *label = attr(L, f->node, "aria-label"), *title;
	buf_reset(&L->ename);
	buf_reset(&L->norm);
	if (!lint_blank(label)) {
		lint_quote(&L->ename, label, strlen(label), SIZE_MAX);
	} else if (!lint_blank(attr(L, f->node, "aria-labelledby"))) {
		return 2;
	} else {
		lint_quote(&L->ename, L->name.ptr + f->name_start, L->name.len - f->name_start,
			   SIZE_MAX);
		title = attr(L, f->node, "title");
		if (!L->ename.len && !lint_blank(title))
			lint_quote(&L->ename, title, strlen(title), SIZE_MAX);
	}
	lint_norm_text(&L->norm, L->ename.ptr, L->ename.len);
	return L->ename.len ? 1 : 0;
}

/* A link's place: in Markdown it is "[name](...)"; else its name, or its
 * address. Located once, however many findings it has. */
static void locate_link(struct lint *L, const struct frame *f, const char *href, struct where *w,
			int *located)
{
	const char *needles[3];
	size_t lens[3];
	if (*located)
		return;
	*located = 1;
	buf_reset(&L->needle);
	buf_addc(&L->needle, '[');
	buf_add(&L->needle, L->ename.ptr, strcspn(L->ename.ptr, "\n"));
	needles[0] = L->needle.ptr;
	lens[0] = L->needle.len;
	needles[1] = L->ename.ptr;
	lens[1] = L->ename.len;
	needles[2] = href;
	lens[2] = href ? strlen(href) : 0;
	locate(L, f->node, needles, lens, 3, w);
}

static int is_new_window(const char *target)
{
	return target && *target && strcmp(target, "_self") && strcmp(target, "_parent") &&
	       strcmp(target, "_top");
}

static void close_link(struct lint *L, const struct frame *f)
{
	const char *href = attr(L, f->node, "href"), *target = attr(L, f->node, "target");
	const char *hreflang = attr(L, f->node, "hreflang");
	const struct lint_set *set = lint_find_set(L->l, f->lang);
	struct where w;
	int named = element_name(L, f), located = 0;
	size_t i;
	if (!set)
		set = lint_find_set(L->l, L->page_lang);
	if (!named) {
		locate_link(L, f, href, &w, &located);
		emit(L, RULE_A11Y_EMPTY_LINK, &w, NULL, "link to '%s' without text",
		     q(L, href, strlen(href)));
		return;
	}
	if (named == 2)
		return;
	if (set && hash_get(&set->vague, L->norm.ptr)) {
		locate_link(L, f, href, &w, &located);
		emit(L, RULE_A11Y_VAGUE_LINK, &w, "say where the link goes", "vague link text '%s'",
		     q(L, L->ename.ptr, L->ename.len));
	}
	if (lint_ieq_prefix(href, "tel:") && !strpbrk(L->ename.ptr, "0123456789")) {
		locate_link(L, f, href, &w, &located);
		emit(L, RULE_A11Y_TEL, &w, "show the number the link dials",
		     "phone link text '%s' has no digits", q(L, L->ename.ptr, L->ename.len));
	}
	if (is_new_window(target) && lint_blank(attr(L, f->node, "aria-describedby"))) {
		int warned = 0;
		for (i = 0; set && i < set->n_new_window && !warned; i++)
			warned = strstr(L->norm.ptr, set->new_window[i]) != NULL;
		if (!warned) {
			locate_link(L, f, href, &w, &located);
			emit(L, RULE_A11Y_NEW_WINDOW, &w, "say in the link text that it opens a new window",
			     "link '%s' opens a new window without warning",
			     q(L, L->ename.ptr, L->ename.len));
		}
	}
	if (!lint_blank(hreflang) && !lint_lang_same(hreflang, f->lang)) {
		locate_link(L, f, href, &w, &located);
		emit(L, RULE_A11Y_FOREIGN_TEXT, &w, "give the link lang as well as hreflang",
		     "link text in '%s' (hreflang) without lang: '%s'", hreflang,
		     q(L, L->ename.ptr, L->ename.len));
	}
}

static void close_button(struct lint *L, const struct frame *f)
{
	struct where w;
	if (!element_name(L, f)) {
		locate(L, f->node, NULL, NULL, 0, &w);
		emit(L, RULE_A11Y_EMPTY_LINK, &w, NULL, "button without text");
	}
}

static void close_table(struct lint *L, const struct frame *f)
{
	struct where w;
	if (f->has_th && f->has_caption)
		return;
	locate_by_text(L, f->node, &w);
	if (!f->has_th)
		emit(L, RULE_A11Y_TABLE, &w, "mark the row or column headings as th",
		     "table without header cells");
	if (!f->has_caption)
		emit(L, RULE_A11Y_TABLE, &w, "give it a caption, aria-label or aria-labelledby",
		     "table without a caption or label");
}

/* --- the walk --------------------------------------------------------------- */

static void enter(struct lint *L, xmlNode *n)
{
	struct frame *f, *parent;
	const char *nm = name_of(n), *lang, *v;
	if (L->depth == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 64;
		L->stack = xrealloc(L->stack, st_mult(L->cap, sizeof(*L->stack)));
	}
	/* Pointers into the stack only after it has grown. */
	parent = L->depth ? &L->stack[L->depth - 1] : NULL;
	f = &L->stack[L->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->lang = parent ? parent->lang : L->in->lang ? L->in->lang : "";
	f->hidden = parent && parent->hidden;
	f->skip_text = parent && parent->skip_text;
	f->table = -1;

	lang = attr(L, n, "lang");
	if (lang || !parent)
		check_lang(L, n, lang);
	if (lang)
		f->lang = lang;
	if (((v = attr(L, n, "aria-hidden")) && !strcmp(v, "true")) || attr(L, n, "hidden"))
		f->hidden = 1;
	if (!strcmp(nm, "script") || !strcmp(nm, "style") || !strcmp(nm, "template"))
		f->skip_text = 1;
	if ((v = attr(L, n, "id")))
		check_id(L, n, v);

	if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2]) {
		check_heading(L, n, nm[1] - '0');
	} else if (!strcmp(nm, "img")) {
		check_img(L, n, f);
	} else if ((!strcmp(nm, "a") && attr(L, n, "href")) || !strcmp(nm, "button") ||
		   !strcmp(nm, "caption")) {
		f->kind = nm[0] == 'a' ? K_LINK : nm[0] == 'b' ? K_BUTTON : K_CAPTION;
		f->name_start = L->name.len;
		L->collecting++;
	} else if (!strcmp(nm, "table")) {
		const char *role = attr(L, n, "role");
		if (!role || (strcmp(role, "presentation") && strcmp(role, "none"))) {
			f->kind = K_TABLE;
			f->table = L->table;
			f->has_caption = !lint_blank(attr(L, n, "aria-label")) ||
					 !lint_blank(attr(L, n, "aria-labelledby"));
			L->table = (long)(L->depth - 1);
		}
	} else if (!strcmp(nm, "th") && L->table >= 0) {
		L->stack[L->table].has_th = 1;
	}
}

static void leave(struct lint *L)
{
	struct frame *f = &L->stack[L->depth - 1];
	switch (f->kind) {
	case K_LINK:
		close_link(L, f);
		break;
	case K_BUTTON:
		close_button(L, f);
		break;
	case K_CAPTION:
		if (L->table >= 0 && !lint_blank(L->name.ptr + f->name_start))
			L->stack[L->table].has_caption = 1;
		break;
	case K_TABLE:
		close_table(L, f);
		L->table = f->table;
		break;
	case K_OTHER:
		break;
	}
	/* Nested names share the buffer: it empties when the outermost closes. */
	if (f->kind == K_LINK || f->kind == K_BUTTON || f->kind == K_CAPTION) {
		if (!--L->collecting)
			buf_reset(&L->name);
	}
	L->depth--;
}

/* Depth-first over the element tree with parent/next links: no recursion,
 * however deep the page nests. */
static void walk(struct lint *L, xmlNode *root)
{
	xmlNode *n = root;
	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			enter(L, n);
			if (n->children) {
				n = n->children;
				continue;
			}
		} else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			text_node(L, n);
		}
		for (;;) {
			if (n->type == XML_ELEMENT_NODE)
				leave(L);
			if (n == root) {
				n = NULL;
				break;
			}
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
		}
	}
}

/* Finds each body in the page (in order) and the lines it occupies. */
static void map_bodies(struct lint *L)
{
	const struct lint_input *in = L->in;
	size_t i, from = 0, off, k;
	long line = 1;
	size_t counted = 0;
	L->bodies = xcalloc(in->n_bodies ? in->n_bodies : 1, sizeof(*L->bodies));
	for (i = 0; i < in->n_bodies; i++) {
		const struct lint_body *b = &in->bodies[i];
		const char *hit = b->len && from < in->len
					  ? lint_find_bytes(in->html + from, in->len - from, b->html, b->len)
					  : NULL;
		L->bodies[i].b = b;
		if (!hit)
			continue;
		off = (size_t)(hit - in->html);
		for (k = counted; k < off; k++)
			line += in->html[k] == '\n';
		counted = off;
		L->bodies[i].first = line;
		L->bodies[i].last = line;
		for (k = 0; k + 1 < b->len; k++)
			L->bodies[i].last += b->html[k] == '\n';
		from = off + b->len;
	}
}

struct parse_error {
	int seen;
	int line, col;
	char message[200];
};

/* libxml2's structured error handler: keeps the first error. */
static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct parse_error *pe = ((xmlParserCtxtPtr)data)->_private;
	size_t n;
	if (pe->seen || e->level < XML_ERR_ERROR)
		return;
	pe->seen = 1;
	pe->line = e->line;
	pe->col = e->int2;
	snprintf(pe->message, sizeof(pe->message), "%s", e->message ? e->message : "error");
	n = strlen(pe->message);
	while (n && lint_is_space((unsigned char)pe->message[n - 1]))
		pe->message[--n] = '\0';
	if (pe->message[0] >= 'A' && pe->message[0] <= 'Z')
		pe->message[0] = (char)(pe->message[0] + 32);
}

static void report_parse_error(struct lint *L, const struct parse_error *pe)
{
	struct where w = { L->in->template_path, 0, 0, pe->line };
	size_t i;
	char note[64];
	for (i = 0; i < L->in->n_bodies; i++) {
		const struct body_map *bm = &L->bodies[i];
		if (bm->first && pe->line >= bm->first && pe->line <= bm->last) {
			w.file = bm->b->src_path;
			w.line = bm->b->body_line + 1;
			w.col = 1;
		}
	}
	snprintf(note, sizeof(note), "column %d", pe->col);
	emit(L, RULE_HTML, &w, note, "page is not well-formed: %s", pe->message);
}

int lint_page(const struct linter *l, const struct lint_input *in, struct diags *d)
{
	struct lint L;
	struct parse_error pe;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	int errors = d->errors;
	memset(&L, 0, sizeof(L));
	memset(&pe, 0, sizeof(pe));
	L.l = l;
	L.in = in;
	L.d = d;
	L.table = -1;
	buf_init(&L.name, 0);
	buf_init(&L.msg, 0);
	buf_init(&L.tmp, 0);
	buf_init(&L.ename, 0);
	buf_init(&L.norm, 0);
	buf_init(&L.needle, 0);
	map_bodies(&L);

	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		BUG("cannot create an XML parser");
	ctxt->_private = &pe;
	ctxt->sax->serror = on_xml_error;
	/* No network, no entity expansion (a page has no DTD), errors to
	 * on_xml_error only; line numbers past 65535 kept. */
	if (in->len <= (size_t)INT_MAX)
		doc = xmlCtxtReadMemory(ctxt, in->html, (int)in->len, in->out_path, "UTF-8",
					XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
						XML_PARSE_BIG_LINES | XML_PARSE_COMPACT);
	if (!doc || !ctxt->wellFormed || pe.seen) {
		if (!pe.seen)
			snprintf(pe.message, sizeof(pe.message), "%s",
				 in->len > (size_t)INT_MAX ? "page too large" : "no document");
		report_parse_error(&L, &pe);
	} else {
		xmlNode *root = xmlDocGetRootElement(doc);
		L.page_lang = in->lang ? in->lang : attr(&L, root, "lang");
		walk(&L, root);
		if (!L.n_h1) {
			struct where w;
			locate(&L, root, NULL, NULL, 0, &w);
			emit(&L, RULE_A11Y_H1, &w, NULL, "page without an h1");
		}
	}
	if (doc)
		xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	hash_release(&L.ids);
	free(L.stack);
	free(L.bodies);
	buf_release(&L.name);
	buf_release(&L.msg);
	buf_release(&L.tmp);
	buf_release(&L.ename);
	buf_release(&L.norm);
	buf_release(&L.needle);
	arena_release(&L.arena);
	return d->errors > errors ? -1 : 0;
}
