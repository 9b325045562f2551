/* report.c - the reviewer report as the context of templates/report.mustache,
 * with its two SVG charts, and what report_json.c shares (report_internal.h):
 * numbers, findings counted by rule and by page, totals. Every string goes
 * through escape_html or the JSON escaper; never prints. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "report.h"
#include "report_internal.h"
#include "util.h"

const char *const report_severity_name[3] = { "note", "warning", "error" };
const char *const report_translation_status[REPORT_N_STATUS] = {
	"source", "provided", "reviewed", "outdated", "fallback"
};

/* --- numbers and words --- */

/* x rounded to 2 decimals without trailing zeros ("8", "2.38", "69.2"),
 * whatever LC_NUMERIC says; never "-0". Out of +-1e15: clamped. */
void report_format_number(char *b, size_t cap, double x)
{
	long long v;
	const char *sign;
	if (x != x)
		x = 0;
	if (x > 1e15)
		x = 1e15;
	if (x < -1e15)
		x = -1e15;
	v = (long long)(x * 100 + (x < 0 ? -0.5 : 0.5));
	sign = v < 0 ? "-" : "";
	if (v < 0)
		v = -v;
	if (v % 100 == 0)
		snprintf(b, cap, "%s%lld", sign, v / 100);
	else if (v % 10 == 0)
		snprintf(b, cap, "%s%lld.%lld", sign, v / 100, v % 100 / 10);
	else
		snprintf(b, cap, "%s%lld.%02lld", sign, v / 100, v % 100);
}

static const char *number_str(struct arena *a, double x)
{
	char b[32];
	report_format_number(b, sizeof(b), x);
	return arena_strdup(a, b);
}

/* Writes n in decimal just before end; returns where it starts. Numbers
 * are made for every finding of a large site: vsnprintf would cost more
 * than the rest of the finding. */
static char *put_digits(char *end, size_t n)
{
	do {
		*--end = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	return end;
}

static const char *size_str(struct arena *a, size_t n)
{
	char text[24], *start = put_digits(text + sizeof(text), n);
	return arena_strndup(a, start, (size_t)(text + sizeof(text) - start));
}

/* "12" or "12:5": where a finding is in its file (line > 0). */
static const char *where_str(struct arena *a, const struct diag *g)
{
	char text[48], *start = text + sizeof(text);
	if (g->col > 0) {
		start = put_digits(start, (size_t)g->col);
		*--start = ':';
	}
	start = put_digits(start, (size_t)g->line);
	return arena_strndup(a, start, (size_t)(text + sizeof(text) - start));
}

/* "1 error", "2 errors" */
static void add_count(struct buf *b, size_t n, const char *one, const char *many)
{
	buf_addf(b, "%zu %s", n, n == 1 ? one : many);
}

/* "none", "1 error", "2 errors, 1 warning" */
static void add_findings_text(struct buf *b, const size_t sev[3])
{
	int any = 0;
	if (sev[SEV_ERROR]) {
		add_count(b, sev[SEV_ERROR], "error", "errors");
		any = 1;
	}
	if (sev[SEV_WARNING]) {
		if (any)
			buf_adds(b, ", ");
		add_count(b, sev[SEV_WARNING], "warning", "warnings");
		any = 1;
	}
	if (sev[SEV_NOTE]) {
		if (any)
			buf_adds(b, ", ");
		add_count(b, sev[SEV_NOTE], "note", "notes");
		any = 1;
	}
	if (!any)
		buf_adds(b, "none");
}

static int is_fk(const char *scale)
{
	return scale && !strcmp(scale, READABILITY_SCALE_FK);
}

int report_is_inflesz(const char *scale)
{
	return scale && !strcmp(scale, READABILITY_SCALE_INFLESZ);
}

static const char *scale_name(const char *scale)
{
	return is_fk(scale) ? "Flesch-Kincaid grade" : report_is_inflesz(scale) ? "INFLESZ" :
	       scale ? scale : "";
}

/* "8 or lower", "55 or higher": which way is harder differs by scale. */
static const char *target_text(struct arena *a, const char *scale, double target)
{
	char b[32];
	if (!scale)
		return "";
	report_format_number(b, sizeof(b), target);
	return arena_printf(a, "%s or %s", b, report_is_inflesz(scale) ? "higher" : "lower");
}

static const char *band_text(const struct readability *r)
{
	static const char *const names[][2] = {
		{ "very-difficult", "very difficult" }, { "somewhat-difficult", "somewhat difficult" },
		{ "normal", "normal" }, { "fairly-easy", "fairly easy" }, { "very-easy", "very easy" },
	};
	const char *band;
	size_t i;
	if (!report_is_inflesz(r->scale))
		return "";
	band = readability_inflesz_band(r->score);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(band, names[i][0]))
			return names[i][1];
	return band;
}

/* --- findings: counts by rule, and each page's by file --- */

/* The rule's id and WCAG criterion ("" for none), also for a rule that
 * diag.c's tables do not know (a bug caught by test_lint). */
const char *report_rule_id(int rule)
{
	return rule >= 0 && rule < RULE_MAX && rule_name[rule] ? rule_name[rule] : "unknown";
}

const char *report_rule_criterion(int rule)
{
	return rule >= 0 && rule < RULE_MAX && rule_wcag[rule] ? rule_wcag[rule] : "";
}

static int rule_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int c = strcmp(report_rule_id(x), report_rule_id(y));
	return c ? c : x - y;
}

static int fref_cmp(const void *a, const void *b)
{
	const struct fref *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

enum severity report_sev_of(const struct diag *g)
{
	return g->severity <= SEV_ERROR ? g->severity : SEV_ERROR;
}

void report_tally_init(struct tally *t, const struct diags *d)
{
	size_t i;
	memset(t, 0, sizeof(*t));
	for (i = 0; i < RULE_MAX; i++)
		t->order[i] = (int)i;
	qsort(t->order, RULE_MAX, sizeof(t->order[0]), rule_cmp);
	if (!d || !d->n)
		return;
	t->refs = xcalloc(d->n, sizeof(*t->refs));
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		enum severity s = report_sev_of(g);
		t->sev[s]++;
		if ((unsigned)g->rule < RULE_MAX)
			t->by_rule[g->rule][s]++;
		if (g->file) {
			t->refs[t->n_refs].file = g->file;
			t->refs[t->n_refs++].i = i;
		}
	}
	qsort(t->refs, t->n_refs, sizeof(*t->refs), fref_cmp);
}

void report_tally_release(struct tally *t)
{
	free(t->refs);
}

/* The findings of file: refs[*lo .. *hi). */
void report_page_findings(const struct tally *t, const char *file, size_t *lo, size_t *hi)
{
	size_t a = 0, b = t->n_refs;
	*lo = *hi = 0;
	if (!file)
		return;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (strcmp(t->refs[m].file, file) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	for (b = a; b < t->n_refs && !strcmp(t->refs[b].file, file); b++)
		;
	*hi = b;
}

/* A page's findings by severity: from the list when there is one. */
void report_page_counts(const struct report *r, const struct tally *t,
			const struct report_page *p, size_t sev[3])
{
	size_t lo, hi, i;
	sev[SEV_NOTE] = sev[SEV_WARNING] = sev[SEV_ERROR] = 0;
	if (!r->diags) {
		sev[SEV_ERROR] = p->errors;
		sev[SEV_WARNING] = p->warnings;
		return;
	}
	report_page_findings(t, p->source_path, &lo, &hi);
	for (i = lo; i < hi; i++)
		sev[report_sev_of(&r->diags->v[t->refs[i].i])]++;
}

void report_totals_of(const struct report *r, const char *lang, struct totals *out)
{
	size_t i;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->n_pages; i++) {
		const struct report_page *p = &r->pages[i];
		if (lang && (!p->lang || strcmp(p->lang, lang)))
			continue;
		out->pages++;
		out->words += p->read.words;
		out->sev[SEV_ERROR] += p->errors;
		out->sev[SEV_WARNING] += p->warnings;
		if (p->read.scale) {
			out->measured++;
			out->above += p->above_target;
			if (!out->first_measured)
				out->first_measured = p;
		}
	}
}

/* Pages whose translation status is status. */
size_t report_status_count(const struct report *r, const char *status)
{
	size_t i, n = 0;
	for (i = 0; i < r->n_pages; i++)
		n += r->pages[i].translation && !strcmp(r->pages[i].translation, status);
	return n;
}

size_t report_rule_total(const struct tally *t, int rule)
{
	return t->by_rule[rule][0] + t->by_rule[rule][1] + t->by_rule[rule][2];
}

/* --- SVG charts --- */

#define CHART_WIDTH 720
#define CHART_LABEL 250    /* labels end here (text-anchor end) */
#define CHART_X 260        /* bars start here */
#define CHART_BAR_MAX 330  /* longest bar; its value label follows */
#define CHART_ROW 28
#define CHART_BAR 18
#define CHART_LABEL_CHARS 30 /* longer titles are cut, with "…" */

static void svg_escaped(struct buf *b, const char *s)
{
	escape_html(b, s, strlen(s));
}

/* s cut to max code points, "…" added when cut. */
static void svg_short(struct buf *b, const char *s, size_t max)
{
	size_t n = 0, i = 0, len = strlen(s);
	while (i < len && n < max) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	escape_html(b, s, i);
	if (i < len)
		buf_adds(b, "\xE2\x80\xA6");
}

static void svg_open(struct buf *b, int height, const char *label)
{
	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
		 "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		 CHART_WIDTH, height, CHART_WIDTH, height);
	svg_escaped(b, label);
	buf_adds(b, "\"><title>");
	svg_escaped(b, label);
	buf_adds(b, "</title>");
}

static void svg_text(struct buf *b, int x, int y, const char *cls, const char *text)
{
	buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y, cls);
	svg_escaped(b, text);
	buf_adds(b, "</text>");
}

/* Bar length for value v on a scale 0..max, clamped. */
static int bar_length(double v, double max)
{
	if (!(v > 0) || max <= 0)
		return 0;
	if (v > max)
		v = max;
	return (int)(v / max * CHART_BAR_MAX + 0.5);
}

/* The measured pages of language lang: how many, the first, and the top
 * of the chart's scale (INFLESZ 0..100; a grade up to at least 12). */
static size_t lang_rows(const struct report *r, const char *lang,
			const struct report_page **first, double *max)
{
	size_t i, n = 0;
	double top = 0;
	*first = NULL;
	for (i = 0; i < r->n_pages; i++) {
		const struct report_page *p = &r->pages[i];
		if (!p->read.scale || !p->lang || strcmp(p->lang, lang))
			continue;
		if (!n++)
			*first = p;
		if (p->read.score > top)
			top = p->read.score;
		if (p->target > top)
			top = p->target;
	}
	if (*first && report_is_inflesz((*first)->read.scale))
		top = 100;
	else if (top < 12)
		top = 12;
	else if ((double)(long long)top < top)
		top = (double)(long long)top + 1;
	*max = top;
	return n;
}

/* Reading level per page, one block per language (each with its scale and
 * target line): bars above target are marked in words, not only color. */
static const char *reading_chart(const struct report *r, size_t measured, size_t above,
				 struct arena *a)
{
	struct buf b = BUF_INIT, label = BUF_INIT, row = BUF_INIT;
	const struct report_page *first;
	size_t l, i, n;
	int height = 0, y = 0;
	double max;
	const char *svg;
	if (!measured)
		return "";
	for (l = 0; l < r->n_langs; l++)
		if ((n = lang_rows(r, r->langs[l], &first, &max)) > 0)
			height += 36 + (int)n * CHART_ROW + 28;
	buf_addf(&label, "Reading level per page and language: %zu of %zu measured page%s "
		 "above target.", above, measured, measured == 1 ? "" : "s");
	svg_open(&b, height, label.ptr);
	for (l = 0; l < r->n_langs; l++) {
		int top, bottom, tx;
		char num[32];
		n = lang_rows(r, r->langs[l], &first, &max);
		if (!n)
			continue;
		buf_reset(&row);
		buf_addf(&row, "%s: %s, target %s", r->langs[l], scale_name(first->read.scale),
			 target_text(a, first->read.scale, first->target));
		svg_text(&b, 0, y + 22, "chart-heading", row.ptr);
		top = y + 36;
		bottom = top + (int)n * CHART_ROW;
		/* Lines first: bars and their values are drawn over them. */
		tx = CHART_X + bar_length(first->target, max);
		buf_addf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"chart-axis\"/>",
			 CHART_X, top - 4, CHART_X, bottom - 6);
		buf_addf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"chart-target\"/>",
			 tx, top - 4, tx, bottom - 4);
		report_format_number(num, sizeof(num), first->target);
		buf_reset(&row);
		buf_addf(&row, "target %s", num);
		svg_text(&b, tx, bottom + 10, "chart-target-label", row.ptr);
		y = top;
		for (i = 0; i < r->n_pages; i++) {
			const struct report_page *p = &r->pages[i];
			int w, over;
			if (!p->read.scale || !p->lang || strcmp(p->lang, r->langs[l]))
				continue;
			over = p->above_target;
			w = bar_length(p->read.score, max);
			report_format_number(num, sizeof(num), p->read.score);
			/* The title in its language (lang), cut; in full as the
			 * bar's tooltip. */
			buf_addf(&b, "<text x=\"%d\" y=\"%d\" class=\"chart-label\" lang=\"",
				 CHART_LABEL, y + 14);
			svg_escaped(&b, p->lang);
			buf_adds(&b, "\">");
			svg_short(&b, p->title ? p->title : p->key ? p->key : "", CHART_LABEL_CHARS);
			buf_addf(&b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				 "class=\"chart-bar%s\"><title lang=\"", CHART_X, y, w, CHART_BAR,
				 over ? " chart-bar-over" : "");
			svg_escaped(&b, p->lang);
			buf_adds(&b, "\">");
			svg_escaped(&b, p->title ? p->title : "");
			buf_adds(&b, "</title></rect>");
			buf_reset(&row);
			buf_addf(&row, "%s%s", num, over ? " (above target)" : "");
			svg_text(&b, CHART_X + w + 6, y + 14, over ? "chart-value chart-value-over" :
				 "chart-value", row.ptr);
			y += CHART_ROW;
		}
		y = bottom + 28;
	}
	buf_adds(&b, "</svg>");
	svg = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	buf_release(&label);
	buf_release(&row);
	return svg;
}

/* Findings by rule, by name: a bar per rule, split by severity, with the
 * counts in words. */
static const char *rules_chart(const struct tally *t, struct arena *a)
{
	struct buf b = BUF_INIT, label = BUF_INIT, row = BUF_INIT;
	size_t i, rules = 0, max = 0, total = 0;
	int y = 8;
	const char *svg;
	static const char *const cls[3] = { "chart-bar-note", "chart-bar-warning",
					    "chart-bar-error" };
	for (i = 0; i < RULE_MAX; i++) {
		size_t n = report_rule_total(t, (int)i);
		rules += n > 0;
		total += n;
		if (n > max)
			max = n;
	}
	if (!rules)
		return "";
	buf_addf(&label, "Findings by rule: %zu finding%s under %zu rule%s (", total,
		 total == 1 ? "" : "s", rules, rules == 1 ? "" : "s");
	add_findings_text(&label, t->sev);
	buf_adds(&label, ").");
	svg_open(&b, 16 + (int)rules * CHART_ROW, label.ptr);
	for (i = 0; i < RULE_MAX; i++) {
		int rule = t->order[i], x = CHART_X, s;
		size_t n = report_rule_total(t, rule);
		if (!n)
			continue;
		svg_text(&b, CHART_LABEL, y + 14, "chart-label", report_rule_id(rule));
		for (s = SEV_ERROR; s >= SEV_NOTE; s--) {
			size_t k = t->by_rule[rule][s];
			int w;
			if (!k)
				continue;
			w = bar_length((double)k, (double)max);
			if (w < 2)
				w = 2;
			buf_addf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				 "class=\"chart-bar %s\"><title>", x, y, w, CHART_BAR, cls[s]);
			buf_addf(&b, "%s: %zu %s%s</title></rect>", report_rule_id(rule), k,
				 report_severity_name[s], k == 1 ? "" : "s");
			x += w;
		}
		buf_reset(&row);
		add_findings_text(&row, t->by_rule[rule]);
		svg_text(&b, x + 6, y + 14, "chart-value", row.ptr);
		y += CHART_ROW;
	}
	buf_adds(&b, "</svg>");
	svg = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	buf_release(&label);
	buf_release(&row);
	return svg;
}

/* --- the template context --- */

static void set_str(struct arena *a, struct value *map, const char *key, const char *s)
{
	value_map_set_string(a, map, key, arena_strdup(a, s ? s : ""));
}

/* An optional value: null (false in a section) when s is NULL or "". */
static void set_opt(struct arena *a, struct value *map, const char *key, const char *s)
{
	if (s && *s)
		set_str(a, map, key, s);
	else
		value_map_set(a, map, key, value_new(a, VALUE_NULL));
}

static void set_size(struct arena *a, struct value *map, const char *key, size_t n)
{
	value_map_set_string(a, map, key, size_str(a, n));
}

static void set_bool(struct arena *a, struct value *map, const char *key, int b)
{
	value_map_set(a, map, key, value_new_bool(a, b));
}

static struct value *page_context(const struct report *r, const struct tally *t,
				  const struct report_page *p, size_t n, struct arena *a)
{
	const struct readability *rd = &p->read;
	struct value *v = value_new(a, VALUE_MAP), *list;
	struct buf text = BUF_INIT;
	size_t sev[3], lo = 0, hi = 0, i;
	int measured = rd->scale != NULL;
	report_page_counts(r, t, p, sev);
	set_size(a, v, "n", n);
	value_map_set_string(a, v, "anchor", arena_printf(a, "page-%zu", n));
	set_str(a, v, "key", p->key);
	set_str(a, v, "lang", p->lang);
	set_str(a, v, "title", p->title);
	set_str(a, v, "url", p->url);
	set_opt(a, v, "print_url", p->print_url);
	set_bool(a, v, "has_print", p->print_url != NULL);
	set_str(a, v, "source_path", p->source_path);
	set_str(a, v, "translation", p->translation);
	set_opt(a, v, "reviewer", p->reviewer);
	set_opt(a, v, "reviewed", p->reviewed);
	set_opt(a, v, "source_hash", p->source_hash);
	set_bool(a, v, "measured", measured);
	set_opt(a, v, "score", measured ? number_str(a, rd->score) : NULL);
	set_opt(a, v, "scale_name", scale_name(rd->scale));
	set_opt(a, v, "target", measured ? number_str(a, p->target) : NULL);
	set_opt(a, v, "target_text", target_text(a, rd->scale, p->target));
	set_bool(a, v, "above_target", measured && p->above_target);
	set_str(a, v, "level_text", !measured ? "not measured" :
		p->above_target ? "above target" : "within target");
	set_opt(a, v, "band", band_text(rd));
	set_opt(a, v, "fernandez_huerta",
		report_is_inflesz(rd->scale) ? number_str(a, rd->fernandez_huerta) : NULL);
	set_size(a, v, "words", rd->words);
	set_size(a, v, "sentences", rd->sentences);
	set_opt(a, v, "syllables", measured ? size_str(a, rd->syllables) : NULL);
	set_size(a, v, "errors", sev[SEV_ERROR]);
	set_size(a, v, "warnings", sev[SEV_WARNING]);
	set_size(a, v, "notes", sev[SEV_NOTE]);
	set_bool(a, v, "has_findings", sev[0] + sev[1] + sev[2] > 0);
	add_findings_text(&text, sev);
	set_str(a, v, "findings_text", text.ptr);
	buf_release(&text);
	list = value_new(a, VALUE_LIST);
	if (r->diags)
		report_page_findings(t, p->source_path, &lo, &hi);
	for (i = lo; i < hi; i++) {
		const struct diag *g = &r->diags->v[t->refs[i].i];
		struct value *f = value_new(a, VALUE_MAP);
		set_str(a, f, "severity", report_severity_name[report_sev_of(g)]);
		set_str(a, f, "rule", report_rule_id((int)g->rule));
		set_opt(a, f, "where", g->line <= 0 ? NULL : where_str(a, g));
		set_str(a, f, "message", g->message);
		set_opt(a, f, "note", g->note);
		value_list_push(a, list, f);
	}
	value_map_set(a, v, "findings", list);
	list = value_new(a, VALUE_LIST);
	for (i = 0; i < p->n_facts; i++) {
		struct value *f = value_new(a, VALUE_MAP);
		set_str(a, f, "name", p->facts[i]);
		value_list_push(a, list, f);
	}
	value_map_set(a, v, "facts", list);
	set_bool(a, v, "has_facts", p->n_facts > 0);
	set_size(a, v, "n_facts", p->n_facts);
	return v;
}

/* What a page's context is made from, kept in the context's arena. */
struct made_pages {
	const struct report *r;
	struct tally t;
};

static const struct value *make_page(void *ctx, size_t i, struct arena *a)
{
	struct made_pages *m = ctx;
	return page_context(m->r, &m->t, &m->r->pages[i], i + 1, a);
}

struct value *report_context(const struct report *r, struct arena *a)
{
	struct value *ctx = value_new(a, VALUE_MAP), *sum = value_new(a, VALUE_MAP);
	struct value *list;
	struct made_pages *made;
	struct tally t;
	struct totals all;
	size_t i, l, measured, above, sev[3];
	report_tally_init(&t, r->diags);
	set_str(a, ctx, "generator", r->generated_by);
	set_opt(a, ctx, "base_url", r->base_url);
	report_totals_of(r, NULL, &all);
	measured = all.measured;
	above = all.above;
	memcpy(sev, r->diags ? t.sev : all.sev, sizeof(sev));
	set_size(a, sum, "pages", r->n_pages);
	set_size(a, sum, "languages", r->n_langs);
	set_size(a, sum, "measured", measured);
	set_bool(a, sum, "has_measured", measured > 0);
	set_size(a, sum, "above_target", above);
	set_size(a, sum, "errors", sev[SEV_ERROR]);
	set_size(a, sum, "warnings", sev[SEV_WARNING]);
	set_size(a, sum, "notes", sev[SEV_NOTE]);
	set_size(a, sum, "findings", sev[0] + sev[1] + sev[2]);
	{
		struct buf text = BUF_INIT;
		add_count(&text, r->n_pages, "page", "pages");
		buf_adds(&text, " in ");
		add_count(&text, r->n_langs, "language", "languages");
		set_str(a, sum, "pages_text", text.ptr);
		buf_reset(&text);
		buf_addf(&text, "%zu of %zu measured page%s %s above %s reading-level target",
			 above, measured, measured == 1 ? "" : "s", above == 1 ? "is" : "are",
			 above == 1 ? "its" : "their");
		set_str(a, sum, "above_text", text.ptr);
		buf_reset(&text);
		add_findings_text(&text, sev);
		set_str(a, sum, "findings_text", text.ptr);
		buf_release(&text);
	}
	set_bool(a, sum, "has_findings", sev[0] + sev[1] + sev[2] > 0);
	set_opt(a, sum, "reading_chart", reading_chart(r, measured, above, a));
	set_opt(a, sum, "rules_chart", rules_chart(&t, a));
	list = value_new(a, VALUE_LIST);
	for (i = 0; i < RULE_MAX; i++) {
		int rule = t.order[i];
		struct value *v;
		if (!report_rule_total(&t, rule))
			continue;
		v = value_new(a, VALUE_MAP);
		set_str(a, v, "rule", report_rule_id(rule));
		set_opt(a, v, "wcag", report_rule_criterion(rule));
		set_size(a, v, "errors", t.by_rule[rule][SEV_ERROR]);
		set_size(a, v, "warnings", t.by_rule[rule][SEV_WARNING]);
		set_size(a, v, "notes", t.by_rule[rule][SEV_NOTE]);
		set_size(a, v, "total", report_rule_total(&t, rule));
		value_list_push(a, list, v);
	}
	value_map_set(a, sum, "rules", list);
	list = value_new(a, VALUE_LIST);
	for (l = 0; l < REPORT_N_STATUS; l++) {
		size_t n = report_status_count(r, report_translation_status[l]);
		struct value *v;
		if (!n)
			continue;
		v = value_new(a, VALUE_MAP);
		set_str(a, v, "status", report_translation_status[l]);
		set_size(a, v, "count", n);
		set_str(a, v, "pages_text", arena_printf(a, "%zu page%s", n, n == 1 ? "" : "s"));
		value_list_push(a, list, v);
	}
	value_map_set(a, sum, "translation", list);
	list = value_new(a, VALUE_LIST);
	for (l = 0; l < r->n_langs; l++) {
		struct totals lt;
		const struct report_page *first;
		struct value *v = value_new(a, VALUE_MAP);
		report_totals_of(r, r->langs[l], &lt);
		first = lt.first_measured;
		set_str(a, v, "lang", r->langs[l]);
		set_size(a, v, "pages", lt.pages);
		set_size(a, v, "measured", lt.measured);
		set_size(a, v, "above_target", lt.above);
		set_size(a, v, "words", lt.words);
		set_opt(a, v, "scale_name", first ? scale_name(first->read.scale) : NULL);
		set_opt(a, v, "target_text",
			first ? target_text(a, first->read.scale, first->target) : NULL);
		value_list_push(a, list, v);
	}
	value_map_set(a, sum, "by_language", list);
	value_map_set(a, ctx, "summary", sum);
	/* Thousands of pages with their findings would take more memory than
	 * the rest of a build: each page's context is made as it renders. */
	made = arena_alloc(a, sizeof(*made));
	made->r = r;
	made->t = t;
	made->t.refs = arena_alloc(a, st_mult(t.n_refs + 1, sizeof(*t.refs)));
	if (t.n_refs)
		memcpy(made->t.refs, t.refs, t.n_refs * sizeof(*t.refs));
	report_tally_release(&t);
	value_map_set(a, ctx, "pages", value_new_made_list(a, r->n_pages, make_page, made));
	return ctx;
}
