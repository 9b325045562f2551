/* report.h - the reviewer report: for each page and language its reading
 * level against the target, translation status, findings and facts used,
 * with a summary (findings by rule, pages above target). Written as JSON
 * (public/report/report.json and `carepress check --format json`; schema in
 * docs/report-schema.md) and as the Mustache context of
 * templates/report.mustache (public/report/index.html). Reads only what it
 * is given; never prints, never touches files. */
#ifndef CAREPRESS_REPORT_H
#define CAREPRESS_REPORT_H

#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "readability.h"
#include "value.h"

/* The report's schema version ("version" in the JSON); raised on any change
 * that could break a consumer (a field removed, renamed or retyped). */
#define REPORT_SCHEMA_VERSION 1

/* One page in one language. Strings are UTF-8; NULL where marked. */
struct report_page {
	const char *key, *lang, *title;
	const char *url, *print_url;   /* root-relative ("/es/como-empezar/"); print_url may be NULL */
	const char *source_path;       /* "content/es/video-visits.md": findings match diag.file */
	const char *translation;       /* "source", "provided", "reviewed", "outdated", "fallback" */
	const char *reviewer, *reviewed; /* or NULL */
	const char *source_hash;       /* this page's own body hash (what a translation records); or NULL */
	struct readability read;       /* read.scale NULL: not measured */
	double target;                 /* the target of read.scale (readability_default_target or configured) */
	int above_target;              /* readability_over_target(&read, target) */
	const char **facts; size_t n_facts; /* fact names used, as given (sorted by the renderer) */
	size_t errors, warnings;       /* findings on this page; used only when report.diags is NULL */
};

struct report {
	const char *generated_by;      /* "carepress 0.1.0" */
	const char *base_url;          /* or NULL */
	const struct report_page *pages; size_t n_pages; /* in the order to show */
	/* Every finding of the run, or NULL. Counted by rule and severity for
	 * the summary; a page's findings are those whose file is its
	 * source_path (in the list's order: sort it first for a stable report). */
	const struct diags *diags;
	const char *const *langs; size_t n_langs; /* language tags, site.yaml order */
};

/* Appends the report as JSON to out: UTF-8, two-space indented, one
 * trailing newline, strings escaped so the text is also safe inside HTML
 * and JavaScript (\" \\ \n, \u00XX for other control bytes, \u003c \u003e
 * \u0026 for < > &, \u2028 \u2029; invalid UTF-8 becomes U+FFFD). Numbers
 * are locale-independent, rounded to 2 decimals without trailing zeros.
 * Deterministic: pages in the order given, rules by name. */
void report_json(const struct report *r, struct buf *out);
/* The same JSON given to sink a piece at a time (tens of kilobytes), so
 * that the report of a large site is never held whole. */
void report_json_write(const struct report *r,
		       void (*sink)(void *ctx, const void *data, size_t len), void *ctx);

/* Returns the context of templates/report.mustache, a tree in arena a. The
 * pages list is made on demand (value_new_made_list: read it with
 * value_list_at), each page from r, so r, its pages and diagnostics must
 * outlive the context; every other string is copied:
 *   generator, base_url
 *   summary.{pages, languages, measured, has_measured, above_target,
 *     errors, warnings, notes, findings, has_findings, reading_chart,
 *     rules_chart, pages_text ("14 pages in 2 languages"), above_text ("4 of
 *     14 measured pages are above their reading-level target"),
 *     findings_text ("3 errors, 1 warning" or "none"),
 *     rules[] {rule, wcag, errors, warnings, notes, total},
 *     translation[] {status, count, pages_text} (statuses that occur),
 *     by_language[] {lang, pages, measured, above_target, words, scale_name,
 *       target_text}}
 *   pages[] {n, anchor, key, lang, title, url, print_url, has_print,
 *     source_path, translation, reviewer, reviewed, source_hash, measured,
 *     score, scale_name, target, target_text, above_target, level_text,
 *     band, fernandez_huerta, words, sentences, syllables, errors,
 *     warnings, notes, has_findings, findings_text,
 *     findings[] {severity, rule, where, message, note}, has_facts,
 *     n_facts, facts[] {name}}
 * Numbers are strings; flags are booleans; absent values (print_url,
 * reviewer, reviewed, source_hash, base_url, wcag, where, note, and score,
 * target, target_text, band, fernandez_huerta, syllables, scale_name of a
 * page not measured; the charts when empty) are null. The two
 * charts are complete <svg> elements (role="img", an aria-label and a
 * <title> that say what they show, a text label on every bar, classes for
 * site.css's report section, every text escaped), to place with {{{ }}}. */
struct value *report_context(const struct report *r, struct arena *a);

#endif
