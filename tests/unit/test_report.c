/* test_report.c - the reviewer report: its JSON, exactly, for a small
 * report made by hand; the escaping that keeps it JSON (and safe inside
 * HTML); and the template context with its two accessible charts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "mustache.h"
#include "report.h"
#include "source.h"

/* The small report of the tests: two pages, four findings. */
static const char *const en_facts[] = { "phone.appointments", "phone.tty" };
static const char *const langs[] = { "en", "es" };

static struct diags fixture_diags(void)
{
	struct diags d = { 0 };
	diag(&d, RULE_FACT_TYPED, "content/en/urgent-care.md", 12, 10,
	     "phone number typed by hand is fact 'phone.tty'");
	diag_note(&d, "write {{ phone.tty }}");
	diag(&d, RULE_RAW_HTML, "content/es/urgent-care.md", 3, 1,
	     "raw HTML \"<script>alert(1)</script>\"\nsecond line\ttab \x01");
	diag(&d, RULE_CONFIG, "content/site.yaml", 0, 0, "no 'base_url'");
	diag_sev(&d, SEV_NOTE, RULE_IO, NULL, 0, 0, "a note without a file");
	return d;
}

static void fixture(struct report *r, struct report_page p[2], const struct diags *d)
{
	memset(p, 0, 2 * sizeof(*p));
	p[0].key = "urgent-care";
	p[0].lang = "en";
	p[0].title = "Urgent or emergency care";
	p[0].url = "/en/urgent-care/";
	p[0].print_url = "/en/urgent-care/print/";
	p[0].source_path = "content/en/urgent-care.md";
	p[0].translation = "source";
	p[0].source_hash = "0c48d5265989";
	p[0].read.words = 28;
	p[0].read.sentences = 3;
	p[0].read.syllables = 34;
	p[0].read.score = 2.378571;
	p[0].read.scale = READABILITY_SCALE_FK;
	p[0].target = READABILITY_TARGET_FK;
	p[0].facts = (const char **)en_facts;
	p[0].n_facts = 2;
	p[1].key = "urgent-care";
	p[1].lang = "es";
	p[1].title = "Atención de \"urgencia\" </script>";
	p[1].url = "/es/atencion-de-urgencia/";
	p[1].print_url = "/es/atencion-de-urgencia/print/";
	p[1].source_path = "content/es/urgent-care.md";
	p[1].translation = "reviewed";
	p[1].reviewer = "Ana López";
	p[1].reviewed = "2026-11-24";
	p[1].read.words = 18;
	p[1].read.sentences = 1;
	p[1].read.syllables = 48;
	p[1].read.score = 22.701667;
	p[1].read.fernandez_huerta = 28.48;
	p[1].read.scale = READABILITY_SCALE_INFLESZ;
	p[1].target = READABILITY_TARGET_INFLESZ;
	p[1].above_target = 1;
	memset(r, 0, sizeof(*r));
	r->generated_by = "carepress 0.1.0";
	r->base_url = "https://care.example.org";
	r->pages = p;
	r->n_pages = 2;
	r->diags = d;
	r->langs = langs;
	r->n_langs = 2;
}

/* The whole JSON of the fixture. Checked by hand against the fixture: the
 * en page has the fact-typed warning (its file), the es page the raw-html
 * error; site.yaml's error and the note without a file are only in the
 * summary and the flat list; rules by name; scores rounded to 2 decimals
 * without trailing zeros (2.378571 -> 2.38, 22.701667 -> 22.7); <, > and &
 * as \u003c \u003e \u0026, control bytes as \n \t \u0001. It also parses
 * with python3's json module. */
static const char expected_json[] =
	"{\n"
	"  \"version\": 1,\n"
	"  \"generated_by\": \"carepress 0.1.0\",\n"
	"  \"base_url\": \"https://care.example.org\",\n"
	"  \"languages\": [\n"
	"    \"en\",\n"
	"    \"es\"\n"
	"  ],\n"
	"  \"summary\": {\n"
	"    \"pages\": 2,\n"
	"    \"measured\": 2,\n"
	"    \"above_target\": 1,\n"
	"    \"findings\": {\n"
	"      \"errors\": 2,\n"
	"      \"warnings\": 1,\n"
	"      \"notes\": 1\n"
	"    },\n"
	"    \"translation\": {\n"
	"      \"source\": 1,\n"
	"      \"provided\": 0,\n"
	"      \"reviewed\": 1,\n"
	"      \"outdated\": 0,\n"
	"      \"fallback\": 0\n"
	"    },\n"
	"    \"by_language\": [\n"
	"      {\n"
	"        \"lang\": \"en\",\n"
	"        \"pages\": 1,\n"
	"        \"measured\": 1,\n"
	"        \"above_target\": 0,\n"
	"        \"words\": 28,\n"
	"        \"scale\": \"flesch-kincaid-grade\",\n"
	"        \"target\": 8\n"
	"      },\n"
	"      {\n"
	"        \"lang\": \"es\",\n"
	"        \"pages\": 1,\n"
	"        \"measured\": 1,\n"
	"        \"above_target\": 1,\n"
	"        \"words\": 18,\n"
	"        \"scale\": \"inflesz\",\n"
	"        \"target\": 55\n"
	"      }\n"
	"    ],\n"
	"    \"by_rule\": [\n"
	"      {\n"
	"        \"rule\": \"config\",\n"
	"        \"wcag\": null,\n"
	"        \"errors\": 1,\n"
	"        \"warnings\": 0,\n"
	"        \"notes\": 0\n"
	"      },\n"
	"      {\n"
	"        \"rule\": \"fact-typed\",\n"
	"        \"wcag\": null,\n"
	"        \"errors\": 0,\n"
	"        \"warnings\": 1,\n"
	"        \"notes\": 0\n"
	"      },\n"
	"      {\n"
	"        \"rule\": \"io\",\n"
	"        \"wcag\": null,\n"
	"        \"errors\": 0,\n"
	"        \"warnings\": 0,\n"
	"        \"notes\": 1\n"
	"      },\n"
	"      {\n"
	"        \"rule\": \"raw-html\",\n"
	"        \"wcag\": null,\n"
	"        \"errors\": 1,\n"
	"        \"warnings\": 0,\n"
	"        \"notes\": 0\n"
	"      }\n"
	"    ]\n"
	"  },\n"
	"  \"pages\": [\n"
	"    {\n"
	"      \"key\": \"urgent-care\",\n"
	"      \"lang\": \"en\",\n"
	"      \"title\": \"Urgent or emergency care\",\n"
	"      \"url\": \"/en/urgent-care/\",\n"
	"      \"print_url\": \"/en/urgent-care/print/\",\n"
	"      \"source_path\": \"content/en/urgent-care.md\",\n"
	"      \"translation\": {\n"
	"        \"status\": \"source\",\n"
	"        \"reviewer\": null,\n"
	"        \"reviewed\": null,\n"
	"        \"source_hash\": \"0c48d5265989\"\n"
	"      },\n"
	"      \"words\": 28,\n"
	"      \"reading_level\": {\n"
	"        \"scale\": \"flesch-kincaid-grade\",\n"
	"        \"score\": 2.38,\n"
	"        \"target\": 8,\n"
	"        \"above_target\": false,\n"
	"        \"band\": null,\n"
	"        \"fernandez_huerta\": null,\n"
	"        \"sentences\": 3,\n"
	"        \"syllables\": 34\n"
	"      },\n"
	"      \"findings\": {\n"
	"        \"errors\": 0,\n"
	"        \"warnings\": 1,\n"
	"        \"notes\": 0,\n"
	"        \"items\": [\n"
	"          {\n"
	"            \"line\": 12,\n"
	"            \"col\": 10,\n"
	"            \"severity\": \"warning\",\n"
	"            \"rule\": \"fact-typed\",\n"
	"            \"wcag\": null,\n"
	"            \"message\": \"phone number typed by hand is fact 'phone.tty'\",\n"
	"            \"note\": \"write {{ phone.tty }}\"\n"
	"          }\n"
	"        ]\n"
	"      },\n"
	"      \"facts\": [\n"
	"        \"phone.appointments\",\n"
	"        \"phone.tty\"\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"key\": \"urgent-care\",\n"
	"      \"lang\": \"es\",\n"
	"      \"title\": \"Atención de \\\"urgencia\\\" \\u003c/script\\u003e\",\n"
	"      \"url\": \"/es/atencion-de-urgencia/\",\n"
	"      \"print_url\": \"/es/atencion-de-urgencia/print/\",\n"
	"      \"source_path\": \"content/es/urgent-care.md\",\n"
	"      \"translation\": {\n"
	"        \"status\": \"reviewed\",\n"
	"        \"reviewer\": \"Ana López\",\n"
	"        \"reviewed\": \"2026-11-24\",\n"
	"        \"source_hash\": null\n"
	"      },\n"
	"      \"words\": 18,\n"
	"      \"reading_level\": {\n"
	"        \"scale\": \"inflesz\",\n"
	"        \"score\": 22.7,\n"
	"        \"target\": 55,\n"
	"        \"above_target\": true,\n"
	"        \"band\": \"very-difficult\",\n"
	"        \"fernandez_huerta\": 28.48,\n"
	"        \"sentences\": 1,\n"
	"        \"syllables\": 48\n"
	"      },\n"
	"      \"findings\": {\n"
	"        \"errors\": 1,\n"
	"        \"warnings\": 0,\n"
	"        \"notes\": 0,\n"
	"        \"items\": [\n"
	"          {\n"
	"            \"line\": 3,\n"
	"            \"col\": 1,\n"
	"            \"severity\": \"error\",\n"
	"            \"rule\": \"raw-html\",\n"
	"            \"wcag\": null,\n"
	"            \"message\": \"raw HTML \\\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\\"\\nsecond line\\ttab \\u0001\",\n"
	"            \"note\": null\n"
	"          }\n"
	"        ]\n"
	"      },\n"
	"      \"facts\": []\n"
	"    }\n"
	"  ],\n"
	"  \"findings\": [\n"
	"    {\n"
	"      \"file\": \"content/en/urgent-care.md\",\n"
	"      \"line\": 12,\n"
	"      \"col\": 10,\n"
	"      \"severity\": \"warning\",\n"
	"      \"rule\": \"fact-typed\",\n"
	"      \"wcag\": null,\n"
	"      \"message\": \"phone number typed by hand is fact 'phone.tty'\",\n"
	"      \"note\": \"write {{ phone.tty }}\"\n"
	"    },\n"
	"    {\n"
	"      \"file\": \"content/es/urgent-care.md\",\n"
	"      \"line\": 3,\n"
	"      \"col\": 1,\n"
	"      \"severity\": \"error\",\n"
	"      \"rule\": \"raw-html\",\n"
	"      \"wcag\": null,\n"
	"      \"message\": \"raw HTML \\\"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\\"\\nsecond line\\ttab \\u0001\",\n"
	"      \"note\": null\n"
	"    },\n"
	"    {\n"
	"      \"file\": \"content/site.yaml\",\n"
	"      \"line\": 0,\n"
	"      \"col\": 0,\n"
	"      \"severity\": \"error\",\n"
	"      \"rule\": \"config\",\n"
	"      \"wcag\": null,\n"
	"      \"message\": \"no 'base_url'\",\n"
	"      \"note\": null\n"
	"    },\n"
	"    {\n"
	"      \"file\": null,\n"
	"      \"line\": 0,\n"
	"      \"col\": 0,\n"
	"      \"severity\": \"note\",\n"
	"      \"rule\": \"io\",\n"
	"      \"wcag\": null,\n"
	"      \"message\": \"a note without a file\",\n"
	"      \"note\": null\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void add_piece(void *ctx, const void *data, size_t len)
{
	buf_add(ctx, data, len);
}

static void test_json_exact(void **state)
{
	struct diags d = fixture_diags();
	struct report r;
	struct report_page p[2];
	struct buf b = BUF_INIT;
	(void)state;
	fixture(&r, p, &d);
	report_json(&r, &b);
	assert_string_equal(b.ptr, expected_json);
	/* The same report, the same bytes: nothing depends on time or order. */
	buf_reset(&b);
	report_json(&r, &b);
	assert_string_equal(b.ptr, expected_json);
	/* Given a piece at a time, the same bytes. */
	buf_reset(&b);
	report_json_write(&r, add_piece, &b);
	assert_string_equal(b.ptr, expected_json);
	buf_release(&b);
	diags_release(&d);
}

/* A report far larger than a piece: given in pieces, the same bytes. */
static void test_json_in_pieces(void **state)
{
	struct diags d = fixture_diags();
	struct report r;
	struct report_page p[2];
	struct buf whole = BUF_INIT, pieces = BUF_INIT;
	int i;
	(void)state;
	for (i = 0; i < 3000; i++) {
		diag(&d, RULE_FACT_TYPED, "content/en/urgent-care.md", i + 1, 7,
		     "phone number typed by hand; use {{ phone.main }} (\"%d\")", i);
		diag_note(&d, "'1-800-464-4000' is the value of fact 'phone.main'");
	}
	diags_sort(&d);
	fixture(&r, p, &d);
	report_json(&r, &whole);
	report_json_write(&r, add_piece, &pieces);
	assert_true(whole.len > 4 * 64 * 1024);
	assert_int_equal(pieces.len, whole.len);
	assert_memory_equal(pieces.ptr, whole.ptr, whole.len);
	buf_release(&whole);
	buf_release(&pieces);
	diags_release(&d);
}

/* The JSON line of key "title" for a one-page report with this title. */
static void check_title(const char *title, const char *want)
{
	struct report_page p;
	struct report r;
	struct buf b = BUF_INIT;
	const char *at, *end;
	memset(&p, 0, sizeof(p));
	memset(&r, 0, sizeof(r));
	p.key = "k";
	p.lang = "en";
	p.title = title;
	p.url = "/en/k/";
	r.pages = &p;
	r.n_pages = 1;
	report_json(&r, &b);
	at = strstr(b.ptr, "\"title\": ");
	assert_non_null(at);
	at += strlen("\"title\": ");
	end = strchr(at, '\n');
	assert_non_null(end);
	assert_int_equal(end - at - 1, strlen(want)); /* less the ',' */
	assert_memory_equal(at, want, strlen(want));
	buf_release(&b);
}

static void test_json_escaping(void **state)
{
	(void)state;
	check_title("plain", "\"plain\"");
	check_title("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
	check_title("a\nb\rc\td\be\ff", "\"a\\nb\\rc\\td\\be\\ff\"");
	check_title("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	/* Safe to paste into a <script> element or an HTML attribute. */
	check_title("</script><script>alert('x')</script>",
		    "\"\\u003c/script\\u003e\\u003cscript\\u003ealert('x')\\u003c/script\\u003e\"");
	check_title("Tom & Jerry", "\"Tom \\u0026 Jerry\"");
	/* UTF-8 passes through; U+2028/2029 end lines in JavaScript. */
	check_title("Atención – 中文 😀", "\"Atención – 中文 😀\"");
	check_title("a\xE2\x80\xA8" "b\xE2\x80\xA9", "\"a\\u2028b\\u2029\"");
	/* Invalid UTF-8 (a stray byte, a cut sequence, an overlong form) becomes
	 * U+FFFD, so the output is always valid JSON. */
	check_title("x\xFFy", "\"x\xEF\xBF\xBDy\"");
	check_title("x\xC3", "\"x\xEF\xBF\xBD\"");
	check_title("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

/* Without a findings list, a page's counts are its own fields. */
static void test_json_without_diags(void **state)
{
	struct diags d = fixture_diags();
	struct report r;
	struct report_page p[2];
	struct buf b = BUF_INIT;
	(void)state;
	fixture(&r, p, &d);
	r.diags = NULL;
	p[0].errors = 2;
	p[1].warnings = 5;
	report_json(&r, &b);
	assert_non_null(strstr(b.ptr, "      \"findings\": {\n"
				      "        \"errors\": 2,\n"
				      "        \"warnings\": 0,\n"
				      "        \"notes\": 0,\n"
				      "        \"items\": []\n"
				      "      },\n"));
	assert_non_null(strstr(b.ptr, "    \"findings\": {\n"
				      "      \"errors\": 2,\n"
				      "      \"warnings\": 5,\n"
				      "      \"notes\": 0\n"
				      "    },\n"));
	assert_non_null(strstr(b.ptr, "    \"by_rule\": []\n"));
	assert_non_null(strstr(b.ptr, "  \"findings\": []\n}\n"));
	buf_release(&b);
	diags_release(&d);
}

/* Numbers: 2 decimals at most, never "-0". (They are printed as integers,
 * so LC_NUMERIC cannot make a decimal comma.) */
static void test_json_numbers(void **state)
{
	static const struct {
		double score;
		const char *want;
	} v[] = {
		{ 8, "\"score\": 8," }, { 8.0049, "\"score\": 8," }, { 2.378571, "\"score\": 2.38," },
		{ 69.2, "\"score\": 69.2," }, { -1.84, "\"score\": -1.84," },
		{ -0.001, "\"score\": 0," }, { 111.365435, "\"score\": 111.37," },
		{ 0.05, "\"score\": 0.05," },
	};
	struct report_page p;
	struct report r;
	struct buf b = BUF_INIT;
	size_t i;
	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&r, 0, sizeof(r));
	p.key = p.lang = p.title = p.url = "x";
	p.read.scale = READABILITY_SCALE_FK;
	p.read.words = 1;
	r.pages = &p;
	r.n_pages = 1;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		p.read.score = v[i].score;
		buf_reset(&b);
		report_json(&r, &b);
		if (!strstr(b.ptr, v[i].want))
			fail_msg("score %f: no '%s' in\n%s", v[i].score, v[i].want, b.ptr);
	}
	buf_release(&b);
}

static const char *str(const struct value *ctx, const char *path)
{
	const struct value *v = value_get_path(ctx, path);
	if (!v)
		fail_msg("no '%s' in the context", path);
	assert_true(v->type == VALUE_STRING);
	return v->str;
}

static int flag(const struct value *ctx, const char *path)
{
	const struct value *v = value_get_path(ctx, path);
	if (!v)
		fail_msg("no '%s' in the context", path);
	assert_true(v->type == VALUE_BOOL);
	return v->boolean;
}

static int is_null(const struct value *ctx, const char *path)
{
	const struct value *v = value_get_path(ctx, path);
	return v && v->type == VALUE_NULL;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

static void test_context_fields(void **state)
{
	struct diags d = fixture_diags();
	struct report r;
	struct report_page p[2];
	struct arena a = ARENA_INIT;
	const struct value *ctx, *pages, *en, *es, *f;
	(void)state;
	fixture(&r, p, &d);
	ctx = report_context(&r, &a);
	assert_string_equal(str(ctx, "generator"), "carepress 0.1.0");
	assert_string_equal(str(ctx, "base_url"), "https://care.example.org");
	assert_string_equal(str(ctx, "summary.pages"), "2");
	assert_string_equal(str(ctx, "summary.languages"), "2");
	assert_string_equal(str(ctx, "summary.measured"), "2");
	assert_string_equal(str(ctx, "summary.above_target"), "1");
	assert_string_equal(str(ctx, "summary.errors"), "2");
	assert_string_equal(str(ctx, "summary.warnings"), "1");
	assert_string_equal(str(ctx, "summary.notes"), "1");
	assert_string_equal(str(ctx, "summary.pages_text"), "2 pages in 2 languages");
	assert_string_equal(str(ctx, "summary.above_text"),
			    "1 of 2 measured pages is above its reading-level target");
	assert_string_equal(str(ctx, "summary.findings_text"), "2 errors, 1 warning, 1 note");
	assert_true(flag(ctx, "summary.has_findings"));
	assert_true(flag(ctx, "summary.has_measured"));
	/* rules by name, with their WCAG criterion or null */
	f = value_get_path(ctx, "summary.rules");
	assert_int_equal(f->n, 4);
	assert_string_equal(str(f->items[0], "rule"), "config");
	assert_string_equal(str(f->items[3], "rule"), "raw-html");
	assert_string_equal(str(f->items[3], "errors"), "1");
	assert_true(is_null(f->items[3], "wcag"));
	f = value_get_path(ctx, "summary.translation");
	assert_int_equal(f->n, 2); /* source and reviewed: the statuses that occur */
	assert_string_equal(str(f->items[1], "status"), "reviewed");
	assert_string_equal(str(f->items[1], "pages_text"), "1 page");
	f = value_get_path(ctx, "summary.by_language");
	assert_int_equal(f->n, 2);
	assert_string_equal(str(f->items[1], "target_text"), "55 or higher");

	pages = value_get_path(ctx, "pages");
	assert_int_equal(pages->n, 2);
	/* Made on demand: each read builds the page again. */
	assert_null(pages->items);
	en = value_list_at(pages, 0, &a);
	es = value_list_at(pages, 1, &a);
	assert_string_equal(str(en, "anchor"), "page-1");
	assert_string_equal(str(en, "title"), "Urgent or emergency care");
	assert_string_equal(str(en, "url"), "/en/urgent-care/");
	assert_string_equal(str(en, "print_url"), "/en/urgent-care/print/");
	assert_true(flag(en, "has_print"));
	assert_string_equal(str(en, "translation"), "source");
	assert_true(is_null(en, "reviewer"));
	assert_string_equal(str(en, "score"), "2.38");
	assert_string_equal(str(en, "scale_name"), "Flesch-Kincaid grade");
	assert_string_equal(str(en, "target_text"), "8 or lower");
	assert_string_equal(str(en, "level_text"), "within target");
	assert_false(flag(en, "above_target"));
	assert_true(is_null(en, "band"));
	assert_true(is_null(en, "fernandez_huerta"));
	assert_string_equal(str(en, "words"), "28");
	assert_string_equal(str(en, "findings_text"), "1 warning");
	f = value_get_path(en, "findings");
	assert_int_equal(f->n, 1);
	assert_string_equal(str(f->items[0], "severity"), "warning");
	assert_string_equal(str(f->items[0], "rule"), "fact-typed");
	assert_string_equal(str(f->items[0], "where"), "12:10");
	assert_string_equal(str(f->items[0], "note"), "write {{ phone.tty }}");
	f = value_get_path(en, "facts");
	assert_int_equal(f->n, 2);
	assert_string_equal(str(f->items[1], "name"), "phone.tty");
	assert_true(flag(en, "has_facts"));

	assert_string_equal(str(es, "reviewer"), "Ana López");
	assert_string_equal(str(es, "score"), "22.7");
	assert_string_equal(str(es, "scale_name"), "INFLESZ");
	assert_string_equal(str(es, "band"), "very difficult");
	assert_string_equal(str(es, "fernandez_huerta"), "28.48");
	assert_string_equal(str(es, "level_text"), "above target");
	assert_true(flag(es, "above_target"));
	assert_false(flag(es, "has_facts"));
	assert_string_equal(str(es, "findings_text"), "1 error");
	/* Strings are raw in the context: the template escapes them. */
	assert_string_equal(str(es, "title"), "Atención de \"urgencia\" </script>");
	arena_release(&a);
	diags_release(&d);
}

static void test_charts(void **state)
{
	struct diags d = fixture_diags();
	struct report r;
	struct report_page p[2];
	struct arena a = ARENA_INIT;
	const struct value *ctx;
	const char *svg;
	(void)state;
	fixture(&r, p, &d);
	ctx = report_context(&r, &a);

	svg = str(ctx, "summary.reading_chart");
	assert_int_equal(strncmp(svg, "<svg ", 5), 0);
	assert_non_null(strstr(svg, " role=\"img\" aria-label=\"Reading level per page and "
				    "language: 1 of 2 measured pages above target.\"><title>Reading "
				    "level per page and language: 1 of 2 measured pages above "
				    "target.</title>"));
	/* a block per language, with its scale and target in words */
	assert_non_null(strstr(svg, ">en: Flesch-Kincaid grade, target 8 or lower</text>"));
	assert_non_null(strstr(svg, ">es: INFLESZ, target 55 or higher</text>"));
	assert_int_equal(count(svg, "class=\"chart-target\""), 2);
	/* a bar per page, its value in text; above target said in words */
	assert_int_equal(count(svg, "<rect "), 2);
	assert_non_null(strstr(svg, ">2.38</text>"));
	assert_non_null(strstr(svg, ">22.7 (above target)</text>"));
	assert_non_null(strstr(svg, "class=\"chart-bar chart-bar-over\""));
	/* every text escaped: the title's quotes and </script> */
	assert_null(strstr(svg, "</script>"));
	assert_non_null(strstr(svg, "<title lang=\"es\">Atención de &quot;urgencia&quot; "
				    "&lt;/script&gt;</title>"));
	/* labels in their page's language, cut to 30 characters */
	assert_non_null(strstr(svg, "class=\"chart-label\" lang=\"es\">Atención de "
				    "&quot;urgencia&quot; &lt;/scrip\xE2\x80\xA6</text>"));
	assert_int_equal(strcmp(svg + strlen(svg) - 6, "</svg>"), 0);

	svg = str(ctx, "summary.rules_chart");
	assert_non_null(strstr(svg, " role=\"img\" aria-label=\"Findings by rule: 4 findings "
				    "under 4 rules (2 errors, 1 warning, 1 note).\">"));
	assert_int_equal(count(svg, "class=\"chart-label\""), 4);
	assert_non_null(strstr(svg, ">fact-typed</text>"));
	assert_non_null(strstr(svg, "class=\"chart-bar chart-bar-warning\""));
	assert_non_null(strstr(svg, ">1 warning</text>"));
	arena_release(&a);
	diags_release(&d);

	/* Nothing measured, no findings: no charts (null, false in a section). */
	p[0].read.scale = p[1].read.scale = NULL;
	r.diags = NULL;
	ctx = report_context(&r, &a);
	assert_true(is_null(ctx, "summary.reading_chart"));
	assert_true(is_null(ctx, "summary.rules_chart"));
	assert_false(flag(ctx, "summary.has_measured"));
	assert_false(flag(ctx, "summary.has_findings"));
	assert_string_equal(str(value_list_at(value_get_path(ctx, "pages"), 0, &a), "level_text"),
			    "not measured");
	arena_release(&a);
}

/* templates/report.mustache renders from the context with every variable
 * known (strict), escaped, and with the page's lang on its title. Run from
 * the repository root, as tests/run-all.sh does. */
static void test_template(void **state)
{
	struct diags d = fixture_diags(), td = { 0 };
	struct report r;
	struct report_page p[2];
	struct arena a = ARENA_INIT;
	struct buf src = BUF_INIT, out = BUF_INIT;
	struct mustache *m = mustache_new();
	(void)state;
	fixture(&r, p, &d);
	assert_int_equal(source_read("templates/report.mustache", 1 << 20, &src, &td), 0);
	assert_int_equal(mustache_add(m, "report", "templates/report.mustache", src.ptr, src.len,
				      &td), 0);
	assert_int_equal(mustache_render(m, "report", report_context(&r, &a), 1, &out, &td), 0);
	assert_int_equal(td.n, 0);
	assert_int_equal(count(out.ptr, "<h1"), 1);
	assert_int_equal(count(out.ptr, "<table"), count(out.ptr, "<caption>"));
	assert_int_equal(count(out.ptr, "<th scope=\"col\">"), 5 + 5 + 6);
	assert_int_equal(count(out.ptr, "<svg "), 2);
	assert_null(strstr(out.ptr, "</script>"));
	assert_null(strstr(out.ptr, " style="));
	assert_non_null(strstr(out.ptr, "<a href=\"/es/atencion-de-urgencia/\" lang=\"es\" "
					"dir=\"auto\" hreflang=\"es\">Atención de &quot;urgencia&quot; "
					"&lt;/script&gt;</a>"));
	assert_non_null(strstr(out.ptr, "<a href=\"/en/urgent-care/print/\">Large print"));
	assert_non_null(strstr(out.ptr, "at line 12:10: phone number typed by hand"));
	assert_non_null(strstr(out.ptr, "<code>phone.tty</code>"));
	/* Nothing measured, no findings, no large print: still every variable
	 * known, and the charts replaced by sentences. */
	p[0].read.scale = p[1].read.scale = NULL;
	p[0].print_url = NULL;
	r.diags = NULL;
	r.base_url = NULL;
	buf_reset(&out);
	assert_int_equal(mustache_render(m, "report", report_context(&r, &a), 1, &out, &td), 0);
	assert_int_equal(td.n, 0);
	assert_int_equal(count(out.ptr, "<svg "), 0);
	assert_non_null(strstr(out.ptr, "<p>No findings.</p>"));
	assert_non_null(strstr(out.ptr, "<p>No page has a language with a reading-level formula.</p>"));
	assert_int_equal(count(out.ptr, ">Large print<"), 1);
	mustache_free(m);
	buf_release(&src);
	buf_release(&out);
	arena_release(&a);
	diags_release(&d);
	diags_release(&td);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_exact),
		cmocka_unit_test(test_json_in_pieces),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_without_diags),
		cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_context_fields),
		cmocka_unit_test(test_charts),
		cmocka_unit_test(test_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
