/* lint.c - the checks of every written page: stream it through libxml2's
 * SAX2 parser (no tree is built) and keep what the rules need on a stack of
 * open elements. Findings inside a Markdown body point at the source line.
 * Never prints and never changes the page. The CSS contrast check is in
 * contrast.c. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include "lint_internal.h"
#include "util.h"

/* --- one page -------------------------------------------------------------- */

/* Bytes given to the parser at a time. */
#define LINT_CHUNK (64 * 1024)

enum frame_kind { K_OTHER, K_LINK, K_BUTTON, K_CAPTION, K_TABLE };

/* The attributes the rules read, copied out of the parser's buffers (values
 * with entities are decoded). NULL when absent. */
struct attrs {
	const char *lang, *aria_hidden, *hidden, *id, *cls, *role;
	const char *label, *labelledby, *describedby, *title;
	const char *href, *target, *hreflang, *alt, *src;
};

/* An open element. Frames live in a growable array: refer to them by index. */
struct frame {
	const char *name;       /* libxml2's dictionary: valid while the parser lives */
	long line;              /* of its start tag in the page */
	const char *lang;       /* the language in effect ("" if unknown) */
	enum frame_kind kind;
	int hidden;             /* aria-hidden, hidden: not read, not named */
	int skip_text;          /* script, style */
	/* Elements on the stack up to this one that hide their text from a
	 * finding's quote (class visually-hidden, aria-hidden): text belongs to
	 * an element's own visible text while no such element is between. */
	unsigned veiled, veil_base;
	int wants_text;         /* deferred findings, or a table's first text, wait for it */
	int reported;           /* inside a body whose findings another page reports */
	size_t name_start;      /* K_LINK, K_BUTTON, K_CAPTION: where its text starts in name */
	long table;             /* K_TABLE: the enclosing table's frame, or -1 */
	int has_th, has_caption;/* K_TABLE */
	const char *first_text; /* K_TABLE: its first visible text, found on the way */
	/* K_LINK, K_BUTTON: what its name and findings need */
	const char *href, *target, *hreflang, *label, *labelledby, *describedby, *title;
};

/* A finding placed by its element's first visible text, which a stream
 * parser reads only after the start tag: kept until that text (or the end
 * of the element) comes. */
struct deferred {
	size_t frame;
	enum rule rule;
	const char *message, *note; /* in the arena; note may be NULL */
};

struct body_map {
	const struct lint_body *b;
	long first, last;       /* its lines in the page; 0 when not found there */
	size_t start, end;      /* its bytes in the page */
	size_t cursor;          /* source searches start here (document order) */
};

struct parse_error {
	int seen;
	int line, col;
	char message[200];
};

struct lint {
	const struct linter *l;
	const struct lint_input *in;
	struct diags *d;
	struct parse_error pe;
	const char *page_lang;
	struct body_map *bodies;
	struct frame *stack;
	size_t depth, cap;
	long root_line;         /* 0 until the root element starts */
	struct deferred *deferred;
	size_t n_deferred, cap_deferred;
	size_t n_wanting;       /* frames with wants_text */
	struct buf text;        /* character data since the last markup */
	struct buf name;        /* text of the open links, buttons and captions */
	int collecting;         /* how many open frames collect into name */
	long table;             /* innermost open table frame, or -1 */
	struct hash ids;        /* id -> the line of its first element */
	int n_h1, last_level;
	struct arena arena;     /* attribute values, ids, deferred messages */
	/* Reused for every finding and link, so a page allocates them once:
	 * the message; quotes and needles; a closing link's name, in full and
	 * folded for comparison, and its "[name" needle. */
	struct buf msg, tmp, ename, norm, needle;
};

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

/* Where to report a finding at the element that starts on html_line: in a
 * body, the source line where a needle is found, else the body's first
 * line; elsewhere the template. */
static void locate(struct lint *L, long html_line, const char *const *needles,
		   const size_t *lens, size_t n_needles, struct where *w)
{
	size_t i;
	w->html_line = html_line;
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

/* An element's visible text as a needle: its first line, trimmed. */
static void text_needle(const char *s, struct buf *out)
{
	buf_reset(out);
	while (lint_is_space((unsigned char)*s))
		s++;
	/* One line: the source has it on one line too. */
	buf_add(out, s, strcspn(s, "\n"));
	while (out->len && lint_is_space((unsigned char)out->ptr[out->len - 1]))
		buf_truncate(out, out->len - 1);
}

/* Locates at the element that starts on html_line by its visible text
 * (NULL: it has none). */
static void locate_by_text(struct lint *L, long html_line, const char *text, struct where *w)
{
	const char *needle;
	size_t len;
	text_needle(text ? text : "", &L->tmp);
	needle = L->tmp.ptr;
	len = L->tmp.len;
	locate(L, html_line, &needle, &len, 1, w);
}

/* Defers a finding at frame f until its first visible text is known;
 * note (copied) may be NULL. */
static void defer(struct lint *L, size_t f, enum rule rule, const char *note, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));
static void defer(struct lint *L, size_t f, enum rule rule, const char *note, const char *fmt,
		  ...)
{
	va_list ap;
	struct deferred *df;
	if (L->n_deferred == L->cap_deferred) {
		L->cap_deferred = L->cap_deferred ? L->cap_deferred * 2 : 8;
		L->deferred = xrealloc(L->deferred, st_mult(L->cap_deferred, sizeof(*L->deferred)));
	}
	df = &L->deferred[L->n_deferred++];
	df->frame = f;
	df->rule = rule;
	buf_reset(&L->msg);
	va_start(ap, fmt);
	buf_vaddf(&L->msg, fmt, ap);
	va_end(ap);
	df->message = arena_strndup(&L->arena, L->msg.ptr, L->msg.len);
	df->note = note ? arena_strdup(&L->arena, note) : NULL;
	if (!L->stack[f].wants_text) {
		L->stack[f].wants_text = 1;
		L->n_wanting++;
	}
}

/* Emits the findings deferred at frame f, located by text (NULL: none). */
static void settle(struct lint *L, size_t f, const char *text)
{
	size_t i, kept = 0;
	struct where w;
	int located = 0;
	for (i = 0; i < L->n_deferred; i++) {
		struct deferred *df = &L->deferred[i];
		if (df->frame != f) {
			L->deferred[kept++] = *df;
			continue;
		}
		if (!located) {
			locate_by_text(L, L->stack[f].line, text, &w);
			located = 1;
		}
		emit(L, df->rule, &w, df->note, "%s", df->message);
	}
	L->n_deferred = kept;
}

/* Quotes s into L->tmp and returns it (valid until the next use of tmp). */
static const char *q(struct lint *L, const char *s, size_t n)
{
	buf_reset(&L->tmp);
	lint_quote(&L->tmp, s, n, LINT_QUOTE_BYTES);
	return L->tmp.ptr;
}

/* --- the rules ------------------------------------------------------------ */

static void check_lang(struct lint *L, size_t f, const char *lang)
{
	struct where w;
	if (lang && !lint_blank(lang)) {
		if (f == 0 && L->in->lang && !lint_lang_same(lang, L->in->lang)) {
			locate(L, L->stack[f].line, NULL, NULL, 0, &w);
			emit(L, RULE_A11Y_LANG, &w, NULL, "html lang '%s' is not the page language '%s'",
			     lang, L->in->lang);
		}
		return;
	}
	if (f == 0 && !lang)
		defer(L, f, RULE_A11Y_LANG, NULL, "page without a lang attribute on html");
	else
		defer(L, f, RULE_A11Y_LANG, NULL, "empty lang attribute on '%s'", L->stack[f].name);
}

static void check_heading(struct lint *L, size_t f, int level)
{
	if (level == 1 && ++L->n_h1 > 1)
		defer(L, f, RULE_A11Y_H1, NULL, "page with more than one h1");
	if (L->last_level && level > L->last_level + 1)
		defer(L, f, RULE_A11Y_HEADING_ORDER, NULL, "heading level skipped: h%d after h%d", level,
		      L->last_level);
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

static void check_img(struct lint *L, const struct frame *f, const struct attrs *a)
{
	const char *needles[2];
	size_t lens[2];
	struct where w;
	if (a->alt && L->collecting && !f->hidden) {
		buf_addc(&L->name, ' ');
		buf_adds(&L->name, a->alt);
		buf_addc(&L->name, ' ');
	}
	if (a->alt && !is_file_name(a->alt, a->src))
		return;
	buf_reset(&L->tmp);
	if (a->alt)
		buf_addf(&L->tmp, "![%s", a->alt);
	needles[0] = L->tmp.ptr;
	lens[0] = L->tmp.len;
	needles[1] = a->src;
	lens[1] = a->src ? strlen(a->src) : 0;
	locate(L, f->line, needles, lens, 2, &w);
	if (!a->alt)
		emit(L, RULE_A11Y_IMG_ALT, &w, NULL, "image without alt attribute");
	else
		emit(L, RULE_A11Y_IMG_ALT, &w, NULL, "image alt text '%s' is a file name",
		     q(L, a->alt, strlen(a->alt)));
}

static void check_id(struct lint *L, size_t f, const char *id)
{
	void *first;
	char note[64];
	if (lint_blank(id))
		return;
	first = hash_get(&L->ids, id);
	if (!first) {
		hash_put(&L->ids, id, (void *)(intptr_t)L->stack[f].line);
		return;
	}
	snprintf(note, sizeof(note), "first on line %ld", (long)(intptr_t)first);
	defer(L, f, RULE_A11Y_DUPLICATE_ID, note, "duplicate id '%s'", q(L, id, strlen(id)));
}

/* Text whose element (the top frame) is known: a finding's quote for the
 * frames that wait for their first visible text, a link's name, and the
 * foreign-text check. */
static void text_node(struct lint *L, const char *s)
{
	struct frame *f = L->depth ? &L->stack[L->depth - 1] : NULL;
	const char *needle;
	const struct lint_set *own;
	size_t other, first, last, len, i;
	struct where w;
	if (!f)
		return;
	if (L->n_wanting && !lint_blank(s)) {
		/* Outer frames first: they were deferred first. */
		for (i = 0; i < L->depth; i++) {
			struct frame *g = &L->stack[i];
			if (!g->wants_text || f->veiled != g->veil_base)
				continue;
			g->wants_text = 0;
			L->n_wanting--;
			if (g->kind == K_TABLE && !g->first_text)
				g->first_text = arena_strdup(&L->arena, s);
			settle(L, i, s);
		}
	}
	if (f->hidden || f->skip_text || f->reported)
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
	locate(L, f->line, &needle, &len, 1, &w);
	emit(L, RULE_A11Y_FOREIGN_TEXT, &w, "mark it with lang, or translate it",
	     "text in '%s' without lang: '%s'", L->l->sets[other].tag,
	     q(L, s + first, last - first));
}

/* The accessible name of a closing link or button frame, in full into
 * L->ename and folded (lint_norm_text) into L->norm. Returns 0 if it has
 * none, 1 if it has, 2 if it is named by aria-labelledby (not resolved). */
static int element_name(struct lint *L, const struct frame *f)
{
	buf_reset(&L->ename);
	buf_reset(&L->norm);
	if (!lint_blank(f->label)) {
		lint_quote(&L->ename, f->label, strlen(f->label), SIZE_MAX);
	} else if (!lint_blank(f->labelledby)) {
		return 2;
	} else {
		lint_quote(&L->ename, L->name.ptr + f->name_start, L->name.len - f->name_start,
			   SIZE_MAX);
		if (!L->ename.len && !lint_blank(f->title))
			lint_quote(&L->ename, f->title, strlen(f->title), SIZE_MAX);
	}
	lint_norm_text(&L->norm, L->ename.ptr, L->ename.len);
	return L->ename.len ? 1 : 0;
}

/* A link's place: in Markdown it is "[name](...)"; else its name, or its
 * address. Located once, however many findings it has. */
static void locate_link(struct lint *L, const struct frame *f, struct where *w, int *located)
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
	needles[2] = f->href;
	lens[2] = f->href ? strlen(f->href) : 0;
	locate(L, f->line, needles, lens, 3, w);
}

static int is_new_window(const char *target)
{
	return target && *target && strcmp(target, "_self") && strcmp(target, "_parent") &&
	       strcmp(target, "_top");
}

static void close_link(struct lint *L, const struct frame *f)
{
	const struct lint_set *set = lint_find_set(L->l, f->lang);
	struct where w;
	int named = element_name(L, f), located = 0;
	size_t i;
	if (!set)
		set = lint_find_set(L->l, L->page_lang);
	if (!named) {
		locate_link(L, f, &w, &located);
		emit(L, RULE_A11Y_EMPTY_LINK, &w, NULL, "link to '%s' without text",
		     q(L, f->href, strlen(f->href)));
		return;
	}
	if (named == 2)
		return;
	if (set && hash_get(&set->vague, L->norm.ptr)) {
		locate_link(L, f, &w, &located);
		emit(L, RULE_A11Y_VAGUE_LINK, &w, "say where the link goes", "vague link text '%s'",
		     q(L, L->ename.ptr, L->ename.len));
	}
	if (lint_ieq_prefix(f->href, "tel:") && !strpbrk(L->ename.ptr, "0123456789")) {
		locate_link(L, f, &w, &located);
		emit(L, RULE_A11Y_TEL, &w, "show the number the link dials",
		     "phone link text '%s' has no digits", q(L, L->ename.ptr, L->ename.len));
	}
	if (is_new_window(f->target) && lint_blank(f->describedby)) {
		int warned = 0;
		for (i = 0; set && i < set->n_new_window && !warned; i++)
			warned = strstr(L->norm.ptr, set->new_window[i]) != NULL;
		if (!warned) {
			locate_link(L, f, &w, &located);
			emit(L, RULE_A11Y_NEW_WINDOW, &w, "say in the link text that it opens a new window",
			     "link '%s' opens a new window without warning",
			     q(L, L->ename.ptr, L->ename.len));
		}
	}
	if (!lint_blank(f->hreflang) && !lint_lang_same(f->hreflang, f->lang)) {
		locate_link(L, f, &w, &located);
		emit(L, RULE_A11Y_FOREIGN_TEXT, &w, "give the link lang as well as hreflang",
		     "link text in '%s' (hreflang) without lang: '%s'", f->hreflang,
		     q(L, L->ename.ptr, L->ename.len));
	}
}

static void close_button(struct lint *L, const struct frame *f)
{
	struct where w;
	if (!element_name(L, f)) {
		locate(L, f->line, NULL, NULL, 0, &w);
		emit(L, RULE_A11Y_EMPTY_LINK, &w, NULL, "button without text");
	}
}

static void close_table(struct lint *L, const struct frame *f)
{
	struct where w;
	if (f->has_th && f->has_caption)
		return;
	locate_by_text(L, f->line, f->first_text, &w);
	if (!f->has_th)
		emit(L, RULE_A11Y_TABLE, &w, "mark the row or column headings as th",
		     "table without header cells");
	if (!f->has_caption)
		emit(L, RULE_A11Y_TABLE, &w, "give it a caption, aria-label or aria-labelledby",
		     "table without a caption or label");
}

/* --- the stream -------------------------------------------------------------- */

/* Copies the attributes the rules read (no namespace) into a; libxml2
 * gives each as localname, prefix, URI, value start, value end. */
static void read_attrs(struct arena *a, const xmlChar **v, int n, struct attrs *out)
{
	static const struct { const char *name; size_t off; } wanted[] = {
		{ "lang", offsetof(struct attrs, lang) },
		{ "aria-hidden", offsetof(struct attrs, aria_hidden) },
		{ "hidden", offsetof(struct attrs, hidden) },
		{ "id", offsetof(struct attrs, id) },
		{ "class", offsetof(struct attrs, cls) },
		{ "role", offsetof(struct attrs, role) },
		{ "aria-label", offsetof(struct attrs, label) },
		{ "aria-labelledby", offsetof(struct attrs, labelledby) },
		{ "aria-describedby", offsetof(struct attrs, describedby) },
		{ "title", offsetof(struct attrs, title) },
		{ "href", offsetof(struct attrs, href) },
		{ "target", offsetof(struct attrs, target) },
		{ "hreflang", offsetof(struct attrs, hreflang) },
		{ "alt", offsetof(struct attrs, alt) },
		{ "src", offsetof(struct attrs, src) },
	};
	int i;
	size_t k;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++, v += 5) {
		const char *name = (const char *)v[0];
		if (v[2])
			continue;  /* xml:lang and other namespaced attributes */
		for (k = 0; k < ARRAY_SIZE(wanted); k++) {
			if (name[0] != wanted[k].name[0] || strcmp(name, wanted[k].name))
				continue;
			*(const char **)((char *)out + wanted[k].off) =
				arena_strndup(a, (const char *)v[3], (size_t)(v[4] - v[3]));
			break;
		}
	}
}

/* 1 if an element whose start tag ends at byte pos is inside a body that
 * another page reports. */
static int in_reported_body(const struct lint *L, size_t pos)
{
	size_t i;
	for (i = 0; i < L->in->n_bodies; i++)
		if (L->in->bodies[i].reported && L->bodies[i].first && pos > L->bodies[i].start &&
		    pos <= L->bodies[i].end)
			return 1;
	return 0;
}

static void enter(struct lint *L, const char *nm, long line, size_t pos, const struct attrs *a)
{
	struct frame *f, *parent;
	size_t fi;
	if (L->depth == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 64;
		L->stack = xrealloc(L->stack, st_mult(L->cap, sizeof(*L->stack)));
	}
	/* Pointers into the stack only after it has grown. */
	parent = L->depth ? &L->stack[L->depth - 1] : NULL;
	fi = L->depth++;
	f = &L->stack[fi];
	memset(f, 0, sizeof(*f));
	f->name = nm;
	f->line = line;
	f->lang = parent ? parent->lang : L->in->lang ? L->in->lang : "";
	f->hidden = parent && parent->hidden;
	f->skip_text = parent && parent->skip_text;
	f->veil_base = parent ? parent->veiled : 0;
	f->veiled = f->veil_base + ((a->cls && strstr(a->cls, "visually-hidden")) ||
				    (a->aria_hidden && !strcmp(a->aria_hidden, "true")));
	f->table = -1;
	f->reported = parent && parent->reported ? 1 : in_reported_body(L, pos);
	if (!parent) {
		L->root_line = line;
		L->page_lang = L->in->lang ? L->in->lang : a->lang;
	}

	if (a->lang || !parent)
		check_lang(L, fi, a->lang);
	if (a->lang)
		f->lang = a->lang;
	if ((a->aria_hidden && !strcmp(a->aria_hidden, "true")) || a->hidden)
		f->hidden = 1;
	if (!strcmp(nm, "script") || !strcmp(nm, "style") || !strcmp(nm, "template"))
		f->skip_text = 1;
	if (a->id)
		check_id(L, fi, a->id);

	if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2]) {
		check_heading(L, fi, nm[1] - '0');
	} else if (f->reported) {
		/* Images, links, buttons and tables there: checked elsewhere. */
	} else if (!strcmp(nm, "img")) {
		check_img(L, f, a);
	} else if ((!strcmp(nm, "a") && a->href) || !strcmp(nm, "button") ||
		   !strcmp(nm, "caption")) {
		f->kind = nm[0] == 'a' ? K_LINK : nm[0] == 'b' ? K_BUTTON : K_CAPTION;
		f->name_start = L->name.len;
		f->href = a->href;
		f->target = a->target;
		f->hreflang = a->hreflang;
		f->label = a->label;
		f->labelledby = a->labelledby;
		f->describedby = a->describedby;
		f->title = a->title;
		L->collecting++;
	} else if (!strcmp(nm, "table")) {
		if (!a->role || (strcmp(a->role, "presentation") && strcmp(a->role, "none"))) {
			f->kind = K_TABLE;
			f->table = L->table;
			f->has_caption = !lint_blank(a->label) || !lint_blank(a->labelledby);
			L->table = (long)fi;
			/* Its first text places its findings, known only at its end. */
			f->wants_text = 1;
			L->n_wanting++;
		}
	} else if (!strcmp(nm, "th") && L->table >= 0) {
		L->stack[L->table].has_th = 1;
	}
}

static void leave(struct lint *L)
{
	size_t fi = L->depth - 1;
	struct frame *f = &L->stack[fi];
	if (f->wants_text) {
		f->wants_text = 0;
		L->n_wanting--;
		settle(L, fi, NULL);
	}
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

/* Character data arrives in pieces (an entity, a buffer's end): a text is
 * whole at the next markup. */
static void flush_text(struct lint *L)
{
	if (!L->text.len)
		return;
	text_node(L, L->text.ptr);
	buf_reset(&L->text);
}

static struct lint *lint_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		     const xmlChar *uri, int n_ns, const xmlChar **ns, int n_attrs,
		     int n_defaulted, const xmlChar **attrs)
{
	struct lint *L = lint_of(ctx);
	struct attrs a;
	(void)prefix;
	(void)uri;
	(void)n_ns;
	(void)ns;
	(void)n_defaulted;
	flush_text(L);
	read_attrs(&L->arena, attrs, n_attrs, &a);
	enter(L, (const char *)localname, xmlSAX2GetLineNumber(ctx),
	      L->in->n_bodies ? (size_t)xmlByteConsumed(ctx) : 0, &a);
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	struct lint *L = lint_of(ctx);
	(void)localname;
	(void)prefix;
	(void)uri;
	flush_text(L);
	if (L->depth)
		leave(L);
}

static void on_characters(void *ctx, const xmlChar *s, int len)
{
	buf_add(&lint_of(ctx)->text, s, (size_t)len);
}

/* Comments and processing instructions end a text, as they would split a
 * tree's text node. */
static void on_comment(void *ctx, const xmlChar *value)
{
	(void)value;
	flush_text(lint_of(ctx));
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	flush_text(lint_of(ctx));
}

static void on_cdata(void *ctx, const xmlChar *s, int len)
{
	struct lint *L = lint_of(ctx);
	flush_text(L);
	buf_add(&L->text, s, (size_t)len);
	flush_text(L);
}

/* The number of newlines in len bytes at s. */
static long count_lines(const char *s, size_t len)
{
	const char *end = s + len;
	long n = 0;
	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Finds each body in the page (in order) and the lines it occupies. */
static void map_bodies(struct lint *L)
{
	const struct lint_input *in = L->in;
	size_t i, from = 0, off;
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
		line += count_lines(in->html + counted, off - counted);
		counted = off;
		L->bodies[i].first = line;
		L->bodies[i].start = off;
		L->bodies[i].end = off + b->len;
		L->bodies[i].last = line + (b->len ? count_lines(b->html, b->len - 1) : 0);
		from = off + b->len;
	}
}

/* libxml2's structured error handler: keeps the first error. */
static void on_xml_error(void *data, xmlErrorPtr e)
{
	struct parse_error *pe = &lint_of(data)->pe;
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

/* A page given a piece at a time (lint_begin). */
struct lint_stream {
	struct lint L;
	struct diags found;      /* apart: a page not well-formed has one finding */
	struct diags *d;
	xmlParserCtxtPtr ctxt;
	/* White space before the first markup, held back: libxml2's push
	 * parser takes a document of white space alone for an empty one with
	 * extra content, and this one is reported as empty. */
	struct buf lead;
	int started;             /* a byte other than white space was pushed */
};

struct lint_stream *lint_begin(const struct linter *l, const struct lint_input *in,
			       struct diags *d)
{
	struct lint_stream *s = xcalloc(1, sizeof(*s));
	struct lint *L = &s->L;
	xmlSAXHandler sax;
	L->l = l;
	L->in = in;
	s->d = d;
	s->found.strict = d->strict;
	L->d = &s->found;
	L->table = -1;
	buf_init(&L->text, 0);
	buf_init(&L->name, 0);
	buf_init(&L->msg, 0);
	buf_init(&L->tmp, 0);
	buf_init(&L->ename, 0);
	buf_init(&L->norm, 0);
	buf_init(&L->needle, 0);
	buf_init(&s->lead, 0);
	map_bodies(L);

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.ignorableWhitespace = on_characters;
	sax.cdataBlock = on_cdata;
	sax.comment = on_comment;
	sax.processingInstruction = on_pi;
	sax.serror = on_xml_error;
	s->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, in->out_path);
	if (!s->ctxt)
		BUG("cannot create an XML parser");
	s->ctxt->_private = L;
	/* No network, no entity expansion (a page has no DTD), errors to
	 * on_xml_error only; no tree is built. UTF-8 is XML's default. */
	xmlCtxtUseOptions(s->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	return s;
}

/* Gives the parser len bytes, LINT_CHUNK at a time (it copies what it is
 * given); nothing after the first error. */
static void parse_pieces(struct lint_stream *s, const char *data, size_t len)
{
	while (len && !s->L.pe.seen) {
		size_t n = len < LINT_CHUNK ? len : LINT_CHUNK;
		if (xmlParseChunk(s->ctxt, data, (int)n, 0))
			break;
		data += n;
		len -= n;
	}
}

void lint_push(struct lint_stream *s, const char *data, size_t len)
{
	size_t lead = 0;
	if (!s->started) {
		while (lead < len && lint_is_space((unsigned char)data[lead]))
			lead++;
		buf_add(&s->lead, data, lead);
		if (lead == len)
			return;
		s->started = 1;
		parse_pieces(s, s->lead.ptr, s->lead.len);
		buf_release(&s->lead);
	}
	parse_pieces(s, data + lead, len - lead);
}

int lint_end(struct lint_stream *s)
{
	struct lint *L = &s->L;
	int errors;
	if (!s->started) {
		L->pe.seen = 1;
		L->pe.line = 1;
		L->pe.col = 1;
		snprintf(L->pe.message, sizeof(L->pe.message), "document is empty");
	} else if (!L->pe.seen) {
		xmlParseChunk(s->ctxt, NULL, 0, 1);
	}
	if (!s->ctxt->wellFormed || L->pe.seen || !L->root_line) {
		if (!L->pe.seen)
			snprintf(L->pe.message, sizeof(L->pe.message), "no document");
		diags_release(&s->found);
		s->found.strict = s->d->strict;
		report_parse_error(L, &L->pe);
	} else if (!L->n_h1) {
		struct where w;
		locate(L, L->root_line, NULL, NULL, 0, &w);
		emit(L, RULE_A11Y_H1, &w, NULL, "page without an h1");
	}
	errors = s->found.errors;
	diags_take(s->d, &s->found);
	xmlFreeParserCtxt(s->ctxt);
	hash_release(&L->ids);
	free(L->stack);
	free(L->deferred);
	free(L->bodies);
	buf_release(&L->text);
	buf_release(&L->name);
	buf_release(&L->msg);
	buf_release(&L->tmp);
	buf_release(&L->ename);
	buf_release(&L->norm);
	buf_release(&L->needle);
	buf_release(&s->lead);
	arena_release(&L->arena);
	free(s);
	return errors ? -1 : 0;
}

int lint_page(const struct linter *l, const struct lint_input *in, struct diags *d)
{
	struct lint_stream *s = lint_begin(l, in, d);
	lint_push(s, in->html, in->len);
	return lint_end(s);
}
