/* lint.h - the checks of written pages: well-formedness and the WCAG 2.2
 * rules a generator can decide from one page (lint.c), and the contrast of
 * the theme's CSS colors (contrast.c). Never prints and never changes a
 * page: findings are diagnostics, each message ending with its success
 * criterion ("vague link text 'here' (WCAG 2.2 SC 2.4.4)").
 *
 * Rules (ids in diag.c; rule_wcag[] gives the criterion):
 *   html                not well-formed XML (our pages are XHTML-compatible)
 *   a11y-lang           html without lang, empty, or not the page's language   3.1.1
 *   a11y-h1             not exactly one h1                                     1.3.1
 *   a11y-heading-order  a heading more than one level below the one before     1.3.1
 *   a11y-img-alt        img without alt, or alt that is a file name            1.1.1
 *   a11y-empty-link     a link (a[href]) or button with no accessible name     4.1.2
 *   a11y-vague-link     link text in the language's vague_links list           2.4.4
 *   a11y-duplicate-id   an id used twice in a page                             4.1.2
 *   a11y-table          a table without th, or without caption/aria-label(ledby) 1.3.1
 *   a11y-tel            a tel: link whose text has no digit                     2.4.4
 *   a11y-new-window     target other than _self/_parent/_top, no warning        3.2.5
 *   a11y-foreign-text   text of another site language without lang             3.1.2
 *   a11y-contrast       CSS text/background pair below 4.5:1                   1.4.3
 */
#ifndef CAREPRESS_LINT_H
#define CAREPRESS_LINT_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "value.h"

/* Foreign text (a warning: a heuristic). In each text node whose language
 * (the nearest lang) is a site language with common_words, a run of this
 * many words common in another site language but not in the text's own,
 * with no word common only in its own between them, is a finding. Words of
 * both languages ("a", "no"), names and other words do not end a run;
 * quoted words (UI labels such as "Join Now") and numbers do not count.
 * Four keeps names ("Hospital de la Familia") and trademarks out. A link
 * whose hreflang is not the language of its text must have lang as well. */
#define LINT_FOREIGN_RUN 4

/* What the checks need to know about one site language. Word lists come
 * from its strings.yaml (see lint_lang_from_strings); an empty list turns
 * its check off for that language. Comparisons fold ASCII and Latin-1 case
 * and ignore surrounding spaces and punctuation. */
struct lint_lang {
	const char *tag;                         /* BCP 47, as site.yaml says */
	/* vague_links: link texts that say nothing out of context ("here"). */
	const char *const *vague; size_t n_vague;
	/* new_window_words: a link that opens a new window is fine when its
	 * name contains one of these ("new window", "nueva ventana"). */
	const char *const *new_window; size_t n_new_window;
	/* common_words: the language's most frequent words (articles,
	 * prepositions, pronouns, common verbs), lowercase, for foreign text. */
	const char *const *common; size_t n_common;
};

/* Fills l for language tag from its strings.yaml map (the keys
 * vague_links, new_window_words and common_words, each a list of strings;
 * a missing key or a non-string item is skipped). The arrays are allocated
 * in a; the strings point into strings, which must outlive l. */
void lint_lang_from_strings(struct lint_lang *l, const char *tag, const struct value *strings,
			    struct arena *a);

/* The per-build, read-only part of the checks: word sets for every site
 * language. Built once on the main thread (it also initializes libxml2, so
 * it must be created before worker threads lint), then shared. */
struct linter;

/* Returns a new linter for the n languages given (copied: langs may be freed
 * after the call). Never NULL. */
struct linter *linter_new(const struct lint_lang *langs, size_t n);
void linter_free(struct linter *l);

/* A Markdown body inside a written page, so that findings in it point at
 * the Markdown source. */
struct lint_body {
	const char *html; size_t len;  /* exactly as inserted into the page (md_result.html) */
	const char *src_path;          /* "content/en/video-visits.md" */
	const char *src_text; size_t src_len; /* the Markdown body (after the front matter) */
	int body_line;                 /* lines of the file before src_text */
	/* 1: these bytes are linted in another page too (a page's large-print
	 * copy holds its body as the page does), whose findings in them are
	 * the ones reported; in this page only what depends on the page
	 * around them is checked: ids, heading levels, h1, lang. */
	int reported;
};

struct lint_input {
	const char *html; size_t len;  /* the whole page as written */
	const char *out_path;          /* "en/video-visits/index.html", named in notes */
	const char *template_path;     /* "templates/page.mustache": findings outside the bodies */
	const char *lang;              /* the language of the page's content (lang.tag of its
					* template context); NULL: the html element's lang */
	/* In page order (the brochure has one per page); 0 for pages without
	 * Markdown (the chooser, 404). A body not found verbatim in html is
	 * ignored: its findings go to template_path. */
	const struct lint_body *bodies; size_t n_bodies;
};

/* Checks one page and adds its findings to d. The page is streamed
 * through libxml2's SAX2 parser, no tree built (no network, no entities
 * beyond XML's five, nesting up to libxml2's 256 levels; anything else is
 * an html finding). A finding inside a body is placed at the Markdown
 * line:col where the element's text (for a link "[text", for an image
 * "![alt") is found in src_text, searching on from the previous finding;
 * if the text is not there (a fact, inline markup), at the body's first
 * line, column 1. A finding placed by its element's own text (a heading, a
 * table, an id) waits for the first visible text inside it. Any other
 * finding goes to template_path with no line, and every finding has the
 * note "in OUT_PATH line N" (N: line in the page). If the page is not
 * well-formed XML, that is the only finding (rule html). No recursion.
 * Thread-safe: any number of pages may be linted at once with one linter.
 * Returns 0, or -1 if an error (not a warning) was added. */
int lint_page(const struct linter *l, const struct lint_input *in, struct diags *d);

/* The same for a page given a piece at a time, for pages too large to
 * hold (the report of a large site): lint_begin (in->html is not read and
 * in->n_bodies must be 0, since finding the bodies needs the whole page),
 * lint_push for each piece in order, lint_end, which adds the findings to
 * d, frees the stream and returns as lint_page does. Pieces may split
 * anything, even a character. */
struct lint_stream;
struct lint_stream *lint_begin(const struct linter *l, const struct lint_input *in,
			       struct diags *d);
void lint_push(struct lint_stream *s, const char *data, size_t len);
int lint_end(struct lint_stream *s);

/* Checks the colors of a style sheet (contrast.c): custom properties
 * (--name: #hex, rgb(), rgba(), hsl(), a basic color name, or var() of
 * another), every rule that sets color and/or background(-color) directly
 * or through var(), and the page's own pair (color and background of
 * :root, html and body; black on white where unset). A rule that sets
 * only one of the two is checked against the page's other color. When a
 * @media block redefines colors on :root, html or body (a dark scheme),
 * every rule is checked again with those values. Colors with alpha are
 * blended over what is under them. Each pair below 4.5:1 is
 * a finding at the line:col of its color (else background) declaration in
 * path. Unknown values (currentColor, inherit, system colors, gradients)
 * are not checked. Returns 0, or -1 if a finding was added. */
int lint_css_contrast(const char *css, size_t len, const char *path, struct diags *d);

/* WCAG 2 contrast ratio (1 to 21) of two opaque sRGB colors 0xRRGGBB. */
double lint_contrast_ratio(unsigned long fg, unsigned long bg);

#endif
