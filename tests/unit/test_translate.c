/* test_translate.c - a translation against its source, as a language-access
 * reviewer reads the findings: other facts are an error, other sections
 * and notes a warning, an old or missing source_hash a warning, and
 * --release refuses what is not reviewed and current. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "translate.h"

struct fx {
	struct config cfg;
	struct site site;
	struct page en, es;
	struct page_group group;
	struct page_group *groups[1];
	struct page *by_lang[2];
	struct diags d;
};

static const char *en_facts[] = { "phone.main", "phone.tty" };

/* An English source and its Spanish translation, alike in every way the
 * checks look at, the translation made from the current source. */
static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	f->cfg.n_langs = 2;
	f->site.cfg = &f->cfg;
	f->site.groups = f->groups;
	f->site.n_groups = 1;
	f->groups[0] = &f->group;
	f->group.by_lang = f->by_lang;
	f->by_lang[0] = &f->en;
	f->by_lang[1] = &f->es;
	f->en.path = "content/en/care.md";
	f->es.path = "content/es/care.md";
	f->en.facts_used = f->es.facts_used = en_facts;
	f->en.n_facts_used = f->es.n_facts_used = 2;
	f->en.n_h2 = f->es.n_h2 = 3;
	f->en.n_footnotes = f->es.n_footnotes = 1;
	strcpy(f->en.body_hash, "0123456789ab");
	strcpy(f->es.body_hash, "ba9876543210");
	f->es.meta.has_translation = 1;
	f->es.meta.translation = TRANSLATION_REVIEWED;
	f->es.meta.source_hash = "0123456789ab";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	diags_release(&f->d);
	test_free(f);
	return 0;
}

/* The findings, one "file:line:col rule: message" a line. */
static const char *found(struct fx *f, int release)
{
	static char text[2048];
	size_t i, n = 0;
	diags_release(&f->d);
	translate_check(&f->site, release, &f->d);
	text[0] = '\0';
	for (i = 0; i < f->d.n; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s:%d:%d %s: %s\n", f->d.v[i].file,
				      f->d.v[i].line, f->d.v[i].col, rule_name[f->d.v[i].rule],
				      f->d.v[i].message);
	return text;
}

static void test_current_translation_is_clean(void **state)
{
	struct fx *f = *state;
	assert_string_equal(found(f, 1), "");
	assert_false(f->es.outdated);
	assert_ptr_equal(translate_source(&f->site, &f->group), &f->en);
}

static void test_other_facts_are_an_error(void **state)
{
	struct fx *f = *state;
	static const char *es_facts[] = { "phone.main", "phone.pharmacy" };
	f->es.facts_used = es_facts;
	assert_string_equal(found(f, 0),
		"content/es/care.md:1:1 translation-facts: translation uses other facts than its "
		"source content/en/care.md: lacks 'phone.tty'; adds 'phone.pharmacy'\n");
	assert_int_equal(f->d.errors, 1);
}

static void test_parity_and_source_hash_are_warnings(void **state)
{
	struct fx *f = *state;
	f->es.n_h2 = 2;
	f->es.n_footnotes = 0;
	f->es.meta.source_hash = "ffffffffffff";
	assert_string_equal(found(f, 0),
		"content/es/care.md:1:1 translation-parity: translation has 2 sections (##), its "
		"source content/en/care.md has 3\n"
		"content/es/care.md:1:1 translation-parity: translation has 0 notes, its source "
		"content/en/care.md has 1\n"
		"content/es/care.md:1:1 translation-outdated: outdated translation: "
		"content/en/care.md changed since it was translated\n");
	assert_int_equal(f->d.errors, 0);
	assert_true(f->es.outdated);
	f->es.meta.source_hash = NULL;
	f->es.n_h2 = 3;
	f->es.n_footnotes = 1;
	assert_string_equal(found(f, 0),
		"content/es/care.md:1:1 translation-outdated: translation does not say which "
		"version of content/en/care.md it was made from\n");
}

static void test_release_needs_review(void **state)
{
	struct fx *f = *state;
	f->es.meta.translation = TRANSLATION_PROVIDED;
	assert_string_equal(found(f, 0), "");
	assert_string_equal(found(f, 1),
		"content/es/care.md:1:1 release: translation is not reviewed by a qualified "
		"translator\n");
}

/* The page that says translation: source is the source, whatever its
 * language; a page with an error of its own is not compared. */
static void test_source_and_pages_with_errors(void **state)
{
	struct fx *f = *state;
	static const char *es_facts[] = { "phone.main" };
	f->es.meta.translation = TRANSLATION_SOURCE;
	f->en.meta.has_translation = 1;
	f->en.meta.translation = TRANSLATION_PROVIDED;
	assert_ptr_equal(translate_source(&f->site, &f->group), &f->es);
	f->es.meta.translation = TRANSLATION_REVIEWED;
	f->en.meta.has_translation = 0;
	f->es.facts_used = es_facts;
	f->es.n_facts_used = 1;
	diags_release(&f->d);
	diag(&f->d, RULE_FACT_UNKNOWN, "content/es/care.md", 4, 7, "unknown fact");
	translate_check(&f->site, 0, &f->d);
	assert_int_equal(f->d.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_current_translation_is_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_facts_are_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parity_and_source_hash_are_warnings, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_release_needs_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_and_pages_with_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
