/* test_site.c - unit tests for site.c: slugs and URLs, translation groups,
 * missing translations and fallbacks, required pages, navigation order, link
 * resolution between pages and languages, and anchor checks. The config is
 * loaded from a small tree in a temp dir; pages are made by hand, as page
 * loading would make them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "site.h"
#include "slug.h"
#include "util.h"

static const char *const ui_strings[] = {
	"site_name", "skip_link", "nav_label", "language_label", "footer_label", "home",
	"updated", "large_print", "web_version", "page_label", "of_label", "note",
	"warning", "nonurgent", "urgent", "emergency", "footnotes", "footnote_back",
	"not_found_title", "not_found_text", "back_home", "untranslated", "contents",
	"choose_language",
};

struct fx {
	struct config c;
	struct site s;
	int site_ready;
	struct diags d;   /* diagnostics of the test itself */
	struct buf href;
	char dir[64];
	char path[256];
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct buf empty = BUF_INIT;
	f->href = empty;
	strcpy(f->dir, "/tmp/carepress-test-site-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	if (f->site_ready)
		site_release(&f->s);
	config_release(&f->c);
	diags_release(&f->d);
	buf_release(&f->href);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	slug_thread_release();
	return 0;
}

static void write_file(struct fx *f, const char *rel, const char *text)
{
	char path[256], *slash;
	FILE *fp;
	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0755);
	*slash = '/';
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Loads a config with languages en and es (site.yaml gets more appended and
 * base_url set to base) and starts a site on it. */
static void start_site(struct fx *f, const char *base, const char *more)
{
	struct buf text = BUF_INIT;
	size_t i;
	const char *lang[] = { "en", "es" };
	for (i = 0; i < 2; i++) {
		struct buf strings = BUF_INIT, rel = BUF_INIT;
		size_t k;
		for (k = 0; k < ARRAY_SIZE(ui_strings); k++)
			buf_addf(&strings, "%s: \"%s\"\n", ui_strings[k], ui_strings[k]);
		buf_addf(&rel, "%s/strings.yaml", lang[i]);
		write_file(f, rel.ptr, strings.ptr);
		buf_release(&strings);
		buf_release(&rel);
	}
	buf_addf(&text, "base_url: \"%s\"\n"
			"languages:\n"
			"  - {tag: en, name: English}\n"
			"  - {tag: es, name: Español}\n"
			"%s",
		 base, more);
	write_file(f, "site.yaml", text.ptr);
	buf_release(&text);
	assert_int_equal(config_load(&f->c, f->dir, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	site_init(&f->s, &f->c);
	f->site_ready = 1;
}

/* Adds page lang/name.md with a title (NULL: the name) and, when not NULL, a
 * front matter slug and key; positions as if title were on line 2 and slug
 * on line 3. Strings must outlive the site. */
static struct page *add_page(struct fx *f, int lang, const char *name, const char *title,
			     const char *slug, const char *key)
{
	char path[256];
	struct page *p;
	static const char text[] = "---\ntitle: T\n---\nBody.\n";
	snprintf(path, sizeof(path), "%s/%s/%s.md", f->dir, f->c.langs[lang].tag, name);
	p = site_new_page(&f->s, lang, name, path);
	p->text = xstrdup(text);
	p->len = strlen(text);
	p->body_offset = 18;
	p->body_line = 3;
	p->meta.title = title ? title : p->name;
	p->meta.title_line = 2;
	p->meta.description = "";
	p->meta.slug = slug;
	if (slug) {
		p->meta.slug_line = 3;
		p->meta.slug_col = 7;
	}
	p->meta.key = key;
	return p;
}

/* "<dir>/<rel>" in f->path. */
static const char *in_dir(struct fx *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, rel);
	return f->path;
}

static size_t count(const struct fx *f, enum rule rule)
{
	size_t i, n = 0;
	for (i = 0; i < f->d.n; i++)
		n += f->d.v[i].rule == rule;
	return n;
}

/* Gives page p the heading ids in the NULL-terminated list (owned by p). */
static void set_anchors(struct page *p, const char *const *ids)
{
	size_t n = 0, i;
	while (ids[n])
		n++;
	p->anchors = xmalloc((n + 1) * sizeof(*p->anchors));
	for (i = 0; i < n; i++)
		p->anchors[i] = xstrdup(ids[i]);
	p->n_anchors = n;
}

static int resolve(struct fx *f, struct page *from, const char *dest)
{
	buf_reset(&f->href);
	return site_resolve_link(&f->s, from, dest, 7, 12, &f->href, &f->d);
}

static void test_slugs_and_urls(void **state)
{
	struct fx *f = *state;
	struct page *en, *es, *custom;
	start_site(f, "https://care.example.org", "");
	en = add_page(f, 0, "urgent-care", "Urgent Care & Advice", NULL, NULL);
	es = add_page(f, 1, "urgent-care", "Cómo obtener atención urgente", NULL, NULL);
	custom = add_page(f, 0, "video", "Video visits", "virtual-care", NULL);
	add_page(f, 1, "video", "Visitas por video", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(en->slug, "urgent-care-advice");
	assert_string_equal(en->url, "/en/urgent-care-advice/");
	assert_string_equal(es->slug, "como-obtener-atencion-urgente");
	assert_string_equal(es->url, "/es/como-obtener-atencion-urgente/");
	assert_int_equal(en->is_home, 0);
	/* A front matter slug wins over the title. */
	assert_string_equal(custom->slug, "virtual-care");
	assert_string_equal(custom->url, "/en/virtual-care/");
}

static void test_translations_grouped(void **state)
{
	struct fx *f = *state;
	struct page *en, *es;
	start_site(f, "https://care.example.org", "");
	en = add_page(f, 0, "urgent-care", "Urgent care", NULL, NULL);
	/* A different file name, paired by key. */
	es = add_page(f, 1, "atencion-urgente", "Atención urgente", NULL, "urgent-care");
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->s.n_groups, 1);
	assert_ptr_equal(en->group, es->group);
	assert_string_equal(en->key, "urgent-care");
	assert_string_equal(es->key, "urgent-care");
	assert_ptr_equal(site_translation(en->group, 0), en);
	assert_ptr_equal(site_translation(en->group, 1), es);
	assert_null(en->fallback_of);
}

static void test_home_page(void **state)
{
	struct fx *f = *state;
	struct page *en, *es;
	start_site(f, "https://care.example.org", "");
	en = add_page(f, 0, "index", "Your care guide", NULL, NULL);
	es = add_page(f, 1, "index", "Su guía de atención", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(en->is_home, 1);
	assert_string_equal(en->slug, "");
	assert_string_equal(en->url, "/en/");
	assert_string_equal(es->url, "/es/");
}

static void test_home_page_under_root(void **state)
{
	struct fx *f = *state;
	struct page *en, *about;
	start_site(f, "https://x.org/guide", "");
	en = add_page(f, 0, "index", "Home", NULL, NULL);
	about = add_page(f, 0, "about", "About", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	add_page(f, 1, "about", "Acerca", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_string_equal(en->url, "/guide/en/");
	assert_string_equal(about->url, "/guide/en/about/");
}

/* base_url written with the usual trailing slash: the same URLs, no "//". */
static void test_home_page_under_root_with_slash(void **state)
{
	struct fx *f = *state;
	struct page *en, *about;
	start_site(f, "https://x.org/guide/", "");
	en = add_page(f, 0, "index", "Home", NULL, NULL);
	about = add_page(f, 0, "about", "About", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	add_page(f, 1, "about", "Acerca", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_string_equal(en->url, "/guide/en/");
	assert_string_equal(about->url, "/guide/en/about/");
}

static void test_unsafe_slugs(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "../x", "a/b", "A B", "Caps", "-x", "", "caf\xC3\xA9",
					   "a.b", "x?y" };
	char msg[128];
	size_t i;
	start_site(f, "https://care.example.org", "");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char name[16];
		snprintf(name, sizeof(name), "p%zu", i);
		add_page(f, 0, name, "Title", bad[i], NULL);
		add_page(f, 1, name, NULL, NULL, NULL);
	}
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(count(f, RULE_SLUG), ARRAY_SIZE(bad));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "en/p%zu.md", i);
		assert_int_equal(f->d.v[i].rule, RULE_SLUG);
		assert_string_equal(f->d.v[i].file, in_dir(f, rel));
		assert_int_equal(f->d.v[i].line, 3);
		assert_int_equal(f->d.v[i].col, 7);
		snprintf(msg, sizeof(msg), "slug '%s' may only use a-z, 0-9 and '-'", bad[i]);
		assert_string_equal(f->d.v[i].message, msg);
		assert_string_equal(f->d.v[i].note,
				    "a slug is one part of the page's address; no '/', '..' or spaces");
	}
}

static void test_title_without_slug_text(void **state)
{
	struct fx *f = *state;
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "q", "\xC2\xBF?", NULL, NULL);
	add_page(f, 1, "q", "Pregunta", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(count(f, RULE_SLUG), 1);
	assert_int_equal(f->d.v[0].rule, RULE_SLUG);
	assert_string_equal(f->d.v[0].file, in_dir(f, "en/q.md"));
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].message, "cannot make a slug from the title '\xC2\xBF?'");
	assert_string_equal(f->d.v[0].note, "add 'slug: some-name' to the front matter");
}

/* en/p.md exists; its slug is bad. The author must see that one error, not
 * also "page 'p' has no English translation (en/p.md is missing)". */
static void test_bad_slug_page_is_not_missing(void **state)
{
	struct fx *f = *state;
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "p", "Title", "A B", NULL);
	add_page(f, 1, "p", "Título", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(count(f, RULE_SLUG), 1);
	assert_int_equal(count(f, RULE_TRANSLATION_MISSING), 0);
	assert_int_equal(f->d.n, 1);
}

static void test_two_pages_one_url(void **state)
{
	struct fx *f = *state;
	char msg[512];
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "a", "First", "same", NULL);
	add_page(f, 0, "b", "Same", NULL, NULL);
	add_page(f, 1, "a", "Primero", NULL, NULL);
	add_page(f, 1, "b", "Segundo", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_SLUG);
	assert_string_equal(f->d.v[0].file, in_dir(f, "en/b.md"));
	assert_int_equal(f->d.v[0].line, 2);
	snprintf(msg, sizeof(msg), "page address '/en/same/' is taken by %s too",
		 in_dir(f, "en/a.md"));
	assert_string_equal(f->d.v[0].message, msg);
	assert_string_equal(f->d.v[0].note, "give one of them a different 'slug:'");
}

static void test_same_slug_in_two_languages_is_fine(void **state)
{
	struct fx *f = *state;
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "video", "Video", NULL, NULL);
	add_page(f, 1, "video", "Video", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_translation_key_twice(void **state)
{
	struct fx *f = *state;
	char msg[512];
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "a", "A", NULL, "k");
	add_page(f, 0, "b", "B", NULL, "k");
	add_page(f, 1, "a", "A", NULL, "k");
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(count(f, RULE_SLUG), 1);
	assert_string_equal(f->d.v[0].file, in_dir(f, "en/b.md"));
	snprintf(msg, sizeof(msg), "translation key 'k' is used by %s too", in_dir(f, "en/a.md"));
	assert_string_equal(f->d.v[0].message, msg);
}

static void test_missing_translation(void **state)
{
	struct fx *f = *state;
	char msg[512];
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "index", "Home", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	add_page(f, 0, "about", "About us", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_TRANSLATION_MISSING);
	assert_int_equal(f->d.v[0].severity, SEV_ERROR);
	assert_string_equal(f->d.v[0].file, in_dir(f, "en/about.md"));
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 1);
	snprintf(msg, sizeof(msg), "page 'about' has no Español translation (%s/es/about.md is "
		 "missing)", f->dir);
	assert_string_equal(f->d.v[0].message, msg);
	assert_string_equal(f->d.v[0].note, "translate it, or set 'fallback: true' in site.yaml to "
			    "publish the English page there with a notice");
	/* Missing in the first language: named from the page that exists. */
	diags_release(&f->d);
	site_release(&f->s);
	site_init(&f->s, &f->c);
	add_page(f, 1, "solo", "Solo", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].file, in_dir(f, "es/solo.md"));
	snprintf(msg, sizeof(msg), "page 'solo' has no English translation (%s/en/solo.md is "
		 "missing)", f->dir);
	assert_string_equal(f->d.v[0].message, msg);
}

/* Translations pair by key: when the file of the same name exists in the
 * other language with another key, the message names the keys; it does not
 * say a file is missing that is there. A key's problem is shown at it. */
static void test_missing_translation_by_key(void **state)
{
	struct fx *f = *state;
	char msg[512], note[512];
	struct page *en;
	start_site(f, "https://care.example.org", "");
	add_page(f, 0, "index", "Home", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	en = add_page(f, 0, "about", "About us", NULL, "overview");
	en->meta.key_line = 4;
	en->meta.key_col = 6;
	add_page(f, 1, "about", "Acerca de", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 2);
	diags_sort(&f->d);
	assert_string_equal(f->d.v[0].file, in_dir(f, "en/about.md"));
	assert_int_equal(f->d.v[0].line, 4);
	assert_int_equal(f->d.v[0].col, 6);
	snprintf(msg, sizeof(msg), "page 'overview' has no Español translation (no page in %s/es "
		 "has key 'overview')", f->dir);
	assert_string_equal(f->d.v[0].message, msg);
	snprintf(note, sizeof(note), "if %s/es/about.md is its translation, give both pages the "
		 "same 'key:'", f->dir);
	assert_string_equal(f->d.v[0].note, note);
	assert_string_equal(f->d.v[1].file, in_dir(f, "es/about.md"));
	assert_int_equal(f->d.v[1].line, 1);
	snprintf(msg, sizeof(msg), "page 'about' has no English translation (%s/en/about.md has "
		 "key 'overview', not 'about')", f->dir);
	assert_string_equal(f->d.v[1].message, msg);
}

static void test_fallback_page(void **state)
{
	struct fx *f = *state;
	struct page *en, *fb;
	start_site(f, "https://care.example.org", "fallback: true\n");
	add_page(f, 0, "index", "Home", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	en = add_page(f, 0, "about", "About us", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->s.n_pages, 4);
	fb = (struct page *)site_translation(en->group, 1);
	assert_non_null(fb);
	assert_ptr_equal(fb->fallback_of, en);
	assert_int_equal(fb->lang, 1);
	assert_ptr_equal(fb->group, en->group);
	/* Published at the Spanish address, with the English text. */
	assert_string_equal(fb->url, "/es/about-us/");
	assert_string_equal(fb->meta.title, "About us");
	assert_string_equal(fb->name, "about");
	assert_string_equal(fb->key, "about");
	assert_int_equal(fb->len, en->len);
	/* No copy of the text: its renders read its source's. */
	assert_null(fb->text);
	assert_string_equal(fb->body_hash, en->body_hash);
	/* Links from Spanish pages find it. */
	assert_int_equal(resolve(f, f->s.pages[1], "about.md"), 0);
	assert_string_equal(f->href.ptr, "/es/about-us/");
	assert_int_equal(resolve(f, f->s.pages[1], "/es/about-us/"), 0);
	assert_string_equal(f->href.ptr, "/es/about-us/");
}

static void test_fallback_home(void **state)
{
	struct fx *f = *state;
	struct page *fb;
	start_site(f, "https://x.org/care", "fallback: true\n");
	add_page(f, 0, "index", "Home", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	fb = (struct page *)site_translation(f->s.pages[0]->group, 1);
	assert_non_null(fb);
	assert_int_equal(fb->is_home, 1);
	assert_string_equal(fb->url, "/care/es/");
}

static void test_required_page_missing(void **state)
{
	struct fx *f = *state;
	char msg[512];
	start_site(f, "https://care.example.org", "required_pages: [nondiscrimination]\n");
	add_page(f, 0, "index", "Home", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(count(f, RULE_TRANSLATION_MISSING), 2);
	assert_string_equal(f->d.v[0].file, in_dir(f, "site.yaml"));
	/* At the entry in required_pages. */
	assert_int_equal(f->d.v[0].line, 5);
	assert_int_equal(f->d.v[0].col, 18);
	snprintf(msg, sizeof(msg), "required page 'nondiscrimination' is missing in English "
		 "(%s/en/nondiscrimination.md)", f->dir);
	assert_string_equal(f->d.v[0].message, msg);
	assert_string_equal(f->d.v[0].note, "no language has nondiscrimination.md: check the "
			    "name in required_pages");
	snprintf(msg, sizeof(msg), "required page 'nondiscrimination' is missing in Español "
		 "(%s/es/nondiscrimination.md)", f->dir);
	assert_string_equal(f->d.v[1].message, msg);
}

/* A notice the law requires in each language is not satisfied by publishing
 * the English text at the Spanish address. */
static void test_required_page_not_met_by_fallback(void **state)
{
	struct fx *f = *state;
	char msg[512];
	start_site(f, "https://care.example.org", "fallback: true\nrequired_pages: [notice]\n");
	add_page(f, 0, "notice", "Notice", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_TRANSLATION_MISSING);
	snprintf(msg, sizeof(msg), "required page 'notice' is missing in Español (%s/es/notice.md)",
		 f->dir);
	assert_string_equal(f->d.v[0].message, msg);
	assert_int_equal(f->d.v[0].line, 6);
	assert_int_equal(f->d.v[0].col, 18);
	assert_string_equal(f->d.v[0].note, "a required page is never published from another "
			    "language, even with 'fallback: true': translate it");
}

static void test_listed_pages_must_exist(void **state)
{
	struct fx *f = *state;
	start_site(f, "https://care.example.org", "pages: [index, contact]\nfooter_links: [legal]\n");
	add_page(f, 0, "index", "Home", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.v[0].rule, RULE_CONFIG);
	assert_string_equal(f->d.v[0].message, "'pages' lists 'contact', but no language has "
			    "contact.md");
	assert_int_equal(f->d.v[0].line, 5);
	assert_int_equal(f->d.v[0].col, 16);
	assert_string_equal(f->d.v[1].message, "'footer_links' lists 'legal', but no language has "
			    "legal.md");
	assert_int_equal(f->d.v[1].line, 6);
	assert_int_equal(f->d.v[1].col, 16);
}

static void test_navigation_order(void **state)
{
	struct fx *f = *state;
	static const char *const keys[] = { "index", "zeta", "alpha", "early", "late", "beta" };
	struct page *p;
	size_t i;
	start_site(f, "https://care.example.org", "pages: [index, zeta, alpha]\n");
	/* Load order is not navigation order. */
	add_page(f, 0, "beta", "Beta", NULL, NULL);
	p = add_page(f, 0, "late", "Late", NULL, NULL);
	p->meta.order = 5;
	p->meta.has_order = 1;
	add_page(f, 0, "alpha", "Alpha", NULL, NULL);
	p = add_page(f, 0, "early", "Early", NULL, NULL);
	p->meta.order = -1;
	p->meta.has_order = 1;
	add_page(f, 0, "zeta", "Zeta", NULL, NULL);
	add_page(f, 0, "index", "Home", NULL, NULL);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		add_page(f, 1, keys[i], NULL, NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(f->s.n_groups, ARRAY_SIZE(keys));
	/* pages: order first, then front matter order, then the rest by key. */
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		assert_string_equal(f->s.groups[i]->key, keys[i]);
}

/* A small bilingual site for link tests: en/es index, about, contact. */
static void link_site(struct fx *f, const char *base)
{
	start_site(f, base, "");
	add_page(f, 0, "index", "Home", NULL, NULL);           /* pages[0] */
	add_page(f, 0, "about", "About us", NULL, NULL);       /* pages[1] */
	add_page(f, 0, "contact", "Contact", "call-us", NULL); /* pages[2] */
	add_page(f, 1, "index", "Inicio", NULL, NULL);         /* pages[3] */
	add_page(f, 1, "about", "Sobre nosotros", NULL, NULL); /* pages[4] */
	add_page(f, 1, "contact", "Contacto", NULL, NULL);     /* pages[5] */
	assert_int_equal(site_link(&f->s, &f->d), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_resolve_links(void **state)
{
	struct fx *f = *state;
	struct page *home, *about;
	link_site(f, "https://care.example.org");
	home = f->s.pages[0];
	about = f->s.pages[1];
	assert_int_equal(resolve(f, home, "about.md"), 0);
	assert_string_equal(f->href.ptr, "/en/about-us/");
	assert_int_equal(resolve(f, home, "./contact.md"), 0);
	assert_string_equal(f->href.ptr, "/en/call-us/");
	assert_int_equal(resolve(f, about, "index.md"), 0);
	assert_string_equal(f->href.ptr, "/en/");
	/* Another language's file. */
	assert_int_equal(resolve(f, home, "../es/about.md"), 0);
	assert_string_equal(f->href.ptr, "/es/sobre-nosotros/");
	/* Addresses. */
	assert_int_equal(resolve(f, home, "/en/about-us/"), 0);
	assert_string_equal(f->href.ptr, "/en/about-us/");
	assert_int_equal(resolve(f, home, "/es/contacto"), 0);
	assert_string_equal(f->href.ptr, "/es/contacto/");
	assert_int_equal(resolve(f, home, "/es/"), 0);
	assert_string_equal(f->href.ptr, "/es/");
	assert_int_equal(f->d.n, 0);
	/* No anchors: nothing recorded for the anchor check. */
	assert_int_equal(home->n_refs, 0);
}

static void test_resolve_appends(void **state)
{
	struct fx *f = *state;
	link_site(f, "https://care.example.org");
	buf_reset(&f->href);
	buf_adds(&f->href, "<a href=\"");
	assert_int_equal(site_resolve_link(&f->s, f->s.pages[0], "about.md", 1, 1, &f->href, &f->d),
			 0);
	assert_string_equal(f->href.ptr, "<a href=\"/en/about-us/");
}

static void test_resolve_anchors(void **state)
{
	struct fx *f = *state;
	struct page *home, *about;
	link_site(f, "https://care.example.org");
	home = f->s.pages[0];
	about = f->s.pages[1];
	assert_int_equal(resolve(f, home, "about.md#our-team"), 0);
	assert_string_equal(f->href.ptr, "/en/about-us/#our-team");
	assert_int_equal(home->n_refs, 1);
	assert_ptr_equal(home->refs[0].target, about);
	assert_string_equal(home->refs[0].anchor, "our-team");
	assert_int_equal(home->refs[0].line, 7);
	assert_int_equal(home->refs[0].col, 12);
	/* Same page: just the fragment. */
	assert_int_equal(resolve(f, home, "#top"), 0);
	assert_string_equal(f->href.ptr, "#top");
	assert_int_equal(home->n_refs, 2);
	assert_ptr_equal(home->refs[1].target, home);
	assert_string_equal(home->refs[1].anchor, "top");
	/* An address with a fragment. */
	assert_int_equal(resolve(f, home, "/es/sobre-nosotros/#equipo"), 0);
	assert_string_equal(f->href.ptr, "/es/sobre-nosotros/#equipo");
	assert_ptr_equal(home->refs[2].target, f->s.pages[4]);
	assert_int_equal(f->d.n, 0);
}

static void test_resolve_under_root(void **state)
{
	struct fx *f = *state;
	struct page *home;
	link_site(f, "https://x.org/guide");
	home = f->s.pages[0];
	assert_int_equal(resolve(f, home, "about.md"), 0);
	assert_string_equal(f->href.ptr, "/guide/en/about-us/");
	/* Authors may write the address with or without the root. */
	assert_int_equal(resolve(f, home, "/en/about-us/"), 0);
	assert_string_equal(f->href.ptr, "/guide/en/about-us/");
	assert_int_equal(resolve(f, home, "/guide/en/about-us/"), 0);
	assert_string_equal(f->href.ptr, "/guide/en/about-us/");
	assert_int_equal(f->d.n, 0);
}

static void test_resolve_outside_content(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "../../etc/passwd.md", "../../../x.md",
					   "../../en/about.md" };
	char msg[128];
	size_t i;
	link_site(f, "https://care.example.org");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(resolve(f, f->s.pages[0], bad[i]), -1);
		assert_int_equal(f->d.n, 1);
		assert_int_equal(f->d.v[0].rule, RULE_PATH);
		assert_string_equal(f->d.v[0].file, in_dir(f, "en/index.md"));
		assert_int_equal(f->d.v[0].line, 7);
		assert_int_equal(f->d.v[0].col, 12);
		snprintf(msg, sizeof(msg), "link '%s' points outside the content directory", bad[i]);
		assert_string_equal(f->d.v[0].message, msg);
		assert_string_equal(f->href.ptr, "");
		diags_release(&f->d);
	}
}

static void test_resolve_missing_page(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "missing.md", "../de/about.md", "sub/about.md", "about",
					   "about.md.bak", "/en/nope/", "/fr/about-us/", "/",
					   "missing.md#x", "en/about.md" };
	char msg[128];
	size_t i;
	link_site(f, "https://care.example.org");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(resolve(f, f->s.pages[0], bad[i]), -1);
		assert_int_equal(f->d.n, 1);
		assert_int_equal(f->d.v[0].rule, RULE_LINK_PAGE);
		assert_int_equal(f->d.v[0].line, 7);
		assert_int_equal(f->d.v[0].col, 12);
		snprintf(msg, sizeof(msg), "link to a page that does not exist: '%s'", bad[i]);
		assert_string_equal(f->d.v[0].message, msg);
		assert_string_equal(f->d.v[0].note, "link to another page's file, such as "
				    "'urgent-care.md', or to its address '/en/slug/'");
		assert_string_equal(f->href.ptr, "");
		diags_release(&f->d);
	}
	assert_int_equal(f->s.pages[0]->n_refs, 0);
}

static void test_check_anchors(void **state)
{
	struct fx *f = *state;
	static const char *const about_ids[] = { "our-team", "history", NULL };
	static const char *const home_ids[] = { "top", NULL };
	struct page *home, *about, *contact;
	char msg[512];
	link_site(f, "https://care.example.org");
	home = f->s.pages[0];
	about = f->s.pages[1];
	contact = f->s.pages[2];
	set_anchors(about, about_ids);
	set_anchors(home, home_ids);
	assert_int_equal(site_resolve_link(&f->s, home, "about.md#our-team", 4, 3, &f->href, &f->d), 0);
	assert_int_equal(site_resolve_link(&f->s, home, "#top", 5, 3, &f->href, &f->d), 0);
	assert_int_equal(site_check_anchors(&f->s, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	/* A typo and an anchor on a page without headings. */
	assert_int_equal(site_resolve_link(&f->s, home, "about.md#our-teem", 9, 14, &f->href, &f->d),
			 0);
	assert_int_equal(site_resolve_link(&f->s, about, "contact.md#hours", 2, 1, &f->href, &f->d),
			 0);
	assert_int_equal(site_check_anchors(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 2);
	assert_int_equal(f->d.v[0].rule, RULE_LINK_ANCHOR);
	assert_string_equal(f->d.v[0].file, home->path);
	assert_int_equal(f->d.v[0].line, 9);
	assert_int_equal(f->d.v[0].col, 14);
	snprintf(msg, sizeof(msg), "link to '#our-teem', which %s does not have", about->path);
	assert_string_equal(f->d.v[0].message, msg);
	assert_string_equal(f->d.v[0].note, "did you mean '#our-team'?");
	assert_string_equal(f->d.v[1].file, about->path);
	snprintf(msg, sizeof(msg), "link to '#hours', which %s does not have", contact->path);
	assert_string_equal(f->d.v[1].message, msg);
	assert_null(f->d.v[1].note);
}

static void test_check_anchors_skips_fallbacks(void **state)
{
	struct fx *f = *state;
	struct page *en, *fb;
	start_site(f, "https://care.example.org", "fallback: true\n");
	en = add_page(f, 0, "about", "About", NULL, NULL);
	add_page(f, 0, "index", "Home", NULL, NULL);
	add_page(f, 1, "index", "Inicio", NULL, NULL);
	assert_int_equal(site_link(&f->s, &f->d), 0);
	fb = (struct page *)site_translation(en->group, 1);
	assert_non_null(fb);
	/* The fallback renders the English text: its broken anchor is reported
	 * once, from the English page. */
	assert_int_equal(resolve(f, en, "index.md#nowhere"), 0);
	assert_int_equal(resolve(f, fb, "index.md#nowhere"), 0);
	assert_int_equal(site_check_anchors(&f->s, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].file, en->path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slugs_and_urls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_translations_grouped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_page_under_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_page_under_root_with_slash, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_slugs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_title_without_slug_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_slug_page_is_not_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_pages_one_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_slug_in_two_languages_is_fine, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_translation_key_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_translation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_translation_by_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_home, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_page_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_page_not_met_by_fallback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_listed_pages_must_exist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_navigation_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_anchors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_under_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_outside_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_missing_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_anchors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_anchors_skips_fallbacks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
