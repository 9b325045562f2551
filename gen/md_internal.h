/* md_internal.h - what the files of the Markdown stage share, and nothing
 * else includes: markdown.c (parse, shared helpers, results), md_charref.c
 * (character references to control characters), md_inline.c (facts, phone
 * numbers, links), md_block.c (raw HTML, callouts, headings, tables,
 * footnotes) and md_render.c (the HTML renderer). The passes leave
 * what they decide in a struct md_info on each node (cmark user data, in the
 * page arena); the renderer reads it and decides nothing. */
#ifndef CAREPRESS_MD_INTERNAL_H
#define CAREPRESS_MD_INTERNAL_H

#include <cmark-gfm.h>
#include "markdown.h"

enum md_kind {
	MD_NONE,
	MD_FACT,       /* TEXT: the value of a fact */
	MD_TEL,        /* LINK: a tel: link around a phone number */
	MD_FACT_LINK,  /* LINK: a fact whose value is a URL */
	MD_LINK,       /* LINK or IMAGE from the Markdown: href checked/resolved */
	MD_CALLOUT,    /* BLOCK_QUOTE: [!NOTE], [!WARNING] */
	MD_CARE_CARD,  /* BLOCK_QUOTE: [!NONURGENT], [!URGENT], [!EMERGENCY] */
	MD_HEADING,    /* HEADING: its id; label when it heads a care card */
	MD_TABLE,      /* table: caption and row headers */
	MD_CAPTION,    /* PARAGRAPH rendered as a table's caption, not in place */
	MD_FNREF       /* FOOTNOTE_REFERENCE: number and occurrence */
};

struct md_info {
	enum md_kind kind;
	const char *href;     /* MD_TEL, MD_FACT_LINK, MD_LINK; NULL after an error */
	const char *id;       /* MD_HEADING; MD_TABLE: the caption's id */
	const char *label;    /* MD_CALLOUT, MD_CARE_CARD, care card MD_HEADING: UI label */
	const char *variant;  /* MD_CALLOUT, MD_CARE_CARD: "note", "urgent"... */
	const char *fact;     /* MD_FACT: the fact's name */
	int phone;            /* MD_FACT: a phone.* fact (becomes a tel: link) */
	/* Body position of a node made by a pass (cmark gives those none): for
	 * MD_FACT its "{{", for text split off a run where it was. 0 if unknown. */
	int line, col;
	cmark_node *caption;  /* MD_TABLE: the "Table: ..." paragraph, or NULL */
	int row_headers;      /* MD_TABLE: first header cell empty */
	int n, k;             /* MD_FNREF: note number, k-th reference to it */
};

/* A set of strings (ids in the page, facts used, footnote labels), each with
 * a count: open addressing, strings not copied. */
struct md_set {
	const char **v;
	int *count;
	size_t n, cap;
};

/* One page being rendered. */
struct md {
	const struct md_env *env;
	struct arena *a;
	struct diags *d;
	const char *body;
	size_t len;
	size_t *lines;     /* byte offset of each body line; lines[n_lines] = len + 1 */
	size_t n_lines;
	cmark_node *doc;
	struct md_set ids, facts;
	struct md_set id_bases;       /* heading slugs, counted: the next -N to try */
	struct md_heading *headings;  /* malloc'd while rendering */
	size_t n_headings, cap_headings;
	unsigned strings_reported;    /* bit per UI string already reported missing */
	const char *fn_title, *fn_back; /* UI strings for the footnotes */
	size_t n_footnotes;
};

/* Node types of the extensions (cmark gives them run-time numbers). */
enum md_ext { MD_EXT_NONE, MD_EXT_TABLE, MD_EXT_HEADER_ROW, MD_EXT_ROW, MD_EXT_CELL };
enum md_ext md_ext_type(cmark_node *node);

/* The info of node, created (zeroed, kind MD_NONE) on first use. */
struct md_info *md_info(struct md *m, cmark_node *node);
/* The info of node, or NULL. */
struct md_info *md_info_get(cmark_node *node);

/* Body line and column of node: the one a pass recorded, else cmark's, else
 * its nearest positioned ancestor's. */
void md_pos(cmark_node *node, int *line, int *col);
/* Column (1-based, bytes) of the nth (0-based) occurrence of needle on body
 * line `line` at or after column from; 0 when it is not there. */
int md_find_col(const struct md *m, int line, int from, const char *needle, size_t nlen,
		int nth);
/* Adds a diagnostic at body line/col (line_offset is added here). */
void md_diag(struct md *m, enum rule rule, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void md_diag_sev(struct md *m, enum severity sev, enum rule rule, int line, int col,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* s as an arena string fit to quote in a message: control bytes made
 * visible, one line, at most about 60 bytes. */
const char *md_quote(struct md *m, const char *s, size_t len);
/* The UI string key; reports it missing (once per page) at body line/col. */
const char *md_string(struct md *m, const char *key, int line, int col);

/* Appends the plain text of node's subtree (text, code; breaks as spaces). */
void md_plain_text(cmark_node *node, struct buf *out);
/* 1 if node is inside a link or an image (whose text cannot hold links). */
int md_in_link(cmark_node *node);
/* Frees node (unlinked first) and everything under it. */
void md_drop(cmark_node *node);
/* A new TEXT node with literal s[0, len). */
cmark_node *md_new_text(const char *s, size_t len);

int md_set_has(const struct md_set *s, const char *str);
/* Adds str (not copied); returns 0 if it was new, 1 if already there. */
int md_set_add(struct md_set *s, const char *str);
/* Adds str if new, and returns how many times it has been bumped (1 first). */
int md_set_bump(struct md_set *s, const char *str);
void md_set_release(struct md_set *s);

/* The passes, in the order markdown_render runs them. */
void md_pass_char_refs(struct md *m);
void md_pass_raw_html(struct md *m);
void md_pass_callouts(struct md *m);
void md_pass_autolinks(struct md *m);
void md_pass_facts(struct md *m);
void md_pass_phones(struct md *m);
void md_pass_links(struct md *m);
void md_pass_headings(struct md *m);
void md_pass_tables(struct md *m);
void md_pass_footnotes(struct md *m);

/* Renders the tree as HTML into html and its visible text into text. */
void md_render_html(struct md *m, struct buf *html, struct buf *text);

#endif
