/* test_diag.c - unit tests for diag.c: the rule catalogue, did-you-mean,
 * sorting and de-duplication, the printed form users read, strict mode.
 * Never touches anything outside its own temp files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "util.h"

/* Per test: diagnostics, a temp file and printed output, released by
 * teardown even when an assertion fails. */
struct fx {
	struct diags d;
	char path[64];  /* the temp file, "" if none */
	char *out;      /* diags_print output */
	char *expect;
};

static int setup(void **state)
{
	*state = xcalloc(1, sizeof(struct fx));
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	diags_release(&f->d);
	if (*f->path)
		unlink(f->path);
	free(f->out);
	free(f->expect);
	free(f);
	return 0;
}

/* Writes text to a new temp file; returns its path (f->path). */
static const char *temp_file(struct fx *f, const char *text, size_t len)
{
	int fd;
	FILE *fp;
	strcpy(f->path, "/tmp/carepress-test-diag-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return f->path;
}

/* Prints f->d into f->out and returns it. */
static const char *print_to_string(struct fx *f)
{
	size_t len = 0;
	FILE *fp;
	free(f->out);
	f->out = NULL;
	fp = open_memstream(&f->out, &len);
	assert_non_null(fp);
	diags_print(&f->d, fp);
	assert_int_equal(fclose(fp), 0);
	return f->out;
}

/* Sets f->expect to the formatted text (of at most 1 KB) and returns it. */
static const char *expect(struct fx *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *expect(struct fx *f, const char *fmt, ...)
{
	va_list ap;
	free(f->expect);
	f->expect = xmalloc(1024);
	va_start(ap, fmt);
	vsnprintf(f->expect, 1024, fmt, ap);
	va_end(ap);
	return f->expect;
}

static void test_rule_names_complete_and_unique(void **state)
{
	size_t i, j;
	(void)state;
	for (i = 0; i < RULE_MAX; i++) {
		assert_non_null(rule_name[i]);
		assert_true(strlen(rule_name[i]) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(rule_name[i], rule_name[j]);
	}
	/* The table is kept in enum order: spot-check both ends and the middle. */
	assert_string_equal(rule_name[RULE_IO], "io");
	assert_string_equal(rule_name[RULE_FACT_UNKNOWN], "fact-unknown");
	assert_string_equal(rule_name[RULE_LINK_ANCHOR], "link-anchor");
	assert_string_equal(rule_name[RULE_NESTING], "nesting");
	assert_string_equal(rule_name[RULE_TRANSLATION_MISSING], "translation-missing");
	assert_string_equal(rule_name[RULE_TEMPLATE_VARIABLE], "template-variable");
}

static void test_rule_severity_defaults(void **state)
{
	(void)state;
	assert_int_equal(rule_severity(RULE_FRONT_MATTER_KEY), SEV_WARNING);
	assert_int_equal(rule_severity(RULE_FACT_TYPED), SEV_WARNING);
	assert_int_equal(rule_severity(RULE_FOOTNOTE), SEV_WARNING);
	assert_int_equal(rule_severity(RULE_ENCODING), SEV_ERROR);
	assert_int_equal(rule_severity(RULE_LINK_PAGE), SEV_ERROR);
	assert_int_equal(rule_severity(RULE_YAML), SEV_ERROR);
}

static void test_diag_copies_strings_and_counts(void **state)
{
	struct fx *f = *state;
	char file[] = "content/en/a.md";
	char word[] = "phone.urgnet";
	diag(&f->d, RULE_FACT_UNKNOWN, file, 12, 9, "unknown fact '%s'", word);
	diag_note(&f->d, "did you mean '%s'?", "phone.urgent");
	/* The caller's buffers may change afterwards. */
	file[0] = 'X';
	word[0] = 'X';
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.warnings, 0);
	assert_int_equal(f->d.v[0].rule, RULE_FACT_UNKNOWN);
	assert_int_equal(f->d.v[0].severity, SEV_ERROR);
	assert_string_equal(f->d.v[0].file, "content/en/a.md");
	assert_int_equal(f->d.v[0].line, 12);
	assert_int_equal(f->d.v[0].col, 9);
	assert_string_equal(f->d.v[0].message, "unknown fact 'phone.urgnet'");
	assert_string_equal(f->d.v[0].note, "did you mean 'phone.urgent'?");

	diag(&f->d, RULE_FRONT_MATTER_KEY, NULL, 0, 0, "unknown front matter key 'x'");
	assert_null(f->d.v[1].file);
	assert_null(f->d.v[1].note);
	assert_int_equal(f->d.warnings, 1);
	diag_sev(&f->d, SEV_NOTE, RULE_CONFIG, NULL, 0, 0, "just so you know");
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.warnings, 1);
	assert_int_equal(f->d.v[2].severity, SEV_NOTE);
	diags_release(&f->d);
	assert_int_equal(f->d.n, 0);
	assert_null(f->d.v);
}

static void test_diag_note_replaces_previous_note(void **state)
{
	struct fx *f = *state;
	diag(&f->d, RULE_CONFIG, "site.yaml", 1, 1, "first");
	diag_note(&f->d, "one");
	diag_note(&f->d, "two");
	assert_string_equal(f->d.v[0].note, "two");
	diags_release(&f->d);
}

static void test_did_you_mean(void **state)
{
	static const char *const fm[] = { "title", "description", "slug", "key", "order",
					  "updated", "translation", "reviewer", "reviewed",
					  "source_hash" };
	static const char *const facts[] = { "phone.main", "phone.urgent", "phone.tty" };
	(void)state;
	assert_string_equal(did_you_mean("titel", fm, ARRAY_SIZE(fm)), "title");
	assert_string_equal(did_you_mean("descripton", fm, ARRAY_SIZE(fm)), "description");
	assert_string_equal(did_you_mean("updatd", fm, ARRAY_SIZE(fm)), "updated");
	assert_string_equal(did_you_mean("phone.urgnet", facts, ARRAY_SIZE(facts)),
			    "phone.urgent");
	assert_string_equal(did_you_mean("slug", fm, ARRAY_SIZE(fm)), "slug");
	/* Nothing close: no suggestion rather than a silly one. */
	assert_null(did_you_mean("colour", fm, ARRAY_SIZE(fm)));
	assert_null(did_you_mean("zz", fm, ARRAY_SIZE(fm)));
	assert_null(did_you_mean("title", fm, 0));
	/* Very long words are not compared (bounded work), and do not crash. */
	{
		char long_word[200];
		memset(long_word, 'a', sizeof(long_word) - 1);
		long_word[sizeof(long_word) - 1] = '\0';
		assert_null(did_you_mean(long_word, fm, ARRAY_SIZE(fm)));
	}
}

static void test_sort_order(void **state)
{
	struct fx *f = *state;
	diag(&f->d, RULE_LINK_PAGE, "b.md", 1, 1, "m");
	diag(&f->d, RULE_LINK_PAGE, "a.md", 10, 1, "m");
	diag(&f->d, RULE_LINK_PAGE, "a.md", 2, 7, "m");
	diag(&f->d, RULE_LINK_PAGE, "a.md", 2, 3, "z");
	diag(&f->d, RULE_LINK_PAGE, "a.md", 2, 3, "a");
	diags_sort(&f->d);
	assert_int_equal(f->d.n, 5);
	assert_string_equal(f->d.v[0].file, "a.md");
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 3);
	assert_string_equal(f->d.v[0].message, "a");
	assert_string_equal(f->d.v[1].message, "z");
	assert_int_equal(f->d.v[2].col, 7);
	assert_int_equal(f->d.v[3].line, 10); /* numeric, not "10" < "2" */
	assert_string_equal(f->d.v[4].file, "b.md");
	diags_release(&f->d);
}

static void test_sort_deduplicates_and_recounts(void **state)
{
	struct fx *f = *state;
	int i;
	/* One template used by three pages reports the same problem three times. */
	for (i = 0; i < 3; i++)
		diag(&f->d, RULE_TEMPLATE_VARIABLE, "templates/page.mustache", 4, 5,
		     "unknown variable 'pgae.title'");
	for (i = 0; i < 2; i++)
		diag(&f->d, RULE_FRONT_MATTER_KEY, "a.md", 2, 1, "unknown front matter key 'x'");
	diag(&f->d, RULE_LINK_PAGE, "a.md", 2, 1, "unknown front matter key 'x'");
	assert_int_equal(f->d.errors, 4);
	assert_int_equal(f->d.warnings, 2);
	diags_sort(&f->d);
	assert_int_equal(f->d.n, 3);
	assert_int_equal(f->d.errors, 2);
	assert_int_equal(f->d.warnings, 1);
	/* Same place and message but a different rule is a different finding. */
	assert_int_equal(f->d.v[0].rule, RULE_FRONT_MATTER_KEY);
	assert_int_equal(f->d.v[1].rule, RULE_LINK_PAGE);
	assert_string_equal(f->d.v[2].file, "templates/page.mustache");
	diags_release(&f->d);
}

static void test_sort_empty_and_fileless(void **state)
{
	struct fx *f = *state;
	diags_sort(&f->d);
	assert_int_equal(f->d.n, 0);
	diag(&f->d, RULE_IO, "x.md", 0, 0, "cannot read file");
	diag(&f->d, RULE_CONFIG, NULL, 0, 0, "no languages");
	diag(&f->d, RULE_CONFIG, NULL, 0, 0, "no languages");
	diags_sort(&f->d);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.errors, 2);
	diags_release(&f->d);
}

static void test_take_moves_everything(void **state)
{
	struct diags a = { 0 }, b = { 0 };
	int i;
	(void)state;
	diag(&a, RULE_IO, "x", 0, 0, "first");
	for (i = 0; i < 40; i++)
		diag(&b, RULE_FOOTNOTE, "y", i + 1, 1, "footnote %d", i);
	diag(&b, RULE_LINK_PAGE, "y", 99, 1, "link");
	diags_take(&a, &b);
	assert_int_equal(a.n, 42);
	assert_int_equal(a.errors, 2);
	assert_int_equal(a.warnings, 40);
	assert_string_equal(a.v[41].message, "link");
	assert_int_equal(b.n, 0);
	assert_int_equal(b.errors, 0);
	assert_int_equal(b.warnings, 0);
	assert_null(b.v);
	diags_release(&a);
	diags_release(&b);
}

static void test_failed_and_strict(void **state)
{
	struct fx *f = *state;
	assert_false(diags_failed(&f->d));
	diag(&f->d, RULE_FRONT_MATTER_KEY, "a.md", 2, 1, "unknown front matter key 'x'");
	assert_false(diags_failed(&f->d));
	f->d.strict = 1;
	assert_true(diags_failed(&f->d));
	f->d.strict = 0;
	diag(&f->d, RULE_LINK_PAGE, "a.md", 3, 1, "link");
	assert_true(diags_failed(&f->d));
	diags_release(&f->d);
	/* A note alone never fails, strict or not. */
	f->d.strict = 1;
	diag_sev(&f->d, SEV_NOTE, RULE_CONFIG, NULL, 0, 0, "fyi");
	assert_false(diags_failed(&f->d));
	diags_release(&f->d);
}

static void test_print_with_source_line_and_caret(void **state)
{
	static const char text[] = "---\n"
				   "Llame al {{ phone.urgnet }} de lunes a viernes.\n"
				   "end\n";
	struct fx *f = *state;
	const char *path = temp_file(f, text, sizeof(text) - 1);
	diag(&f->d, RULE_FACT_UNKNOWN, path, 2, 10, "unknown fact '%s'", "phone.urgnet");
	diag_note(&f->d, "did you mean 'phone.urgent'?");
	assert_string_equal(print_to_string(f),
			    expect(f, "%s:2:10: error: unknown fact 'phone.urgnet' [fact-unknown]\n"
				      "     2 | Llame al {{ phone.urgnet }} de lunes a viernes.\n"
				      "       |          ^\n"
				      "note: did you mean 'phone.urgent'?\n",
				   path));
}

static void test_print_forms_without_position(void **state)
{
	struct fx *f = *state;
	diag(&f->d, RULE_CONFIG, NULL, 0, 0, "no site.yaml in '%s'", "content");
	diag(&f->d, RULE_IO, "content/en/x.md", 0, 0, "cannot read file: %s", "Permission denied");
	/* A line but no column: no caret (there is nothing to point at), and a
	 * file that cannot be opened prints no source line. */
	diag(&f->d, RULE_FRONT_MATTER_KEY, "/nonexistent/carepress/a.md", 3, 0,
	     "unknown front matter key 'x'");
	diag(&f->d, RULE_LINK_PAGE, "/nonexistent/carepress/b.md", 4, 2,
	     "link to a page that does not exist: 'x.md'");
	assert_string_equal(print_to_string(f),
			    "carepress: error: no site.yaml in 'content' [config]\n"
			    "content/en/x.md: error: cannot read file: Permission denied [io]\n"
			    "/nonexistent/carepress/a.md:3: warning: unknown front matter key 'x' "
			    "[front-matter-key]\n"
			    "/nonexistent/carepress/b.md:4:2: error: link to a page that does not "
			    "exist: 'x.md' [link-page]\n");
}

static void test_print_makes_control_bytes_visible(void **state)
{
	/* a TAB b ^A c: the caret must land under 'c' (byte column 5), after the
	 * tab shown as one space and the control byte shown as two characters.
	 * The CR of a CRLF line end is not shown. */
	static const char text[] = "a\tb\001c\r\nnext\n";
	struct fx *f = *state;
	const char *path = temp_file(f, text, sizeof(text) - 1);
	diag(&f->d, RULE_ENCODING, path, 1, 5, "bad");
	assert_string_equal(print_to_string(f),
			    expect(f, "%s:1:5: error: bad [encoding]\n"
				      "     1 | a b^Ac\n"
				      "       |      ^\n",
				   path));
}

static void test_print_caret_counts_utf8_as_one_column(void **state)
{
	/* "é x": the x is byte 4 (é is two bytes) but display column 3. */
	static const char text[] = "\xC3\xA9 x\n";
	struct fx *f = *state;
	const char *path = temp_file(f, text, sizeof(text) - 1);
	diag(&f->d, RULE_LINK_PAGE, path, 1, 4, "m");
	/* Past the end of the line: the caret goes after the last character. */
	diag(&f->d, RULE_LINK_PAGE, path, 1, 6, "n");
	assert_string_equal(print_to_string(f),
			    expect(f, "%s:1:4: error: m [link-page]\n"
				      "     1 | \xC3\xA9 x\n"
				      "       |   ^\n"
				      "%s:1:6: error: n [link-page]\n"
				      "     1 | \xC3\xA9 x\n"
				      "       |     ^\n",
				   path, path));
}

static void test_print_line_past_end_of_file(void **state)
{
	static const char text[] = "one\ntwo\n";
	struct fx *f = *state;
	const char *path = temp_file(f, text, sizeof(text) - 1);
	diag(&f->d, RULE_YAML, path, 9, 1, "gone");
	assert_string_equal(print_to_string(f), expect(f, "%s:9:1: error: gone [yaml]\n", path));
}

/* Columns count bytes of the normalized text, where source.c has dropped a
 * UTF-8 BOM (an encoding error in "ab<FF>" after a BOM is at 1:3). The
 * echoed line must not carry the BOM, and the caret must stay under the
 * column: here 'c', column 3 of line 1. */
static void test_print_caret_after_bom(void **state)
{
	static const char text[] = "\xEF\xBB\xBF" "abc\n";
	struct fx *f = *state;
	const char *path = temp_file(f, text, sizeof(text) - 1);
	diag(&f->d, RULE_LINK_PAGE, path, 1, 3, "m");
	assert_string_equal(print_to_string(f),
			    expect(f, "%s:1:3: error: m [link-page]\n"
				      "     1 | abc\n"
				      "       |   ^\n",
				   path));
}

/* House style: control bytes in echoed input are made visible. A key such
 * as "\x1b[2J" in a content file must not clear the terminal or the CI log
 * of whoever builds the site. */
static void test_print_makes_control_bytes_in_message_visible(void **state)
{
	struct fx *f = *state;
	diag(&f->d, RULE_FRONT_MATTER_KEY, "a.md", 2, 0, "unknown front matter key '%s'",
	     "\x1b[2J\x07");
	assert_string_equal(print_to_string(f), "a.md:2: warning: unknown front matter key "
			    "'^[[2J^G' [front-matter-key]\n");
}

/* A finding an earlier build printed (restored from the page cache) is
 * counted, not printed again. */
static void test_print_leaves_out_earlier(void **state)
{
	struct fx *f = *state;
	diag_restore(&f->d, SEV_WARNING, RULE_FACT_TYPED, "a.md", 3, 1, "typed by hand", "use a fact");
	diag(&f->d, RULE_FACT_TYPED, "b.md", 4, 2, "typed again");
	assert_int_equal(f->d.warnings, 2);
	assert_int_equal(f->d.v[0].earlier, 1);
	assert_string_equal(f->d.v[0].note, "use a fact");
	assert_string_equal(print_to_string(f),
			    "b.md:4:2: warning: typed again [fact-typed]\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rule_names_complete_and_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_severity_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_copies_strings_and_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_note_replaces_previous_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_did_you_mean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_deduplicates_and_recounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_empty_and_fileless, setup, teardown),
		cmocka_unit_test_setup_teardown(test_take_moves_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_and_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_with_source_line_and_caret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_forms_without_position, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_makes_control_bytes_visible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_caret_counts_utf8_as_one_column, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_print_line_past_end_of_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_caret_after_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_leaves_out_earlier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_makes_control_bytes_in_message_visible, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
