/* report_json.c - the reviewer report as JSON (report_json,
 * report_json_write; the schema is docs/report-schema.md): a small writer
 * that indents and escapes, and the summary, pages and findings. Never
 * prints. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unicode/utf8.h>
#include "report.h"
#include "report_internal.h"
#include "util.h"

#define JSON_MAX_DEPTH 8

/* Bytes of JSON held before they go to the sink. */
#define JSON_PIECE (64 * 1024)

struct jw {
	struct buf *out;
	int depth;
	int first[JSON_MAX_DEPTH];
	/* Where full pieces of out go (report_json_write), or NULL. */
	void (*sink)(void *ctx, const void *data, size_t len);
	void *sink_ctx;
};

/* Appends s as a JSON string (null for NULL); see report_json. */
static void json_string(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	int32_t i = 0, len;
	size_t n;
	if (!s) {
		buf_adds(out, "null");
		return;
	}
	n = strlen(s);
	len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
	buf_addc(out, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int32_t start = i;
		UChar32 cp;
		/* Most of a message needs no escape: add it a run at a time. */
		while (i < len && c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' &&
		       c != '>' && c != '&')
			c = (unsigned char)s[++i];
		if (i > start) {
			buf_add(out, s + start, (size_t)(i - start));
			continue;
		}
		if (c < 0x80) {
			i++;
			switch (c) {
			case '"': buf_adds(out, "\\\""); continue;
			case '\\': buf_adds(out, "\\\\"); continue;
			case '\n': buf_adds(out, "\\n"); continue;
			case '\r': buf_adds(out, "\\r"); continue;
			case '\t': buf_adds(out, "\\t"); continue;
			case '\b': buf_adds(out, "\\b"); continue;
			case '\f': buf_adds(out, "\\f"); continue;
			}
			if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
				buf_adds(out, "\\u00");
				buf_addc(out, hex[c >> 4]);
				buf_addc(out, hex[c & 15]);
			} else {
				buf_addc(out, (char)c);
			}
			continue;
		}
		U8_NEXT(s, i, len, cp);
		if (cp < 0)
			buf_adds(out, "\xEF\xBF\xBD"); /* U+FFFD */
		else if (cp == 0x2028 || cp == 0x2029)
			buf_adds(out, cp == 0x2028 ? "\\u2028" : "\\u2029");
		else
			buf_add(out, s + start, (size_t)(i - start));
	}
	buf_addc(out, '"');
}

/* A new line indented for an item at depth (two spaces a level; depth is
 * below JSON_MAX_DEPTH). */
static void jw_indent(struct jw *w, int depth)
{
	static const char spaces[] = "                  "; /* 2 * (JSON_MAX_DEPTH + 1) */
	buf_addc(w->out, '\n');
	buf_add(w->out, spaces, 2 * (size_t)(depth + 1));
}

/* Starts a member (key given: an ASCII name of the schema, which needs no
 * escape) or an array item (key NULL). */
static void jw_item(struct jw *w, const char *key)
{
	if (w->sink && w->out->len >= JSON_PIECE) {
		w->sink(w->sink_ctx, w->out->ptr, w->out->len);
		buf_reset(w->out);
	}
	if (!w->first[w->depth])
		buf_addc(w->out, ',');
	w->first[w->depth] = 0;
	jw_indent(w, w->depth);
	if (key) {
		buf_addc(w->out, '"');
		buf_adds(w->out, key);
		buf_add(w->out, "\": ", 3);
	}
}

static void jw_open(struct jw *w, const char *key, char brace)
{
	if (w->depth >= 0)
		jw_item(w, key);
	buf_addc(w->out, brace);
	if (++w->depth >= JSON_MAX_DEPTH)
		BUG("report JSON nested too deep");
	w->first[w->depth] = 1;
}

static void jw_close(struct jw *w, char brace)
{
	int empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		jw_indent(w, w->depth);
	buf_addc(w->out, brace);
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_item(w, key);
	json_string(w->out, s);
}

static void jw_size(struct jw *w, const char *key, size_t n)
{
	jw_item(w, key);
	buf_add_uint(w->out, n);
}

static void jw_int(struct jw *w, const char *key, int n)
{
	jw_item(w, key);
	buf_add_int(w->out, n);
}

static void jw_num(struct jw *w, const char *key, double x)
{
	char b[32];
	jw_item(w, key);
	if (!isfinite(x)) {
		buf_adds(w->out, "null");
		return;
	}
	report_format_number(b, sizeof(b), x);
	buf_adds(w->out, b);
}

static void jw_bool(struct jw *w, const char *key, int b)
{
	jw_item(w, key);
	buf_adds(w->out, b ? "true" : "false");
}

static void jw_null(struct jw *w, const char *key)
{
	jw_item(w, key);
	buf_adds(w->out, "null");
}

static void json_finding(struct jw *w, const struct diag *g, int with_file)
{
	const char *wcag = report_rule_criterion((int)g->rule);
	jw_open(w, NULL, '{');
	if (with_file)
		jw_str(w, "file", g->file);
	jw_int(w, "line", g->line);
	jw_int(w, "col", g->col);
	jw_str(w, "severity", report_severity_name[report_sev_of(g)]);
	jw_str(w, "rule", report_rule_id((int)g->rule));
	jw_str(w, "wcag", *wcag ? wcag : NULL);
	jw_str(w, "message", g->message);
	jw_str(w, "note", g->note);
	jw_close(w, '}');
}

static void json_counts(struct jw *w, const size_t sev[3])
{
	jw_size(w, "errors", sev[SEV_ERROR]);
	jw_size(w, "warnings", sev[SEV_WARNING]);
	jw_size(w, "notes", sev[SEV_NOTE]);
}

static void json_summary(struct jw *w, const struct report *r, const struct tally *t)
{
	struct totals all, lang;
	size_t i, l;
	report_totals_of(r, NULL, &all);
	jw_open(w, "summary", '{');
	jw_size(w, "pages", r->n_pages);
	jw_size(w, "measured", all.measured);
	jw_size(w, "above_target", all.above);
	jw_open(w, "findings", '{');
	json_counts(w, r->diags ? t->sev : all.sev);
	jw_close(w, '}');
	jw_open(w, "translation", '{');
	for (l = 0; l < REPORT_N_STATUS; l++)
		jw_size(w, report_translation_status[l], report_status_count(r, report_translation_status[l]));
	jw_close(w, '}');
	jw_open(w, "by_language", '[');
	for (l = 0; l < r->n_langs; l++) {
		const struct report_page *first;
		report_totals_of(r, r->langs[l], &lang);
		first = lang.first_measured;
		jw_open(w, NULL, '{');
		jw_str(w, "lang", r->langs[l]);
		jw_size(w, "pages", lang.pages);
		jw_size(w, "measured", lang.measured);
		jw_size(w, "above_target", lang.above);
		jw_size(w, "words", lang.words);
		jw_str(w, "scale", first ? first->read.scale : NULL);
		if (first)
			jw_num(w, "target", first->target);
		else
			jw_null(w, "target");
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_open(w, "by_rule", '[');
	for (i = 0; i < RULE_MAX; i++) {
		int rule = t->order[i];
		if (!report_rule_total(t, rule))
			continue;
		jw_open(w, NULL, '{');
		jw_str(w, "rule", report_rule_id(rule));
		jw_str(w, "wcag", *report_rule_criterion(rule) ? report_rule_criterion(rule) : NULL);
		json_counts(w, t->by_rule[rule]);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void json_page(struct jw *w, const struct report *r, const struct tally *t,
		      const struct report_page *p)
{
	const struct readability *rd = &p->read;
	size_t sev[3], lo = 0, hi = 0, i;
	report_page_counts(r, t, p, sev);
	if (r->diags)
		report_page_findings(t, p->source_path, &lo, &hi);
	jw_open(w, NULL, '{');
	jw_str(w, "key", p->key);
	jw_str(w, "lang", p->lang);
	jw_str(w, "title", p->title);
	jw_str(w, "url", p->url);
	jw_str(w, "print_url", p->print_url);
	jw_str(w, "source_path", p->source_path);
	jw_open(w, "translation", '{');
	jw_str(w, "status", p->translation);
	jw_str(w, "reviewer", p->reviewer);
	jw_str(w, "reviewed", p->reviewed);
	jw_str(w, "source_hash", p->source_hash);
	jw_close(w, '}');
	jw_size(w, "words", rd->words);
	jw_open(w, "reading_level", '{');
	jw_str(w, "scale", rd->scale);
	if (rd->scale) {
		jw_num(w, "score", rd->score);
		jw_num(w, "target", p->target);
	} else {
		jw_null(w, "score");
		jw_null(w, "target");
	}
	jw_bool(w, "above_target", rd->scale && p->above_target);
	jw_str(w, "band", report_is_inflesz(rd->scale) ? readability_inflesz_band(rd->score) : NULL);
	if (report_is_inflesz(rd->scale))
		jw_num(w, "fernandez_huerta", rd->fernandez_huerta);
	else
		jw_null(w, "fernandez_huerta");
	jw_size(w, "sentences", rd->sentences);
	if (rd->scale)
		jw_size(w, "syllables", rd->syllables);
	else
		jw_null(w, "syllables");
	jw_close(w, '}');
	jw_open(w, "findings", '{');
	json_counts(w, sev);
	jw_open(w, "items", '[');
	for (i = lo; i < hi; i++)
		json_finding(w, &r->diags->v[t->refs[i].i], 0);
	jw_close(w, ']');
	jw_close(w, '}');
	jw_open(w, "facts", '[');
	for (i = 0; i < p->n_facts; i++)
		jw_str(w, NULL, p->facts[i]);
	jw_close(w, ']');
	jw_close(w, '}');
}

/* Writes the JSON into w->out (and its full pieces to w->sink). */
static void write_json(const struct report *r, const struct jw *start)
{
	struct jw w = *start;
	struct tally t;
	size_t i;
	w.depth = -1;
	report_tally_init(&t, r->diags);
	jw_open(&w, NULL, '{');
	jw_int(&w, "version", REPORT_SCHEMA_VERSION);
	jw_str(&w, "generated_by", r->generated_by);
	jw_str(&w, "base_url", r->base_url);
	jw_open(&w, "languages", '[');
	for (i = 0; i < r->n_langs; i++)
		jw_str(&w, NULL, r->langs[i]);
	jw_close(&w, ']');
	json_summary(&w, r, &t);
	jw_open(&w, "pages", '[');
	for (i = 0; i < r->n_pages; i++)
		json_page(&w, r, &t, &r->pages[i]);
	jw_close(&w, ']');
	jw_open(&w, "findings", '[');
	for (i = 0; r->diags && i < r->diags->n; i++)
		json_finding(&w, &r->diags->v[i], 1);
	jw_close(&w, ']');
	jw_close(&w, '}');
	buf_addc(w.out, '\n');
	report_tally_release(&t);
}

void report_json(const struct report *r, struct buf *out)
{
	struct jw w;
	memset(&w, 0, sizeof(w));
	w.out = out;
	write_json(r, &w);
}

void report_json_write(const struct report *r,
		       void (*sink)(void *ctx, const void *data, size_t len), void *ctx)
{
	struct buf out = BUF_INIT;
	struct jw w;
	memset(&w, 0, sizeof(w));
	w.out = &out;
	w.sink = sink;
	w.sink_ctx = ctx;
	write_json(r, &w);
	sink(ctx, out.ptr, out.len);
	buf_release(&out);
}
