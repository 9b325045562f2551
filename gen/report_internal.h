/* report_internal.h - what report.c (the page) and report_json.c (the
 * JSON) share. Not for other modules: their API is report.h. */
#ifndef CAREPRESS_REPORT_INTERNAL_H
#define CAREPRESS_REPORT_INTERNAL_H

#include <stddef.h>
#include "report.h"

extern const char *const report_severity_name[3];
/* Translation statuses, in the order the report lists them. */
#define REPORT_N_STATUS 5
extern const char *const report_translation_status[REPORT_N_STATUS];

/* x rounded to 2 decimals without trailing zeros ("8", "2.38", "69.2"),
 * whatever LC_NUMERIC says; never "-0". Out of +-1e15: clamped. */
void report_format_number(char *b, size_t cap, double x);
int report_is_inflesz(const char *scale);

/* --- findings: counts by rule, and each page's by file --- */

struct tally {
	size_t sev[3];                 /* every finding */
	size_t by_rule[RULE_MAX][3];
	int order[RULE_MAX];           /* rules sorted by name */
	struct fref *refs;             /* findings with a file, by file then order */
	size_t n_refs;
};

struct fref {
	const char *file;
	size_t i;
};

/* Counts d's findings (NULL: none); release with report_tally_release. */
void report_tally_init(struct tally *t, const struct diags *d);
void report_tally_release(struct tally *t);
/* The rule's id and WCAG criterion ("" for none), also for a rule that
 * diag.c's tables do not know. */
const char *report_rule_id(int rule);
const char *report_rule_criterion(int rule);
enum severity report_sev_of(const struct diag *g);
size_t report_rule_total(const struct tally *t, int rule);
/* The findings of file: t->refs[*lo, *hi). */
void report_page_findings(const struct tally *t, const char *file, size_t *lo, size_t *hi);
/* Page p's findings by severity (from its own counts without diags). */
void report_page_counts(const struct report *r, const struct tally *t,
			const struct report_page *p, size_t sev[3]);

/* Totals over the pages in language lang (NULL: every page). */
struct totals {
	size_t pages, words, measured, above;
	const struct report_page *first_measured; /* its scale and target are the language's */
	size_t sev[3];          /* the pages' own counts, for a report without diags */
};

void report_totals_of(const struct report *r, const char *lang, struct totals *out);
/* Pages whose translation status is status. */
size_t report_status_count(const struct report *r, const char *status);

#endif
