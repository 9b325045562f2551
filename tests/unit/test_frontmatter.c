/* test_frontmatter.c - unit tests for frontmatter.c: splitting a page into
 * front matter and body, the fields it fills, Hugo's aliases, and the
 * diagnostics (rule, line, col, message) an author sees for a bad block. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "frontmatter.h"
#include "util.h"

struct fx {
	struct arena a;
	struct diags d;
	struct page_meta m;
	size_t body_offset;
	int body_line;
};

static int setup(void **state)
{
	*state = xcalloc(1, sizeof(struct fx));
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_release(&f->a);
	diags_release(&f->d);
	free(f);
	return 0;
}

/* Parses the NUL-terminated page text as "p.md". */
static int parse(struct fx *f, const char *text)
{
	f->body_offset = (size_t)-1;
	f->body_line = -1;
	return frontmatter_parse("p.md", text, strlen(text), &f->a, &f->m, &f->body_offset,
				 &f->body_line, &f->d);
}

/* Asserts that diagnostic i is rule at line:col with message (a macro, so a
 * failure names the line of the test). */
#define assert_diag(f, i, rule_, line_, col_, message_)                          \
	do {                                                                     \
		assert_true((f)->d.n > (i));                                     \
		assert_string_equal(rule_name[(f)->d.v[i].rule], rule_name[rule_]); \
		assert_string_equal((f)->d.v[i].file, "p.md");                  \
		assert_int_equal((f)->d.v[i].line, (line_));                     \
		assert_int_equal((f)->d.v[i].col, (col_));                       \
		assert_string_equal((f)->d.v[i].message, (message_));            \
	} while (0)

static void test_all_fields(void **state)
{
	struct fx *f = *state;
	static const char text[] =
		"---\n"                             /* 1 */
		"title: Urgent care\n"              /* 2 */
		"description: When to go\n"        /* 3 */
		"slug: urgent-care\n"              /* 4 */
		"key: urgent\n"                    /* 5 */
		"order: 3\n"                       /* 6 */
		"updated: 2024-05-01\n"            /* 7 */
		"translation: reviewed\n"          /* 8 */
		"reviewer: Ana Pérez\n"            /* 9 */
		"reviewed: 2024-05-02\n"           /* 10 */
		"source_hash: 9f2c\n"              /* 11 */
		"---\n"                             /* 12 */
		"Body starts here.\n";             /* 13 */
	assert_int_equal(parse(f, text), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(f->m.title, "Urgent care");
	assert_int_equal(f->m.title_line, 2);
	assert_string_equal(f->m.description, "When to go");
	assert_string_equal(f->m.slug, "urgent-care");
	assert_int_equal(f->m.slug_line, 4);
	assert_int_equal(f->m.slug_col, 7);
	assert_string_equal(f->m.key, "urgent");
	assert_int_equal(f->m.key_line, 5);
	assert_int_equal(f->m.key_col, 6);
	assert_int_equal(f->m.order, 3);
	assert_int_equal(f->m.has_order, 1);
	assert_string_equal(f->m.updated, "2024-05-01");
	assert_int_equal(f->m.translation, TRANSLATION_REVIEWED);
	assert_int_equal(f->m.has_translation, 1);
	assert_string_equal(f->m.reviewer, "Ana Pérez");
	assert_string_equal(f->m.reviewed, "2024-05-02");
	assert_string_equal(f->m.source_hash, "9f2c");
	assert_string_equal(text + f->body_offset, "Body starts here.\n");
	assert_int_equal(f->body_line, 12);
}

static void test_defaults(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ntitle: A\n---\n"), 0);
	assert_string_equal(f->m.title, "A");
	assert_string_equal(f->m.description, "");
	assert_null(f->m.slug);
	assert_null(f->m.key);
	assert_int_equal(f->m.order, 0);
	assert_int_equal(f->m.has_order, 0);
	assert_null(f->m.updated);
	assert_int_equal(f->m.has_translation, 0);
	assert_null(f->m.reviewer);
	assert_null(f->m.reviewed);
	assert_null(f->m.source_hash);
	/* No body at all: the body is empty and starts at the end. */
	assert_int_equal(f->body_offset, 17);
	assert_int_equal(f->body_line, 3);
}

static void test_body_position(void **state)
{
	struct fx *f = *state;
	static const char no_newline[] = "---\ntitle: A\n---";
	static const char dots[] = "---\ntitle: A\n...\nText";
	static const char spaces[] = "---  \ntitle: A\n---\t \n\nText";
	assert_int_equal(parse(f, no_newline), 0);
	assert_int_equal(f->body_offset, strlen(no_newline));
	assert_int_equal(f->body_line, 3);
	/* YAML's document end marker closes it too. */
	assert_int_equal(parse(f, dots), 0);
	assert_string_equal(dots + f->body_offset, "Text");
	assert_int_equal(f->body_line, 3);
	/* Trailing blanks on the --- lines are fine; blank body lines count. */
	assert_int_equal(parse(f, spaces), 0);
	assert_string_equal(spaces + f->body_offset, "\nText");
	assert_int_equal(f->body_line, 3);
	assert_int_equal(f->d.n, 0);
}

/* The first line that is exactly '---' closes the front matter; a later one
 * is body text (a Markdown thematic break). */
static void test_first_closing_line_wins(void **state)
{
	struct fx *f = *state;
	static const char text[] = "---\ntitle: A\n---\nsome text\n---\nmore\n";
	assert_int_equal(parse(f, text), 0);
	assert_string_equal(text + f->body_offset, "some text\n---\nmore\n");
}

static void test_empty_file(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, ""), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER, 1, 1, "empty file");
	assert_non_null(f->d.v[0].note);
}

static void test_missing_block(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"title: A\n", "# Heading\n", "----\ntitle: A\n----\n", "--- x\ntitle: A\n---\n",
		"--", "\n---\ntitle: A\n---\n",
	};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(f, bad[i]), -1);
		assert_int_equal(f->d.n, 1);
		assert_diag(f, 0, RULE_FRONT_MATTER, 1, 1, "missing front matter");
		assert_string_equal(f->d.v[0].note,
				    "start the file with a line '---', then 'title: ...', then '---'");
		diags_release(&f->d);
	}
}

static void test_unterminated_block(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "---\ntitle: A\n", "---\ntitle: A\nBody\n-- \n", "---" };
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(f, bad[i]), -1);
		assert_int_equal(f->d.n, 1);
		assert_diag(f, 0, RULE_FRONT_MATTER, 1, 1, "front matter is not closed");
		assert_string_equal(f->d.v[0].note, "end it with a line '---' before the page text");
		diags_release(&f->d);
	}
}

static void test_missing_title(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ndescription: x\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER, 1, 1, "missing 'title' in front matter");
	assert_string_equal(f->d.v[0].note, "add a line 'title: ...' between the --- lines");
	diags_release(&f->d);
	/* An empty quoted title is no title either. */
	assert_int_equal(parse(f, "---\ntitle: \"\"\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER, 1, 1, "missing 'title' in front matter");
}

static void test_empty_block_needs_title(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\n---\nBody\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_FRONT_MATTER);
	assert_int_equal(f->d.errors, 1);
}

static void test_not_a_map(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\n- title\n- A\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER, 2, 1, "front matter must be 'key: value' lines");
}

static void test_wrong_types(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ntitle: [a, b]\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_YAML_TYPE, 2, 8, "'title' must be a single value, not a list");
	diags_release(&f->d);

	assert_int_equal(parse(f, "---\ntitle: A\ndescription: {x: 1}\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 14, "'description' must be a single value, not a map");
	diags_release(&f->d);

	assert_int_equal(parse(f, "---\ntitle:\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_TYPE);
	assert_int_equal(f->d.v[0].line, 2);
	assert_string_equal(f->d.v[0].message, "'title' must be a single value, not empty");
	diags_release(&f->d);

	/* A block list on the following lines: the position of its first item. */
	assert_int_equal(parse(f, "---\ntitle: A\nslug:\n  - a\n  - b\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML_TYPE, 4, 3, "'slug' must be a single value, not a list");
	diags_release(&f->d);

	/* Every bad field is reported, not only the first. */
	assert_int_equal(parse(f, "---\ntitle: [x]\norder: many\nupdated: soon\n---\n"), -1);
	assert_int_equal(f->d.n, 3);
	assert_int_equal(f->d.errors, 3);
}

static void test_scalar_titles_keep_text(void **state)
{
	struct fx *f = *state;
	/* Titles that YAML would type as numbers or booleans are still text. */
	assert_int_equal(parse(f, "---\ntitle: 1984\n---\n"), 0);
	assert_string_equal(f->m.title, "1984");
	assert_int_equal(parse(f, "---\ntitle: yes\n---\n"), 0);
	assert_string_equal(f->m.title, "yes");
	assert_int_equal(parse(f, "---\ntitle: True\n---\n"), 0);
	assert_string_equal(f->m.title, "True");
}

static void test_unknown_key_warns_with_suggestion(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ntitle: A\ndescripton: B\n---\n"), 0);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 1);
	assert_int_equal(f->d.v[0].severity, SEV_WARNING);
	assert_diag(f, 0, RULE_FRONT_MATTER_KEY, 3, 1, "unknown front matter key 'descripton'");
	assert_string_equal(f->d.v[0].note, "did you mean 'description'?");
	/* The unknown key is ignored, the rest is used. */
	assert_string_equal(f->m.title, "A");
	assert_string_equal(f->m.description, "");
	diags_release(&f->d);

	/* 'titel' suggests 'title'; the title is then missing, an error. */
	assert_int_equal(parse(f, "---\ntitel: Urgent care\n---\n"), -1);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.warnings, 1);
	assert_int_equal(f->d.errors, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER_KEY, 2, 1, "unknown front matter key 'titel'");
	assert_string_equal(f->d.v[0].note, "did you mean 'title'?");
	assert_diag(f, 1, RULE_FRONT_MATTER, 1, 1, "missing 'title' in front matter");
	diags_release(&f->d);

	/* Nothing close: a warning without a silly suggestion. */
	assert_int_equal(parse(f, "---\ntitle: A\ncategories: x\n---\n"), 0);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER_KEY, 3, 1, "unknown front matter key 'categories'");
	assert_null(f->d.v[0].note);
}

/* The warning points at the line of the unknown key, also when its value is a
 * block that starts on the next line. */
static void test_unknown_key_position_is_the_key(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ntitle: A\ntags:\n  - care\n  - urgent\n---\n"), 0);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_FRONT_MATTER_KEY, 3, 1, "unknown front matter key 'tags'");
}

static void test_hugo_aliases(void **state)
{
	struct fx *f = *state;
	static const char text[] = "---\n"
				   "title: Video visits\n"
				   "translationKey: video\n"
				   "weight: 20\n"
				   "date: 2022-02-04T10:00:00Z\n"
				   "---\n";
	assert_int_equal(parse(f, text), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(f->m.key, "video");
	assert_int_equal(f->m.order, 20);
	assert_int_equal(f->m.has_order, 1);
	assert_string_equal(f->m.updated, "2022-02-04");
	/* Other Hugo timestamp forms keep their date. */
	assert_int_equal(parse(f, "---\ntitle: A\ndate: 2022-02-04 10:00:00\n---\n"), 0);
	assert_string_equal(f->m.updated, "2022-02-04");
	assert_int_equal(parse(f, "---\ntitle: A\ndate: \"2023-11-30T08:00:00+01:00\"\n---\n"), 0);
	assert_string_equal(f->m.updated, "2023-11-30");
	/* A bad date under the alias names the alias the author wrote. */
	assert_int_equal(parse(f, "---\ntitle: A\ndate: last week\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 7, "'date' must be a date (YYYY-MM-DD)");
	diags_release(&f->d);
	assert_int_equal(parse(f, "---\ntitle: A\nweight: 1.5\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 9, "'weight' must be a whole number");
}

static void test_translation_status(void **state)
{
	struct fx *f = *state;
	static const struct { const char *text; enum translation_status t; } ok[] = {
		{ "---\ntitle: A\ntranslation: source\n---\n", TRANSLATION_SOURCE },
		{ "---\ntitle: A\ntranslation: provided\n---\n", TRANSLATION_PROVIDED },
		{ "---\ntitle: A\ntranslation: reviewed\n---\n", TRANSLATION_REVIEWED },
	};
	size_t i;
	assert_string_equal(translation_name[TRANSLATION_SOURCE], "source");
	assert_string_equal(translation_name[TRANSLATION_PROVIDED], "provided");
	assert_string_equal(translation_name[TRANSLATION_REVIEWED], "reviewed");
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(parse(f, ok[i].text), 0);
		assert_int_equal(f->m.translation, ok[i].t);
		assert_int_equal(f->m.has_translation, 1);
	}
	assert_int_equal(parse(f, "---\ntitle: A\ntranslation: machine\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 14,
		    "translation must be source, provided or reviewed, not 'machine'");
	diags_release(&f->d);
	/* Case matters: the value is an id. */
	assert_int_equal(parse(f, "---\ntitle: A\ntranslation: Reviewed\n---\n"), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_TYPE);
}

static void test_bad_dates(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"2024-13-01", "2024-00-10", "2024-05-32", "2024-05-00", "2024-5-01", "24-05-01",
		"2024/05/01", "20240501", "May 1, 2024", "2024-05-01x", "\"\"",
	};
	char text[128];
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "---\ntitle: A\nupdated: %s\n---\n", bad[i]);
		assert_int_equal(parse(f, text), -1);
		assert_int_equal(f->d.n, 1);
		assert_diag(f, 0, RULE_YAML_TYPE, 3, 10, "'updated' must be a date (YYYY-MM-DD)");
		assert_null(f->m.updated);
		diags_release(&f->d);
	}
	assert_int_equal(parse(f, "---\ntitle: A\nreviewed: 2024-99-99\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 11, "'reviewed' must be a date (YYYY-MM-DD)");
}

/* YYYY-MM-DD means a day that exists: 30 February does not, and the date
 * ends up in the sitemap's <lastmod> and the page's "Updated" line. */
static void test_impossible_dates_refused(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "2022-02-30", "2023-02-29", "2024-04-31" };
	char text[128];
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "---\ntitle: A\nupdated: %s\n---\n", bad[i]);
		assert_int_equal(parse(f, text), -1);
		assert_int_equal(f->d.n, 1);
		assert_diag(f, 0, RULE_YAML_TYPE, 3, 10, "'updated' must be a date (YYYY-MM-DD)");
		diags_release(&f->d);
	}
	/* 2024 is a leap year. */
	assert_int_equal(parse(f, "---\ntitle: A\nupdated: 2024-02-29\n---\n"), 0);
	assert_string_equal(f->m.updated, "2024-02-29");
}

static void test_order_values(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ntitle: A\norder: -2\n---\n"), 0);
	assert_int_equal(f->m.order, -2);
	assert_int_equal(parse(f, "---\ntitle: A\norder: 0\n---\n"), 0);
	assert_int_equal(f->m.order, 0);
	assert_int_equal(f->m.has_order, 1);
	/* Quoted: text, not a number. */
	assert_int_equal(parse(f, "---\ntitle: A\norder: \"3\"\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 8, "'order' must be a whole number");
	diags_release(&f->d);
	assert_int_equal(parse(f, "---\ntitle: A\norder: 2.5\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML_TYPE, 3, 8, "'order' must be a whole number");
}

/* A number too big for an int must be refused before it is converted:
 * (int)1e10 is undefined behaviour (UBSan: float-cast-overflow). */
static void test_order_out_of_range(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "1e10", "3000000000", "-1e300", "-inf" };
	char text[128];
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "---\ntitle: A\norder: %s\n---\n", bad[i]);
		assert_int_equal(parse(f, text), -1);
		assert_int_equal(f->d.n, 1);
		assert_diag(f, 0, RULE_YAML_TYPE, 3, 8, "'order' must be a whole number");
		diags_release(&f->d);
	}
}

/* A key and its Hugo alias are one key: giving both is a duplicate, in either
 * order, reported on the later line with the earlier one named. */
static void test_alias_and_key_together_are_a_duplicate(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "---\ntitle: A\norder: 2\nweight: 5\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_YAML_DUPLICATE, 4, 1,
		    "duplicate key 'weight' (the same as 'order' on line 3)");
	assert_string_equal(f->d.v[0].note,
			    "'order' and 'weight' both set the page's order; keep one of them");
	diags_release(&f->d);
	assert_int_equal(parse(f, "---\ntitle: A\ndate: 2024-05-01\nkey: k\n"
				  "updated: 2024-05-02\ntranslationKey: k\n---\n"), -1);
	assert_int_equal(f->d.n, 2);
	assert_diag(f, 0, RULE_YAML_DUPLICATE, 5, 1,
		    "duplicate key 'updated' (the same as 'date' on line 3)");
	assert_diag(f, 1, RULE_YAML_DUPLICATE, 6, 1,
		    "duplicate key 'translationKey' (the same as 'key' on line 4)");
}

static void test_yaml_errors_have_file_lines(void **state)
{
	struct fx *f = *state;
	/* Duplicate key: on line 3 of the file, first given on line 2. */
	assert_int_equal(parse(f, "---\ntitle: A\ntitle: B\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_diag(f, 0, RULE_YAML_DUPLICATE, 3, 1, "duplicate key 'title'");
	assert_string_equal(f->d.v[0].note, "first given on line 2; remove one of them");
	diags_release(&f->d);
	/* Syntax error: a tab indentation on line 4 of the file. */
	assert_int_equal(parse(f, "---\ntitle: A\nslug:\n\tx: 1\n---\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].line, 4);
	assert_int_equal(f->d.v[0].col, 1);
	diags_release(&f->d);
	/* Alias. */
	assert_int_equal(parse(f, "---\ntitle: &t A\ndescription: *t\n---\n"), -1);
	assert_diag(f, 0, RULE_YAML, 3, 14, "YAML aliases (*name) are not supported");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_position, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_closing_line_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unterminated_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_block_needs_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalar_titles_keep_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_warns_with_suggestion, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_position_is_the_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hugo_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_translation_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_impossible_dates_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_errors_have_file_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_and_key_together_are_a_duplicate, setup,
						teardown),
		/* Last: under clang's UBSan it aborts the run (see the test). */
		cmocka_unit_test_setup_teardown(test_order_out_of_range, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
