/* markdown.h - the Markdown stage: a page body becomes checked, accessible
 * HTML. Parses with cmark-gfm, runs the carepress passes over the tree (raw
 * HTML, callouts, facts, phone numbers, links, headings, tables, footnotes)
 * and renders every byte itself. Never prints: problems are diagnostics. */
#ifndef CAREPRESS_MARKDOWN_H
#define CAREPRESS_MARKDOWN_H

#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "value.h"

/* Block quotes, lists and inline markup nested deeper than this are refused
 * (RULE_NESTING) before any pass runs: no care guide needs more, and it bounds
 * the work on hostile input (10,000 nested '>'). */
#define MD_MAX_NESTING 32

struct md_link_ctx;  /* opaque to markdown.c; the caller's */

struct md_env {
	const char *path;        /* source file, for diagnostics */
	int line_offset;         /* lines before the body (the front matter), added to every cmark line */
	const char *lang;        /* the page's BCP 47 tag (used in messages about UI strings) */
	/* This language's UI strings (a VALUE_MAP). Keys used: note, warning,
	 * nonurgent, urgent, emergency (callout and care card labels), footnotes
	 * (the notes heading), footnote_back (the back link's label; "{n}" is
	 * replaced by the note's number). A missing key is a RULE_STRINGS error. */
	const struct value *strings;
	/* Returns this language's value of fact `name` ("phone.tty"), or NULL if
	 * there is none. */
	const char *(*fact)(void *ctx, const char *name);
	/* Every fact name, for "did you mean". */
	const char *const *fact_names; size_t n_facts;
	/* Returns the name of the fact whose value is this phone number, or NULL.
	 * digits is the form phone_value_digits gives ("18004644000": country
	 * code 1 included), so index facts by phone_value_digits of their value.
	 * May be NULL (no check). */
	const char *(*fact_for_phone)(void *ctx, const char *digits);
	/* Resolves a link destination that is not an absolute URL with a scheme
	 * (e.g. "urgent-care.md", "urgent-care.md#when", "#when", "/en/some-slug/",
	 * "../x.md", also image sources): returns 0 and appends the href to use,
	 * or -1 after adding its own diagnostic (missing page, path outside the
	 * site) at line/col. May be NULL (destinations are kept as written). */
	int (*resolve_link)(void *ctx, const char *dest, int line, int col, struct buf *href,
			    struct diags *d);
	void *ctx;
	/* For a page rendered inside another (the brochure): every id and
	 * in-page reference gets this prefix, and headings go this many levels
	 * down. NULL and 0 for a page of its own. */
	const char *id_prefix;
	int heading_shift;               /* passed to the three callbacks */
};

struct md_heading {
	int level;               /* 2..6 (1 only in a page that has an error) */
	const char *id;          /* unique in the page, never empty */
	const char *text;        /* plain text, facts expanded */
	int line;                /* in the file (line_offset included) */
};

struct md_result {
	const char *html; size_t html_len;      /* the body HTML, in the arena */
	struct md_heading *headings; size_t n_headings; /* in order, ids unique in the page */
	const char **facts_used; size_t n_facts_used;   /* distinct fact names used, sorted */
	/* The visible text of the body: paragraphs, headings, list items, table
	 * cells and footnotes separated by "\n\n" (not alt text, labels or note
	 * numbers), for reading-level and word counts. */
	const char *text; size_t text_len;
	size_t n_footnotes;
};

/* Parses a page body (UTF-8 NFC, LF line ends, no front matter) with
 * cmark-gfm (the table extension, footnotes on; bare URLs linked by
 * md_autolink.c, no strikethrough), runs
 * the passes and renders HTML. Every problem in the page is reported, with
 * its line (line_offset added) and byte column in the file. All results live
 * in arena a (*out is always filled; empty after a nesting error). Returns 0,
 * or -1 if any error was added (warnings alone return 0). Thread-safe: pages
 * may be rendered in parallel, each thread with its own arena and diags. */
int markdown_render(const char *body, size_t len, const struct md_env *env,
		    struct arena *a, struct md_result *out, struct diags *d);

#endif
