/* test_config.c - unit tests for config.c on small content trees made in a
 * temp dir: languages, base URL and root, facts (per language, facts inside
 * facts, cycles, unknown names), the phone index, strings.yaml, and the
 * diagnostics an author sees for a bad site.yaml. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "util.h"

/* The UI strings config.c requires (its required_strings list). */
static const char *const ui_strings[] = {
	"site_name", "skip_link", "nav_label", "language_label", "footer_label", "home",
	"updated", "large_print", "web_version", "page_label", "of_label", "note",
	"warning", "nonurgent", "urgent", "emergency", "footnotes", "footnote_back",
	"not_found_title", "not_found_text", "back_home", "untranslated", "contents",
	"choose_language",
};

struct fx {
	struct config c;
	struct diags d;
	char dir[64];
	char path[256];
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	strcpy(f->dir, "/tmp/carepress-test-config-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	config_release(&f->c);
	diags_release(&f->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Writes text to dir/rel (making dir/<lang>/ as needed); returns f->path. */
static const char *write_file(struct fx *f, const char *rel, const char *text)
{
	FILE *fp;
	char *slash;
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, rel);
	slash = strrchr(f->path, '/');
	*slash = '\0';
	mkdir(f->path, 0755);
	*slash = '/';
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return f->path;
}

/* Writes <lang>/strings.yaml with every UI string except omit (may be NULL);
 * each text is "<lang> <key>". */
static void write_strings(struct fx *f, const char *lang, const char *omit)
{
	struct buf text = BUF_INIT, rel = BUF_INIT;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(ui_strings); i++)
		if (!omit || strcmp(omit, ui_strings[i]))
			buf_addf(&text, "%s: \"%s %s\"\n", ui_strings[i], lang, ui_strings[i]);
	buf_addf(&rel, "%s/strings.yaml", lang);
	write_file(f, rel.ptr, text.ptr);
	buf_release(&text);
	buf_release(&rel);
}

/* A site.yaml with languages en and es (and text appended), both strings. */
static int load_en_es(struct fx *f, const char *more)
{
	struct buf text = BUF_INIT;
	buf_adds(&text, "base_url: \"https://care.example.org\"\n"
			"languages:\n"
			"  - tag: en\n"
			"    name: English\n"
			"  - tag: es\n"
			"    name: Español\n"
			"    dir: ltr\n");
	buf_adds(&text, more);
	write_file(f, "site.yaml", text.ptr);
	buf_release(&text);
	write_strings(f, "en", NULL);
	write_strings(f, "es", NULL);
	return config_load(&f->c, f->dir, &f->d);
}

/* The first diagnostic of rule, or NULL. */
static const struct diag *find(const struct fx *f, enum rule rule)
{
	size_t i;
	for (i = 0; i < f->d.n; i++)
		if (f->d.v[i].rule == rule)
			return &f->d.v[i];
	return NULL;
}

static size_t count(const struct fx *f, enum rule rule)
{
	size_t i, n = 0;
	for (i = 0; i < f->d.n; i++)
		n += f->d.v[i].rule == rule;
	return n;
}

/* "<dir>/<rel>" in f->path, for comparing diagnostic file names. */
static const char *in_dir(struct fx *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, rel);
	return f->path;
}

static void test_valid_site(void **state)
{
	struct fx *f = *state;
	const struct fact *fact;
	assert_int_equal(load_en_es(f, "pages: [index, urgent-care, notice]\n"
				       "required_pages: [notice]\n"
				       "footer_links: [notice]\n"
				       "max_file_size: 2048\n"
				       "fallback: true\n"
				       "facts:\n"
				       "  org: Example Health\n"
				       "  phone:\n"
				       "    tty: 711\n"), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(f->c.base_url, "https://care.example.org");
	assert_string_equal(f->c.root, "");
	assert_string_equal(f->c.source_dir, f->dir);
	assert_string_equal(f->c.site_path, in_dir(f, "site.yaml"));
	assert_int_equal(f->c.n_langs, 2);
	assert_string_equal(f->c.langs[0].tag, "en");
	assert_string_equal(f->c.langs[0].name, "English");
	assert_string_equal(f->c.langs[0].dir, "ltr"); /* the default */
	assert_string_equal(f->c.langs[1].tag, "es");
	assert_string_equal(f->c.langs[1].name, "Español");
	assert_string_equal(f->c.langs[1].strings_path, in_dir(f, "es/strings.yaml"));
	assert_int_equal(config_lang(&f->c, "en"), 0);
	assert_int_equal(config_lang(&f->c, "es"), 1);
	assert_int_equal(config_lang(&f->c, "fr"), -1);
	assert_int_equal(f->c.n_order, 3);
	assert_string_equal(f->c.order[1], "urgent-care");
	assert_int_equal(f->c.n_required, 1);
	assert_string_equal(f->c.required[0], "notice");
	assert_int_equal(f->c.n_footer, 1);
	assert_int_equal(f->c.max_file_size, 2048);
	assert_int_equal(f->c.fallback, 1);
	assert_string_equal(config_string(&f->c, 1, "home"), "es home");
	assert_string_equal(config_string(&f->c, 0, "not_found_title"), "en not_found_title");
	assert_string_equal(config_string(&f->c, 0, "no_such_string"), "");
	/* Facts are flattened to dotted names; one value per language. */
	assert_int_equal(f->c.n_facts, 2);
	fact = config_fact(&f->c, "phone.tty");
	assert_non_null(fact);
	assert_string_equal(fact->name, "phone.tty");
	assert_string_equal(fact->values[0], "711");
	assert_string_equal(fact->values[1], "711");
	assert_int_equal(fact->line, 16);
	assert_int_equal(fact->col, 10);
	assert_null(config_fact(&f->c, "phone"));
	assert_null(config_fact(&f->c, "phone.fax"));
}

static void test_defaults(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, ""), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->c.max_file_size, 1024 * 1024);
	assert_int_equal(f->c.fallback, 0);
	assert_int_equal(f->c.n_order, 0);
	assert_int_equal(f->c.n_required, 0);
	assert_int_equal(f->c.n_facts, 0);
}

static void test_per_language_facts(void **state)
{
	struct fx *f = *state;
	const struct fact *fact;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  hours:\n"
				       "    main:\n"
				       "      en: Monday to Friday\n"
				       "      es: de lunes a viernes\n"), 0);
	assert_int_equal(f->d.n, 0);
	fact = config_fact(&f->c, "hours.main");
	assert_non_null(fact);
	assert_string_equal(fact->values[0], "Monday to Friday");
	assert_string_equal(fact->values[1], "de lunes a viernes");
	assert_null(config_fact(&f->c, "hours.main.en"));
}

static void test_per_language_fact_missing_language(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  hours:\n"
				       "    en: Monday to Friday\n"), -1);
	assert_int_equal(count(f, RULE_YAML_TYPE), 1);
	assert_string_equal(find(f, RULE_YAML_TYPE)->message,
			    "fact 'hours' must give a text for every language");
}

static void test_facts_inside_facts(void **state)
{
	struct fx *f = *state;
	const struct fact *fact;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  greeting: \"{{ org }} welcomes you\"\n"
				       "  org: \"{{org.name}}\"\n"
				       "  org.name: Example Health\n"
				       "  intro:\n"
				       "    en: \"Call {{ phone.main }} ({{ org }})\"\n"
				       "    es: \"Llame al {{ phone.main }}\"\n"
				       "  phone:\n"
				       "    main: 1-800-555-0100\n"), 0);
	assert_int_equal(f->d.n, 0);
	fact = config_fact(&f->c, "greeting");
	assert_non_null(fact);
	/* Expanded through two levels, whatever the order in the file. */
	assert_string_equal(fact->values[0], "Example Health welcomes you");
	assert_string_equal(fact->values[1], "Example Health welcomes you");
	fact = config_fact(&f->c, "intro");
	assert_string_equal(fact->values[0], "Call 1-800-555-0100 (Example Health)");
	assert_string_equal(fact->values[1], "Llame al 1-800-555-0100");
}

static void test_fact_cycle(void **state)
{
	struct fx *f = *state;
	const struct diag *g;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  a: \"see {{ b }}\"\n"
				       "  b: \"see {{ a }}\"\n"), -1);
	g = find(f, RULE_FACT_CYCLE);
	assert_non_null(g);
	assert_int_equal(g->severity, SEV_ERROR);
	assert_string_equal(g->file, in_dir(f, "site.yaml"));
	assert_int_equal(g->line, 9);
	assert_int_equal(g->col, 6);
	assert_string_equal(g->message, "fact 'a' refers to itself through other facts");
	assert_string_equal(g->note, "write the value out in one of the facts in the loop");
	assert_int_equal(count(f, RULE_FACT_UNKNOWN), 0);
}

static void test_fact_refers_to_itself(void **state)
{
	struct fx *f = *state;
	const struct diag *g;
	assert_int_equal(load_en_es(f, "facts:\n  org: \"{{ org }} Inc.\"\n"), -1);
	g = find(f, RULE_FACT_CYCLE);
	assert_non_null(g);
	assert_int_equal(g->line, 9);
	assert_int_equal(g->col, 8);
	assert_string_equal(g->message, "fact 'org' refers to itself through other facts");
}

static void test_unknown_fact_inside_fact(void **state)
{
	struct fx *f = *state;
	const struct diag *g;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  phone:\n"
				       "    urgent: 1-800-555-0100\n"
				       "  urgent_line: \"Call {{ phone.urgnet }}\"\n"), -1);
	diags_sort(&f->d);
	/* One finding, reported once (not once per language). */
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.errors, 1);
	g = &f->d.v[0];
	assert_int_equal(g->rule, RULE_FACT_UNKNOWN);
	assert_int_equal(g->line, 11);
	assert_int_equal(g->col, 16);
	assert_string_equal(g->message, "fact 'urgent_line' uses unknown fact 'phone.urgnet'");
	assert_string_equal(g->note, "did you mean 'phone.urgent'?");
}

/* A fact that uses a broken fact is not a cycle: the author must see the one
 * real problem (the unknown name), not an invented loop. */
static void test_unknown_fact_is_not_reported_as_cycle(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  a: \"{{ nope }}\"\n"
				       "  b: \"{{ a }}\"\n"), -1);
	diags_sort(&f->d);
	assert_int_equal(count(f, RULE_FACT_UNKNOWN), 1);
	assert_int_equal(count(f, RULE_FACT_CYCLE), 0);
}

static void test_fact_types(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "facts:\n  list: [a, b]\n  empty:\n"), -1);
	assert_int_equal(count(f, RULE_YAML_TYPE), 2);
	assert_string_equal(f->d.v[0].message,
			    "fact 'list' must be text, or a map from language tags to text");
	assert_int_equal(f->d.v[0].line, 9);
	assert_int_equal(f->d.v[0].col, 9);
	assert_string_equal(f->d.v[1].message,
			    "fact 'empty' must be text, or a map from language tags to text");
	config_release(&f->c);
	diags_release(&f->d);
	assert_int_equal(load_en_es(f, "facts: [a]\n"), -1);
	assert_string_equal(find(f, RULE_YAML_TYPE)->message,
			    "'facts' must be a map of names to values");
}

static void test_phone_index(void **state)
{
	struct fx *f = *state;
	const struct fact *main_phone, *tty;
	assert_int_equal(load_en_es(f, "facts:\n"
				       "  phone:\n"
				       "    main: \"1-833-KP4CARE (1-833-574-2273)\"\n"
				       "    tty: \"711\"\n"
				       "    nurse:\n"
				       "      en: \"1-800-555-0100\"\n"
				       "      es: \"1-800-555-0199\"\n"
				       "  fax: \"1-800-555-0111\"\n"), 0);
	main_phone = config_fact(&f->c, "phone.main");
	tty = config_fact(&f->c, "phone.tty");
	assert_non_null(main_phone);
	/* The number to dial is in the parentheses, not the vanity letters. */
	assert_ptr_equal(hash_get(&f->c.phone_index, "18335742273"), main_phone);
	assert_null(hash_get(&f->c.phone_index, "18334"));
	assert_ptr_equal(hash_get(&f->c.phone_index, "711"), tty);
	/* Each language's number of a per-language phone fact. */
	assert_ptr_equal(hash_get(&f->c.phone_index, "18005550100"),
			 config_fact(&f->c, "phone.nurse"));
	assert_ptr_equal(hash_get(&f->c.phone_index, "18005550199"),
			 config_fact(&f->c, "phone.nurse"));
	/* Only phone.* facts are phone numbers. */
	assert_null(hash_get(&f->c.phone_index, "18005550111"));
}

static void test_base_url_root(void **state)
{
	struct fx *f = *state;
	static const struct { const char *url, *base, *root; } cases[] = {
		{ "https://x.org", "https://x.org", "" },
		{ "https://x.org/guide", "https://x.org/guide", "/guide" },
		{ "http://x.org/a/b", "http://x.org/a/b", "/a/b" },
		{ "https://x.org/guide/", "https://x.org/guide", "/guide" },
		{ "https://x.org/", "https://x.org", "" },
		{ "https://x.org/guide//", "https://x.org/guide", "/guide" },
	};
	char text[512];
	size_t i;
	write_strings(f, "en", NULL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(text, sizeof(text), "base_url: \"%s\"\nlanguages: [{tag: en, name: English}]\n",
			 cases[i].url);
		write_file(f, "site.yaml", text);
		assert_int_equal(config_load(&f->c, f->dir, &f->d), 0);
		assert_string_equal(f->c.base_url, cases[i].base);
		/* The root is what URLs are built from: "/guide" + "/en/". */
		assert_string_equal(f->c.root, cases[i].root);
		config_release(&f->c);
	}
}

static void test_base_url_scheme(void **state)
{
	struct fx *f = *state;
	write_strings(f, "en", NULL);
	write_file(f, "site.yaml", "base_url: \"ftp://x.org\"\nlanguages: [{tag: en, name: E}]\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 11);
	assert_string_equal(f->d.v[0].message, "base_url must start with https:// or http://");
	config_release(&f->c);
	diags_release(&f->d);
	write_file(f, "site.yaml", "languages: [{tag: en, name: E}]\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_string_equal(f->d.v[0].message, "missing 'base_url'");
	config_release(&f->c);
	diags_release(&f->d);
	write_file(f, "site.yaml", "base_url: [x]\nlanguages: [{tag: en, name: E}]\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_TYPE);
	assert_string_equal(f->d.v[0].message, "'base_url' must be a single value");
}

static void test_language_tags(void **state)
{
	struct fx *f = *state;
	static const char *const good[] = { "en", "es", "zh-Hant", "pt-BR", "sr-Latn-RS", "yue" };
	static const char *const bad[] = { "e", "english", "en_US", "en-", "-en", "en--x",
					   "en-abcdefghi", "../x", "" };
	char text[256];
	size_t i;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		write_strings(f, good[i], NULL);
		snprintf(text, sizeof(text),
			 "base_url: https://x.org\nlanguages:\n  - tag: \"%s\"\n    name: X\n",
			 good[i]);
		write_file(f, "site.yaml", text);
		assert_int_equal(config_load(&f->c, f->dir, &f->d), 0);
		assert_int_equal(f->d.n, 0);
		config_release(&f->c);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text),
			 "base_url: https://x.org\nlanguages:\n  - tag: \"%s\"\n    name: X\n", bad[i]);
		write_file(f, "site.yaml", text);
		assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
		assert_int_equal(f->d.n, 1);
		assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
		assert_int_equal(f->d.v[0].line, 3);
		assert_int_equal(f->d.v[0].col, 10);
		snprintf(text, sizeof(text), "'%s' is not a BCP 47 language tag", bad[i]);
		assert_string_equal(f->d.v[0].message, text);
		assert_string_equal(f->d.v[0].note, "use a tag such as 'es', 'zh-Hant' or 'pt-BR'");
		config_release(&f->c);
		diags_release(&f->d);
	}
}

static void test_language_errors(void **state)
{
	struct fx *f = *state;
	write_strings(f, "en", NULL);
	write_file(f, "site.yaml", "base_url: https://x.org\n"
				   "languages:\n"
				   "  - {tag: en, name: English}\n"
				   "  - {tag: en, name: Inglés}\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_int_equal(f->d.v[0].line, 4);
	assert_int_equal(f->d.v[0].col, 5);
	assert_string_equal(f->d.v[0].message, "language 'en' listed twice");
	config_release(&f->c);
	diags_release(&f->d);

	write_file(f, "site.yaml", "base_url: https://x.org\nlanguages: []\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_int_equal(f->d.v[0].line, 2);
	assert_string_equal(f->d.v[0].message, "'languages' must list at least one language");
	config_release(&f->c);
	diags_release(&f->d);

	write_file(f, "site.yaml", "base_url: https://x.org\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_string_equal(f->d.v[0].message, "'languages' must list at least one language");
	config_release(&f->c);
	diags_release(&f->d);

	write_file(f, "site.yaml", "base_url: https://x.org\n"
				   "languages:\n"
				   "  - {tag: en, name: English, dir: up}\n"
				   "  - {tag: ar}\n"
				   "  - fr\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 3);
	assert_string_equal(f->d.v[0].message, "dir must be 'ltr' or 'rtl', not 'up'");
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[0].col, 35);
	assert_string_equal(f->d.v[1].message, "missing 'name'");
	assert_int_equal(f->d.v[1].line, 4);
	assert_string_equal(f->d.v[2].message, "a language must be a map with tag, name and dir");
	assert_int_equal(f->d.v[2].rule, RULE_YAML_TYPE);
	assert_int_equal(f->d.v[2].line, 5);
}

static void test_rtl_language(void **state)
{
	struct fx *f = *state;
	write_strings(f, "ar", NULL);
	write_file(f, "site.yaml", "base_url: https://x.org\n"
				   "languages: [{tag: ar, name: \"العربية\", dir: rtl}]\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), 0);
	assert_string_equal(f->c.langs[0].dir, "rtl");
	assert_string_equal(f->c.langs[0].name, "العربية");
}

static void test_missing_ui_string(void **state)
{
	struct fx *f = *state;
	write_file(f, "site.yaml", "base_url: https://x.org\n"
				   "languages: [{tag: en, name: English}, {tag: es, name: Español}]\n");
	write_strings(f, "en", NULL);
	write_strings(f, "es", "back_home");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_STRINGS);
	assert_string_equal(f->d.v[0].file, in_dir(f, "es/strings.yaml"));
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].message, "missing UI string 'back_home'");
	/* The note points at the first language's file, where the source dir is. */
	snprintf(f->path, sizeof(f->path), "every language's strings.yaml needs it; see %s/en/"
		 "strings.yaml", f->dir);
	assert_string_equal(f->d.v[0].note, f->path);
}

static void test_ui_string_wrong_type(void **state)
{
	struct fx *f = *state;
	write_file(f, "site.yaml", "base_url: https://x.org\nlanguages: [{tag: en, name: E}]\n");
	write_strings(f, "en", "home");
	{
		FILE *fp = fopen(in_dir(f, "en/strings.yaml"), "a");
		assert_non_null(fp);
		fputs("home: [a, b]\n", fp);
		fclose(fp);
	}
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_STRINGS);
	assert_int_equal(f->d.v[0].line, 24);
	assert_int_equal(f->d.v[0].col, 7);
	assert_string_equal(f->d.v[0].message, "missing UI string 'home'");
}

static void test_missing_strings_file(void **state)
{
	struct fx *f = *state;
	char dir[300];
	write_file(f, "site.yaml", "base_url: https://x.org\nlanguages: [{tag: de, name: Deutsch}]\n");
	snprintf(dir, sizeof(dir), "%s/de", f->dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, in_dir(f, "de/strings.yaml"));
	assert_string_equal(f->d.v[0].message, "cannot read file: No such file or directory");
	config_release(&f->c);
	diags_release(&f->d);
	write_file(f, "de/strings.yaml", "- a\n- b\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_STRINGS);
	assert_string_equal(f->d.v[0].message, "strings.yaml must be a map of names to texts");
}

/* The language's folder is checked before strings.yaml is read from it, and
 * a problem is reported on the language's entry in site.yaml, or on the
 * folder when it is a symbolic link. */
static void test_language_folder(void **state)
{
	struct fx *f = *state;
	char message[512], outside[128], link[300];
	write_file(f, "site.yaml", "base_url: https://x.org\nlanguages:\n  - tag: en\n"
				   "    name: English\n  - {tag: de, name: Deutsch}\n");
	write_strings(f, "en", NULL);
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_string_equal(f->d.v[0].file, in_dir(f, "site.yaml"));
	assert_int_equal(f->d.v[0].line, 5);
	assert_int_equal(f->d.v[0].col, 5);
	snprintf(message, sizeof(message), "language 'de' has no content directory '%s/de': "
		 "No such file or directory", f->dir);
	assert_string_equal(f->d.v[0].message, message);
	config_release(&f->c);
	diags_release(&f->d);
	/* A file where the folder should be. */
	write_file(f, "de", "x\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].line, 5);
	snprintf(message, sizeof(message), "language 'de' has no content directory: '%s/de' "
		 "is not a directory", f->dir);
	assert_string_equal(f->d.v[0].message, message);
	config_release(&f->c);
	diags_release(&f->d);
	/* A link to a folder outside the content: reported on the folder. */
	strcpy(outside, "/tmp/carepress-test-outside-XXXXXX");
	assert_non_null(mkdtemp(outside));
	snprintf(link, sizeof(link), "%s/de", f->dir);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink(outside, link), 0);
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	rmdir(outside);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_PATH);
	assert_string_equal(f->d.v[0].file, link);
	assert_string_equal(f->d.v[0].message, "symbolic link points outside the content directory");
}

/* site.yaml and strings.yaml that are symbolic links which dangle or loop
 * are reported as such. */
static void test_yaml_links_that_dangle_or_loop(void **state)
{
	struct fx *f = *state;
	char link[300];
	snprintf(link, sizeof(link), "%s/site.yaml", f->dir);
	assert_int_equal(symlink("old-site.yaml", link), 0);
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, link);
	assert_string_equal(f->d.v[0].message,
			    "dangling symbolic link: 'old-site.yaml' does not exist");
	config_release(&f->c);
	diags_release(&f->d);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(load_en_es(f, ""), 0);
	config_release(&f->c);
	snprintf(link, sizeof(link), "%s/es/strings.yaml", f->dir);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink("strings.yaml", link), 0);
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, link);
	assert_string_equal(f->d.v[0].message,
			    "symbolic link loop: 'strings.yaml' leads to too many symbolic links");
}

static void test_missing_site_yaml(void **state)
{
	struct fx *f = *state;
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, in_dir(f, "site.yaml"));
	config_release(&f->c);
	diags_release(&f->d);
	write_file(f, "site.yaml", "- just\n- a list\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_int_equal(f->d.v[0].line, 1);
	assert_string_equal(f->d.v[0].message, "site.yaml must be a map of settings");
	config_release(&f->c);
	diags_release(&f->d);
	write_file(f, "site.yaml", "base_url: [\n");
	assert_int_equal(config_load(&f->c, f->dir, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
}

static void test_unknown_top_level_key(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "fallbak: true\nlogo: x.png\n"), 0);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 2);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_int_equal(f->d.v[0].severity, SEV_WARNING);
	assert_int_equal(f->d.v[0].line, 8);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].message, "unknown key 'fallbak' in site.yaml");
	assert_string_equal(f->d.v[0].note, "did you mean 'fallback'?");
	assert_string_equal(f->d.v[1].message, "unknown key 'logo' in site.yaml");
	assert_null(f->d.v[1].note);
	/* Ignored: fallback keeps its default. */
	assert_int_equal(f->c.fallback, 0);
}

/* The warning points at the unknown key's line, also when its value is a
 * block that starts on the next line. */
static void test_unknown_top_level_key_position(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "navigation:\n  - index\n  - about\n"), 0);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].message, "unknown key 'navigation' in site.yaml");
	assert_int_equal(f->d.v[0].line, 8);
	assert_int_equal(f->d.v[0].col, 1);
}

static void test_setting_types(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "fallback: yes\nmax_file_size: big\npages: notice\n"), -1);
	assert_int_equal(f->d.n, 3);
	assert_int_equal(count(f, RULE_YAML_TYPE), 3);
	assert_string_equal(f->d.v[0].message, "max_file_size must be a number of bytes");
	assert_int_equal(f->d.v[0].line, 9);
	assert_string_equal(f->d.v[1].message, "fallback must be true or false");
	assert_int_equal(f->d.v[1].line, 8);
	assert_int_equal(f->d.v[1].col, 11);
	assert_string_equal(f->d.v[2].message, "'pages' must be a list of page names");
	assert_int_equal(f->d.v[2].line, 10);
	assert_int_equal(f->d.v[2].col, 8);
	config_release(&f->c);
	diags_release(&f->d);
	assert_int_equal(load_en_es(f, "footer_links: [notice, [x]]\n"), -1);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].message, "'footer_links' must be a list of page names");
	assert_int_equal(f->d.v[0].line, 8);
	assert_int_equal(f->d.v[0].col, 24);
}

/* max_file_size is range-checked before it becomes a size_t: a double
 * beyond size_t (1e300) would be undefined behaviour to convert. */
static void test_max_file_size_range(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "0", "-1", "1.5", "1e300", "268435457", "-1e300" };
	char text[64];
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char message[128];
		snprintf(text, sizeof(text), "max_file_size: %s\n", bad[i]);
		assert_int_equal(load_en_es(f, text), -1);
		assert_int_equal(f->d.n, 1);
		assert_int_equal(f->d.v[0].rule, RULE_YAML_TYPE);
		assert_int_equal(f->d.v[0].line, 8);
		assert_int_equal(f->d.v[0].col, 16);
		snprintf(message, sizeof(message), "max_file_size must be a whole number of bytes "
			 "from 1 to 268435456, not '%s'", bad[i]);
		assert_string_equal(f->d.v[0].message, message);
		assert_string_equal(f->d.v[0].note, "the default is 1048576 (1 MiB)");
		config_release(&f->c);
		diags_release(&f->d);
	}
	/* The edges are accepted, and so is a whole number written as a float. */
	assert_int_equal(load_en_es(f, "max_file_size: 268435456\n"), 0);
	assert_int_equal(f->c.max_file_size, 268435456);
	config_release(&f->c);
	assert_int_equal(load_en_es(f, "max_file_size: 1\n"), -1); /* strings.yaml is larger */
	assert_int_equal(f->c.max_file_size, 1);
	assert_int_equal(count(f, RULE_FILE_SIZE), 2);
	config_release(&f->c);
	diags_release(&f->d);
	assert_int_equal(load_en_es(f, "max_file_size: 2e6\n"), 0);
	assert_int_equal(f->c.max_file_size, 2000000);
}

/* House style: report every input error, then fail. Three bad page lists
 * are three diagnostics, not one per build until the author fixes each. */
static void test_every_bad_page_list_reported(void **state)
{
	struct fx *f = *state;
	assert_int_equal(load_en_es(f, "pages: notice\nrequired_pages: [[a]]\nfooter_links: 5\n"),
			 -1);
	assert_int_equal(count(f, RULE_YAML_TYPE), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_language_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_language_fact_missing_language, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_facts_inside_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fact_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fact_refers_to_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_fact_inside_fact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_fact_is_not_reported_as_cycle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fact_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phone_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_url_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_url_scheme, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtl_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_ui_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ui_string_wrong_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_strings_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_links_that_dangle_or_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_site_yaml, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_top_level_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_top_level_key_position, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_setting_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_file_size_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_bad_page_list_reported, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
