/* test_lint.c - the page checks (lint.c) and the CSS contrast check
 * (contrast.c): for each rule a page that breaks it and the exact
 * diagnostic, a page that keeps it, findings placed at the Markdown line,
 * and every committed golden page and the theme's CSS clean. Reads
 * content/LANG/strings.yaml and tests/lint/; writes nothing. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <cmocka.h>
#include <unicode/uclean.h>
#include "lint.h"
#include "markdown.h"
#include "slug.h"
#include "util.h"

/* ---- fixture: the site's languages, as build.c would give them ----------- */

static const char *const tags[] = { "en", "es" };

struct suite {
	struct arena a;
	struct linter *linter;
};

static struct suite S;

static void read_file(const char *path, struct buf *out)
{
	FILE *fp = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	buf_reset(out);
	if (!fp) {
		print_error("cannot read %s\n", path);
		fail();
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	fclose(fp);
}

static const struct value *load_yaml(const char *path)
{
	struct buf text = BUF_INIT;
	struct diags d = { 0 };
	struct value *v = NULL;
	read_file(path, &text);
	if (value_parse_yaml(text.ptr, text.len, arena_strdup(&S.a, path), 0, &S.a, &v, &d))
		v = NULL;
	diags_release(&d);
	buf_release(&text);
	return v;
}

/* vague_links from content/LANG/strings.yaml; new_window_words and
 * common_words from tests/lint/words-LANG.yaml (proposed for strings.yaml). */
static int suite_setup(void **state)
{
	struct lint_lang langs[2], words;
	size_t i;
	char path[64];
	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "content/%s/strings.yaml", tags[i]);
		lint_lang_from_strings(&langs[i], tags[i], load_yaml(path), &S.a);
		snprintf(path, sizeof(path), "tests/lint/words-%s.yaml", tags[i]);
		lint_lang_from_strings(&words, tags[i], load_yaml(path), &S.a);
		if (!langs[i].n_vague || !words.n_common || !words.n_new_window)
			return -1;
		langs[i].new_window = words.new_window;
		langs[i].n_new_window = words.n_new_window;
		langs[i].common = words.common;
		langs[i].n_common = words.n_common;
	}
	S.linter = linter_new(langs, 2);
	return 0;
}

static int suite_teardown(void **state)
{
	(void)state;
	linter_free(S.linter);
	arena_release(&S.a);
	return 0;
}

struct fx {
	struct diags d;
	struct buf page, text, css;
	int rc;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	buf_init(&f->page, 0);
	buf_init(&f->text, 0);
	buf_init(&f->css, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	diags_release(&f->d);
	buf_release(&f->page);
	buf_release(&f->text);
	buf_release(&f->css);
	free(f);
	return 0;
}

/* The diagnostics, one a line, "file:line:col: severity: message [rule]",
 * then "note: ..." when there is one. */
static const char *diag_text(struct fx *f)
{
	static const char *const sev[] = { "note", "warning", "error" };
	size_t i;
	buf_reset(&f->text);
	for (i = 0; i < f->d.n; i++) {
		const struct diag *g = &f->d.v[i];
		buf_addf(&f->text, "%s:%d:%d: %s: %s [%s]\n", g->file ? g->file : "-", g->line,
			 g->col, sev[g->severity], g->message, rule_name[g->rule]);
		if (g->note)
			buf_addf(&f->text, "note: %s\n", g->note);
	}
	return f->text.ptr;
}

/* Lints html as page en/t/index.html (language lang) of template
 * templates/page.mustache, with the given Markdown bodies. */
static const char *lint_bodies(struct fx *f, const char *html, const char *lang,
			       const struct lint_body *bodies, size_t n)
{
	struct lint_input in;
	memset(&in, 0, sizeof(in));
	in.html = html;
	in.len = strlen(html);
	in.out_path = "en/t/index.html";
	in.template_path = "templates/page.mustache";
	in.lang = lang;
	in.bodies = bodies;
	in.n_bodies = n;
	diags_release(&f->d);
	f->rc = lint_page(S.linter, &in, &f->d);
	return diag_text(f);
}

static const char *lint(struct fx *f, const char *html, const char *lang)
{
	return lint_bodies(f, html, lang, NULL, 0);
}

/* A whole page around body: the body starts on line 6. */
static const char *page(struct fx *f, const char *lang, const char *body)
{
	buf_reset(&f->page);
	buf_addf(&f->page,
		 "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"ltr\">\n<head><title>Care</title></head>\n"
		 "<body><main id=\"main\">\n<h1>Care</h1>\n%s\n</main></body>\n</html>\n",
		 lang, body);
	return f->page.ptr;
}

static const char *lint_body(struct fx *f, const char *lang, const char *body)
{
	return lint(f, page(f, lang, body), lang);
}

#define T "templates/page.mustache:0:0: "
#define AT(line) "note: in en/t/index.html line " #line

/* ---- the catalogue ---------------------------------------------------------- */

/* A page given a piece at a time (down to one byte, so pieces split
 * characters and tags) has exactly the findings of the page given whole;
 * also a page of white space alone, and one not well-formed. */
static void test_page_in_pieces(void **state)
{
	struct fx *f = *state;
	static const char *const pages[] = {
		"<html lang=\"en\"><body><h1>T\u00edtulo</h1><h3>Skip</h3>"
		"<a href=\"/x/\">click here</a><img src=\"a.png\"/></body></html>",
		"  \n\t ",
		"\n\n<html lang=\"en\"><body><h1>T</h1><p>open</body></html>",
	};
	size_t i, piece;
	for (i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		struct buf whole = BUF_INIT;
		buf_adds(&whole, lint(f, pages[i], "en"));
		for (piece = 1; piece <= 7; piece += 3) {
			struct lint_input in;
			struct lint_stream *s;
			size_t off, len = strlen(pages[i]);
			memset(&in, 0, sizeof(in));
			in.out_path = "en/t/index.html";
			in.template_path = "templates/page.mustache";
			in.lang = "en";
			diags_release(&f->d);
			s = lint_begin(S.linter, &in, &f->d);
			for (off = 0; off < len; off += piece)
				lint_push(s, pages[i] + off, len - off < piece ? len - off : piece);
			f->rc = lint_end(s);
			assert_string_equal(diag_text(f), whole.ptr);
		}
		buf_release(&whole);
	}
}

static void test_rule_catalogue(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < RULE_MAX; i++)
		assert_non_null(rule_wcag[i]);
	assert_string_equal(rule_name[RULE_HTML], "html");
	assert_string_equal(rule_name[RULE_A11Y_CONTRAST], "a11y-contrast");
	assert_string_equal(rule_wcag[RULE_A11Y_CONTRAST], "1.4.3");
	assert_string_equal(rule_wcag[RULE_A11Y_VAGUE_LINK], "2.4.4");
	assert_string_equal(rule_wcag[RULE_HTML], "");
	assert_string_equal(rule_wcag[RULE_IO], "");
	assert_int_equal(rule_severity(RULE_A11Y_FOREIGN_TEXT), SEV_WARNING);
	assert_int_equal(rule_severity(RULE_A11Y_VAGUE_LINK), SEV_ERROR);
}

/* ---- a clean page ------------------------------------------------------------ */

static void test_clean_page(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en",
		"<p class=\"site-name\"><a href=\"/en/\">Your care, your way</a></p>\n"
		"<ul><li><span lang=\"en\">English</span></li>"
		"<li><a href=\"/es/\" lang=\"es\" hreflang=\"es\">Español</a></li></ul>\n"
		"<h2 id=\"what\">What you need</h2>\n"
		"<p>Call <a class=\"tel\" href=\"tel:18448000820\">1-844-800-0820</a> or "
		"<a class=\"tel\" href=\"tel:711\">711</a> (TTY).</p>\n"
		"<p><a href=\"/x/\" aria-label=\"Back to reference 1\">\xE2\x86\xA9</a> "
		"<a href=\"/y/\"><img src=\"/i/logo.svg\" alt=\"Kaiser Permanente home\" /></a> "
		"<img src=\"/i/line.svg\" alt=\"\" /></p>\n"
		"<h3 id=\"more\">Forms</h3>\n"
		"<p><a href=\"https://x.org/f.pdf\" target=\"_blank\">Complaint form "
		"(opens in a new window)</a> <a href=\"/z/\" target=\"_self\">Rights</a></p>\n"
		"<div class=\"table-wrap\"><table>\n<caption>Hours</caption>\n"
		"<tr><td></td><th scope=\"col\">Weekdays</th></tr>\n"
		"<tr><th scope=\"row\">Phone</th><td>8 to 5</td></tr>\n</table></div>\n"
		"<table aria-labelledby=\"what\"><tr><th>A</th></tr></table>\n"
		"<table role=\"presentation\"><tr><td>layout</td></tr></table>\n"
		"<button type=\"button\" aria-label=\"Close\"><span aria-hidden=\"true\">x</span></button>\n"
		"<h2 id=\"notes\">Notes</h2>"), "");
	assert_int_equal(f->rc, 0);
}

/* ---- html --------------------------------------------------------------------- */

static void test_not_well_formed(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p>Hours<br></p>"),
		T "error: page is not well-formed: opening and ending tag mismatch: br line 6 and p [html]\n"
		AT(6) "; column 17\n");
	assert_int_equal(f->rc, -1);
	/* HTML entities other than XML's five are not defined in XML. */
	assert_string_equal(lint_body(f, "en", "<p>a&nbsp;b</p>"),
		T "error: page is not well-formed: entity 'nbsp' not defined [html]\n"
		AT(6) "; column 11\n");
	assert_string_equal(lint(f, "", "en"),
		T "error: page is not well-formed: document is empty [html]\n"
		AT(1) "; column 1\n");
	assert_string_equal(lint(f, "<html lang=\"en\"><body><h1>x</h1></body></html><p/>", "en"),
		T "error: page is not well-formed: extra content at the end of the document [html]\n"
		AT(1) "; column 47\n");
}

/* ---- a11y-lang ------------------------------------------------------------------ */

static void test_lang(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint(f, "<!DOCTYPE html>\n<html>\n<head><title>Care</title></head>\n"
				 "<body><h1>Care</h1></body>\n</html>\n", "en"),
		T "error: page without a lang attribute on html (WCAG 2.2 SC 3.1.1) [a11y-lang]\n"
		AT(2) "\n");
	assert_int_equal(f->rc, -1);
	assert_string_equal(lint(f, page(f, "", "<p>Hi</p>"), "en"),
		T "error: empty lang attribute on 'html' (WCAG 2.2 SC 3.1.1) [a11y-lang]\n"
		AT(2) "\n");
	assert_string_equal(lint(f, page(f, "en", "<p>Hi</p>"), "es"),
		T "error: html lang 'en' is not the page language 'es' (WCAG 2.2 SC 3.1.1) [a11y-lang]\n"
		AT(2) "\n");
	assert_string_equal(lint_body(f, "en", "<p>Hi <span lang=\"\">there</span></p>"),
		T "error: empty lang attribute on 'span' (WCAG 2.2 SC 3.1.1) [a11y-lang]\n"
		AT(6) "\n");
	/* A region tag matches its language. */
	assert_string_equal(lint(f, page(f, "en-US", "<p>Hi</p>"), "en"), "");
}

/* ---- a11y-h1, a11y-heading-order ------------------------------------------------- */

static void test_h1(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Care</title></head>\n"
				 "<body><h2>Care</h2></body>\n</html>\n", "en"),
		T "error: page without an h1 (WCAG 2.2 SC 1.3.1) [a11y-h1]\n" AT(2) "\n");
	assert_string_equal(lint_body(f, "en", "<h2>A</h2>\n<h1>Again</h1>"),
		T "error: page with more than one h1 (WCAG 2.2 SC 1.3.1) [a11y-h1]\n" AT(7) "\n");
}

static void test_heading_order(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<h2>A</h2>\n<h4>B</h4>"),
		T "error: heading level skipped: h4 after h2 (WCAG 2.2 SC 1.3.1) [a11y-heading-order]\n"
		AT(7) "\n");
	/* h1 straight to h3. */
	assert_string_equal(lint_body(f, "en", "<h3>B</h3>"),
		T "error: heading level skipped: h3 after h1 (WCAG 2.2 SC 1.3.1) [a11y-heading-order]\n"
		AT(6) "\n");
	/* Going back up any number of levels is fine. */
	assert_string_equal(lint_body(f, "en", "<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2>"), "");
}

/* ---- a11y-img-alt -------------------------------------------------------------------- */

static void test_img_alt(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p><img src=\"/i/clinic.jpg\" /></p>"),
		T "error: image without alt attribute (WCAG 2.2 SC 1.1.1) [a11y-img-alt]\n" AT(6) "\n");
	assert_string_equal(lint_body(f, "en", "<p><img src=\"/i/a.png\" alt=\"IMG_0042.JPG\" /></p>"),
		T "error: image alt text 'IMG_0042.JPG' is a file name (WCAG 2.2 SC 1.1.1) [a11y-img-alt]\n"
		AT(6) "\n");
	/* The image's own file name, without an extension. */
	assert_string_equal(lint_body(f, "en", "<p><img src=\"/i/clinic-map\" alt=\"clinic-map\" /></p>"),
		T "error: image alt text 'clinic-map' is a file name (WCAG 2.2 SC 1.1.1) [a11y-img-alt]\n"
		AT(6) "\n");
	/* A sentence that ends in a file name is a description. */
	assert_string_equal(lint_body(f, "en", "<p><img src=\"/i/a.png\" alt=\"Map of the clinic\" />"
					     "<img src=\"/i/b.png\" alt=\"\" /></p>"), "");
}

/* ---- a11y-empty-link ------------------------------------------------------------------ */

static void test_empty_link_and_button(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/en/x/\"></a></p>"),
		T "error: link to '/en/x/' without text (WCAG 2.2 SC 4.1.2) [a11y-empty-link]\n"
		AT(6) "\n");
	/* An icon with empty alt and hidden text name nothing. */
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/x\"><img src=\"i.svg\" alt=\"\" />"
					     "<span aria-hidden=\"true\">\xE2\x86\x92</span> </a></p>"),
		T "error: link to '/x' without text (WCAG 2.2 SC 4.1.2) [a11y-empty-link]\n" AT(6) "\n");
	assert_string_equal(lint_body(f, "en", "<p><button type=\"submit\"> </button></p>"),
		T "error: button without text (WCAG 2.2 SC 4.1.2) [a11y-empty-link]\n" AT(6) "\n");
	/* Named by title, by aria-labelledby; an anchor without href is no link. */
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/x\" title=\"Map\"></a>"
					     "<a href=\"/y\" aria-labelledby=\"main\"></a><a id=\"top\"></a></p>"),
			    "");
}

/* ---- a11y-vague-link ------------------------------------------------------------------- */

static void test_vague_link(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p>For forms, <a href=\"/f/\">click  HERE</a>.</p>"),
		T "error: vague link text 'click HERE' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6) "; say where the link goes\n");
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/f/\">Learn more\xE2\x80\xA6</a></p>"),
		T "error: vague link text 'Learn more\xE2\x80\xA6' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6) "; say where the link goes\n");
	/* Each language its own list, also inside a lang span. */
	assert_string_equal(lint(f, page(f, "es", "<p>Formularios <a href=\"/f/\">aquí</a>, "
					    "<a href=\"/g/\">MÁS</a> y <a href=\"/h/\">here</a>.</p>"), "es"),
		T "error: vague link text 'aquí' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6) "; say where the link goes\n"
		T "error: vague link text 'MÁS' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6) "; say where the link goes\n");
	assert_string_equal(lint_body(f, "en", "<p lang=\"es\"><a href=\"/f/\">haga clic aquí</a></p>"),
		T "error: vague link text 'haga clic aquí' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6) "; say where the link goes\n");
	/* Link text that says where it goes. */
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/f/\">more about video visits</a> "
					     "<a href=\"/g/\">Where to get care</a></p>"), "");
}

/* ---- a11y-duplicate-id ---------------------------------------------------------------- */

static void test_duplicate_id(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<h2 id=\"hours\">Hours</h2>\n<p id=\"hours\">Open</p>\n"
					     "<p id=\"hours\">Closed</p>"),
		T "error: duplicate id 'hours' (WCAG 2.2 SC 4.1.2) [a11y-duplicate-id]\n"
		AT(7) "; first on line 6\n"
		T "error: duplicate id 'hours' (WCAG 2.2 SC 4.1.2) [a11y-duplicate-id]\n"
		AT(8) "; first on line 6\n");
	/* The template's own id (main) is one of them. */
	assert_string_equal(lint_body(f, "en", "<p id=\"main\">x</p>"),
		T "error: duplicate id 'main' (WCAG 2.2 SC 4.1.2) [a11y-duplicate-id]\n"
		AT(6) "; first on line 4\n");
}

/* ---- a11y-table ---------------------------------------------------------------------- */

static void test_table(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<table>\n<caption>Hours</caption>\n"
					     "<tr><td>Phone</td><td>8 to 5</td></tr>\n</table>"),
		T "error: table without header cells (WCAG 2.2 SC 1.3.1) [a11y-table]\n"
		AT(6) "; mark the row or column headings as th\n");
	assert_string_equal(lint_body(f, "en", "<table><tr><th>Phone</th></tr></table>"),
		T "error: table without a caption or label (WCAG 2.2 SC 1.3.1) [a11y-table]\n"
		AT(6) "; give it a caption, aria-label or aria-labelledby\n");
	/* An empty caption names nothing; a th of an inner table is not the outer's. */
	assert_string_equal(lint_body(f, "en", "<table aria-label=\"Outer\"><tr><td>"
					     "<table><caption> </caption><tr><th>x</th></tr></table>"
					     "</td></tr></table>"),
		T "error: table without a caption or label (WCAG 2.2 SC 1.3.1) [a11y-table]\n"
		AT(6) "; give it a caption, aria-label or aria-labelledby\n"
		T "error: table without header cells (WCAG 2.2 SC 1.3.1) [a11y-table]\n"
		AT(6) "; mark the row or column headings as th\n");
}

/* ---- a11y-tel -------------------------------------------------------------------------- */

static void test_tel(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p><a class=\"tel\" href=\"tel:18005550100\">Call "
					     "Member Services</a></p>"),
		T "error: phone link text 'Call Member Services' has no digits (WCAG 2.2 SC 2.4.4) "
		"[a11y-tel]\n" AT(6) "; show the number the link dials\n");
	assert_string_equal(lint_body(f, "en", "<p><a href=\"TEL:711\">TTY</a></p>"),
		T "error: phone link text 'TTY' has no digits (WCAG 2.2 SC 2.4.4) [a11y-tel]\n"
		AT(6) "; show the number the link dials\n");
	assert_string_equal(lint_body(f, "en", "<p><a href=\"tel:711\">711</a> <a href=\"tel:18335742273\">"
					     "1-833-KP4CARE (1-833-574-2273)</a></p>"), "");
	/* The digits count wherever they are in a long name. */
	assert_string_equal(lint_body(f, "en", "<p><a href=\"tel:18004644000\">Member Services, 24 "
					     "hours a day, seven days a week: 1-800-464-4000</a></p>"), "");
}

/* ---- a11y-new-window ---------------------------------------------------------------------- */

static void test_new_window(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p><a href=\"https://hhs.gov/\" target=\"_blank\" "
					     "rel=\"noopener\">HHS complaint portal</a></p>"),
		T "error: link 'HHS complaint portal' opens a new window without warning "
		"(WCAG 2.2 SC 3.2.5) [a11y-new-window]\n"
		AT(6) "; say in the link text that it opens a new window\n");
	/* Any named target opens another window too; Spanish warns in Spanish. */
	assert_string_equal(lint(f, page(f, "es", "<p><a href=\"/a\" target=\"form\">Formulario</a> "
					    "<a href=\"/b\" target=\"_blank\">Formulario (se abre en una "
					    "ventana nueva)</a></p>"), "es"),
		T "error: link 'Formulario' opens a new window without warning (WCAG 2.2 SC 3.2.5) "
		"[a11y-new-window]\n" AT(6) "; say in the link text that it opens a new window\n");
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/a\" target=\"_blank\" "
					     "aria-describedby=\"nw\">Form</a><span id=\"nw\">Opens a "
					     "new window</span> <a href=\"/b\" target=\"_top\">Top</a></p>"),
			    "");
}

/* ---- a11y-foreign-text -------------------------------------------------------------------- */

static void test_foreign_text(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<p>For help in Spanish: Llame al número de "
					     "servicios para los miembros si necesita ayuda.</p>"),
		T "warning: text in 'es' without lang: 'Llame al número de servicios para los "
		"miembros si necesita a...' (WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(6) "; mark it with lang, or translate it\n");
	assert_int_equal(f->rc, 0);  /* a warning */
	assert_string_equal(lint(f, page(f, "es", "<p>Para ayuda técnica: please call us if you "
					    "need help with the app.</p>"), "es"),
		T "warning: text in 'en' without lang: 'please call us if you need help with the' "
		"(WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(6) "; mark it with lang, or translate it\n");
	/* A link to a page in another language speaks that language. */
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/es/\" hreflang=\"es\">Español</a></p>"),
		T "warning: link text in 'es' (hreflang) without lang: 'Español' (WCAG 2.2 SC 3.1.2) "
		"[a11y-foreign-text]\n" AT(6) "; give the link lang as well as hreflang\n");
}

static void test_foreign_text_not_reported(void **state)
{
	struct fx *f = *state;
	/* Marked with lang. */
	assert_string_equal(lint_body(f, "en", "<p lang=\"es\">Llame al número de servicios para "
					     "los miembros si necesita ayuda.</p>"), "");
	/* Names with a few Spanish words, trademarks, quoted UI labels. */
	assert_string_equal(lint_body(f, "en", "<p>Visit Hospital de la Familia in Los Angeles, "
					     "the \"Centro de la Salud para los Niños\" desk.</p>"), "");
	assert_string_equal(lint(f, page(f, "es", "<p>Descargue la aplicación (iOS, como iPhone®, "
					    "iPad®, iPod touch®, o Android™). Seleccione la pestaña "
					    "\"Upcoming Appointments\" y luego \xE2\x80\x9CJoin the "
					    "visit for your appointment now\xE2\x80\x9D.</p>"), "es"),
			    "");
	/* The language switcher and chooser: each name in its own lang. */
	assert_string_equal(lint_body(f, "en", "<ul><li><span lang=\"en\">English</span></li>"
					     "<li><a href=\"/es/\" lang=\"es\" hreflang=\"es\">Español</a>"
					     "</li></ul><div lang=\"es\"><p><a href=\"/es/\" hreflang=\"es\">"
					     "Ir a la página de inicio</a></p></div>"), "");
}

/* Three languages: each text is checked against every other one. Words
 * common to the text's language and another count for neither; words of two
 * other languages count for both, and the first in site order is named. */
static void test_foreign_text_three_languages(void **state)
{
	static const char *const en[] = { "the", "of", "and", "to", "you", "your", "is", "for" };
	static const char *const es[] = { "de", "la", "el", "los", "para", "su", "que", "en" };
	static const char *const fr[] = { "de", "la", "le", "les", "pour", "votre", "vous", "est",
					  "que", "en" };
	struct lint_lang langs[3];
	struct linter *l;
	struct lint_input in;
	struct fx *f = *state;
	memset(langs, 0, sizeof(langs));
	langs[0].tag = "en", langs[0].common = en, langs[0].n_common = ARRAY_SIZE(en);
	langs[1].tag = "es", langs[1].common = es, langs[1].n_common = ARRAY_SIZE(es);
	langs[2].tag = "fr", langs[2].common = fr, langs[2].n_common = ARRAY_SIZE(fr);
	l = linter_new(langs, 3);
	memset(&in, 0, sizeof(in));
	page(f, "en", "<p>Call: les heures pour votre visite, vous est le bienvenu.</p>\n"
		      "<p>Hours: el horario para los miembros y su familia.</p>\n"
		      "<p>Terms: de la que en de la que en.</p>\n"
		      "<p lang=\"fr\">Les heures pour votre visite: the hours of your visit is for you.</p>");
	in.html = f->page.ptr;
	in.len = f->page.len;
	in.out_path = "en/t/index.html";
	in.template_path = "templates/page.mustache";
	in.lang = "en";
	lint_page(l, &in, &f->d);
	linter_free(l);
	assert_string_equal(diag_text(f),
		T "warning: text in 'fr' without lang: 'les heures pour votre visite, vous est le' "
		"(WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(6) "; mark it with lang, or translate it\n"
		T "warning: text in 'es' without lang: 'el horario para los miembros y su' "
		"(WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(7) "; mark it with lang, or translate it\n"
		T "warning: text in 'es' without lang: 'de la que en de la que en' "
		"(WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(8) "; mark it with lang, or translate it\n"
		T "warning: text in 'en' without lang: 'the hours of your visit is for you' "
		"(WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(9) "; mark it with lang, or translate it\n");
}

/* ---- findings placed at the Markdown source --------------------------------------------------- */

static int resolve(void *ctx, const char *dest, int line, int col, struct buf *href,
		   struct diags *d)
{
	(void)ctx, (void)line, (void)col, (void)d;
	buf_addf(href, "/en/%.*s/", (int)strcspn(dest, "."), dest);
	return 0;
}

static const char *fact(void *ctx, const char *name)
{
	(void)ctx;
	return !strcmp(name, "link.text") ? "here" : NULL;
}

/* Renders src as the body of content/en/t.md (5 lines of front matter)
 * into a page and lints it. */
static const char *lint_markdown(struct fx *f, struct arena *a, const char *src)
{
	static const char *const names[] = { "link.text" };
	struct md_env env;
	struct md_result r;
	struct diags d = { 0 };
	struct lint_body body;
	memset(&env, 0, sizeof(env));
	env.path = "content/en/t.md";
	env.line_offset = 5;
	env.lang = "en";
	env.strings = value_new(a, VALUE_MAP);
	env.fact = fact;
	env.fact_names = names;
	env.n_facts = 1;
	env.resolve_link = resolve;
	assert_int_equal(markdown_render(src, strlen(src), &env, a, &r, &d), 0);
	diags_release(&d);
	body.html = r.html;
	body.len = r.html_len;
	body.src_path = "content/en/t.md";
	body.src_text = src;
	body.src_len = strlen(src);
	body.body_line = 5;
	body.reported = 0;
	/* The page template: a vague link before the body, one after. */
	buf_reset(&f->page);
	buf_addf(&f->page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>T</title></head>\n"
			   "<body><nav><a href=\"/en/more/\">More</a></nav><main>\n<h1>T</h1>\n%s"
			   "<p><a href=\"/en/here/\">here</a></p>\n</main></body>\n</html>\n", r.html);
	return lint_bodies(f, f->page.ptr, "en", &body, 1);
}

static void test_findings_at_source_lines(void **state)
{
	struct fx *f = *state;
	struct arena a = ARENA_INIT;
	assert_string_equal(lint_markdown(f, &a,
		"Intro line.\n"
		"\n"
		"## Forms\n"
		"\n"
		"Get the form [here](forms.md) or call.\n"
		"\n"
		"Si necesita ayuda, llame al número de los miembros.\n"
		"\n"
		"Also [more](more.md), [more](more.md) and [{{ link.text }}](x.md).\n"),
		T "error: vague link text 'More' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(4) "; say where the link goes\n"
		"content/en/t.md:10:14: error: vague link text 'here' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(8) "; say where the link goes\n"
		"content/en/t.md:12:1: warning: text in 'es' without lang: 'Si necesita ayuda, llame al "
		"número de los' (WCAG 2.2 SC 3.1.2) [a11y-foreign-text]\n"
		AT(9) "; mark it with lang, or translate it\n"
		"content/en/t.md:14:6: error: vague link text 'more' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(10) "; say where the link goes\n"
		"content/en/t.md:14:23: error: vague link text 'more' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(10) "; say where the link goes\n"
		/* Text that is not in the source (a fact): the body's first line. */
		"content/en/t.md:6:1: error: vague link text 'here' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(10) "; say where the link goes\n"
		T "error: vague link text 'here' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(11) "; say where the link goes\n");
	arena_release(&a);
}

/* The page is read as a stream: a finding placed by its element's text
 * waits for that text, which may come in pieces (an entity, a comment) or
 * after a visually hidden part. */
static void test_findings_placed_by_later_text(void **state)
{
	struct fx *f = *state;
	assert_string_equal(lint_body(f, "en", "<h2>A</h2>\n<h4><!-- c -->\n</h4>"),
		T "error: heading level skipped: h4 after h2 (WCAG 2.2 SC 1.3.1) [a11y-heading-order]\n"
		AT(7) "\n");
	assert_string_equal(lint_body(f, "en",
		"<h2 id=\"x\">A</h2>\n"
		"<h3 id=\"x\"><span class=\"visually-hidden\">Skip </span>Tom &amp;<!-- c --> Jerry</h3>"),
		T "error: duplicate id 'x' (WCAG 2.2 SC 4.1.2) [a11y-duplicate-id]\n"
		AT(7) "; first on line 6\n");
	/* Findings before a well-formedness error are dropped: that one is all. */
	assert_string_equal(lint_body(f, "en", "<p><a href=\"/x\">here</a></p>\n<p>a<b>b</p>"),
		T "error: page is not well-formed: opening and ending tag mismatch: b line 7 and p [html]\n"
		AT(7) "; column 13\n");
}

/* A page larger than the parser's chunks: lines and findings still right. */
static void test_large_page(void **state)
{
	struct fx *f = *state;
	struct buf body = BUF_INIT;
	int i;
	for (i = 0; i < 6000; i++)
		buf_adds(&body, "<p>Call us any day of the week, any hour of the day.</p>\n");
	buf_adds(&body, "<p><a href=\"/x\">here</a></p>");
	assert_string_equal(lint_body(f, "en", body.ptr),
		T "error: vague link text 'here' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6006) "; say where the link goes\n");
	buf_adds(&body, "<p>a<b>b</p>");
	assert_string_equal(lint_body(f, "en", body.ptr),
		T "error: page is not well-formed: opening and ending tag mismatch: b line 6006 and p [html]\n"
		AT(6006) "; column 41\n");
	buf_release(&body);
}

/* A body reported by another page (the large print holds the page's body):
 * what is found inside it is not reported again, but what depends on the
 * page around it is. */
static void test_reported_body(void **state)
{
	struct fx *f = *state;
	static const char body_html[] =
		"<h2 id=\"main\">Forms</h2>\n"
		"<p>Get it <a href=\"/x/\">here</a>, <img src=\"/i/a.png\" /> "
		"si necesita ayuda, llame al n\xC3\xBAmero de los miembros.</p>\n";
	struct lint_body body;
	memset(&body, 0, sizeof(body));
	body.html = body_html;
	body.len = strlen(body_html);
	body.src_path = "content/en/t.md";
	body.src_text = "## Forms\n\nGet it [here](x.md)\n";
	body.src_len = strlen(body.src_text);
	body.reported = 1;
	assert_string_equal(lint_bodies(f, page(f, "en", body_html), "en", &body, 1),
		"content/en/t.md:1:4: error: duplicate id 'main' (WCAG 2.2 SC 4.1.2) [a11y-duplicate-id]\n"
		AT(6) "; first on line 4\n");
	body.reported = 0;
	assert_non_null(strstr(lint_bodies(f, page(f, "en", body_html), "en", &body, 1),
			       "vague link text 'here'"));
	assert_non_null(strstr(f->text.ptr, "image without alt attribute"));
	assert_non_null(strstr(f->text.ptr, "text in 'es' without lang"));
}

/* ---- no recursion, and threads ------------------------------------------------------------------- */

static void test_deep_nesting(void **state)
{
	struct fx *f = *state;
	struct buf body = BUF_INIT;
	int i;
	/* libxml2 refuses more than 256 levels; the walk itself has no limit. */
	buf_adds(&body, "<p><a href=\"/x\">");
	for (i = 0; i < 240; i++)
		buf_adds(&body, "<span>");
	buf_adds(&body, "here");
	for (i = 0; i < 240; i++)
		buf_adds(&body, "</span>");
	buf_adds(&body, "</a></p>");
	assert_string_equal(lint_body(f, "en", body.ptr),
		T "error: vague link text 'here' (WCAG 2.2 SC 2.4.4) [a11y-vague-link]\n"
		AT(6) "; say where the link goes\n");
	buf_release(&body);
}

struct job {
	const char *html;
	int errors;
};

static void *lint_thread(void *arg)
{
	struct job *j = arg;
	struct lint_input in;
	int i;
	memset(&in, 0, sizeof(in));
	in.html = j->html;
	in.len = strlen(j->html);
	in.out_path = "en/t/index.html";
	in.template_path = "templates/page.mustache";
	in.lang = "en";
	for (i = 0; i < 50; i++) {
		struct diags d = { 0 };
		lint_page(S.linter, &in, &d);
		j->errors += d.errors;
		diags_release(&d);
	}
	return NULL;
}

static void test_parallel(void **state)
{
	struct fx *f = *state;
	struct job jobs[4];
	pthread_t t[4];
	int i;
	page(f, "en", "<p><a href=\"/x\">here</a> <img src=\"a.png\" /></p><h4 id=\"main\">x</h4>");
	for (i = 0; i < 4; i++) {
		jobs[i].html = f->page.ptr;
		jobs[i].errors = 0;
		assert_int_equal(pthread_create(&t[i], NULL, lint_thread, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].errors, 50 * 4);
	}
}

/* ---- the committed golden pages are clean ------------------------------------------------------ */

static struct fx *golden_fx;
static int golden_pages;

/* "tests/golden/seed-video/es/x/index.html" is in es; pages outside a
 * language folder (the chooser, 404) are in the first language. */
static int lint_golden(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	struct fx *f = golden_fx;
	struct buf html = BUF_INIT;
	const char *lang = "en", *p;
	size_t i;
	(void)st, (void)ftw;
	if (type != FTW_F || strlen(path) < 5 || strcmp(path + strlen(path) - 5, ".html"))
		return 0;
	for (i = 0; i < 3; i++) {
		static const char *const l[] = { "/en/", "/es/", "/fr/" };
		if ((p = strstr(path, l[i])) != NULL)
			lang = i == 0 ? "en" : i == 1 ? "es" : "fr";
	}
	read_file(path, &html);
	{
		struct lint_input in;
		memset(&in, 0, sizeof(in));
		in.html = html.ptr;
		in.len = html.len;
		in.out_path = path;
		in.template_path = "templates/page.mustache";
		in.lang = lang;
		lint_page(S.linter, &in, &f->d);
	}
	golden_pages++;
	buf_release(&html);
	return 0;
}

static void test_golden_pages_clean(void **state)
{
	struct fx *f = *state;
	golden_fx = f;
	golden_pages = 0;
	assert_int_equal(nftw("tests/golden/seed-video", lint_golden, 8, FTW_PHYS), 0);
	assert_int_equal(nftw("tests/fixtures/site/expected", lint_golden, 8, FTW_PHYS), 0);
	assert_string_equal(diag_text(f), "");
	assert_true(golden_pages >= 18);
}

/* ---- a11y-contrast ------------------------------------------------------------------------------- */

static const char *css(struct fx *f, const char *text)
{
	diags_release(&f->d);
	f->rc = lint_css_contrast(text, strlen(text), "site.css", &f->d);
	return diag_text(f);
}

static void test_contrast_ratio(void **state)
{
	(void)state;
	assert_true(lint_contrast_ratio(0x000000, 0xffffff) > 20.99);
	assert_true(lint_contrast_ratio(0xffffff, 0x000000) < 21.01);
	/* #767676 on white is the lightest gray that passes (4.54:1). */
	assert_true(lint_contrast_ratio(0x767676, 0xffffff) >= 4.5);
	assert_true(lint_contrast_ratio(0x777777, 0xffffff) < 4.5);
}

static void test_contrast(void **state)
{
	struct fx *f = *state;
	assert_string_equal(css(f,
		":root {\n"
		"  --color-text: #1b1b1b;\n"
		"  --color-muted: #777;           /* too light */\n"
		"  --color-bg: #ffffff;\n"
		"}\n"
		"body { color: var(--color-text); background: var(--color-bg); }\n"
		".updated {\n"
		"  color: var(--color-muted);\n"
		"}\n"
		".badge { background-color: rgb(0 80 160); color: hsl(210, 100%, 40%); }\n"
		".faint { color: rgba(0, 0, 0, 0.4) !important; }\n"
		".banner { background: url(\"x.svg\") no-repeat var(--banner, #595959); }\n"),
		"site.css:8:3: error: contrast of #777777 on #ffffff is 4.47:1, below 4.5:1 "
		"(WCAG 2.2 SC 1.4.3) [a11y-contrast]\n"
		"note: in '.updated'; background of the page\n"
		"site.css:10:43: error: contrast of #0066cc on #0050a0 is 1.42:1, below 4.5:1 "
		"(WCAG 2.2 SC 1.4.3) [a11y-contrast]\n"
		"note: in '.badge'\n"
		"site.css:11:10: error: contrast of #999999 on #ffffff is 2.84:1, below 4.5:1 "
		"(WCAG 2.2 SC 1.4.3) [a11y-contrast]\n"
		"note: in '.faint'; background of the page\n"
		"site.css:12:11: error: contrast of #1b1b1b on #595959 is 2.45:1, below 4.5:1 "
		"(WCAG 2.2 SC 1.4.3) [a11y-contrast]\n"
		"note: in '.banner'; text color of the page\n");
	assert_int_equal(f->rc, -1);
}

static void test_contrast_page_and_dark_scheme(void **state)
{
	struct fx *f = *state;
	/* The page's pair from two rules, and a dark scheme that breaks a rule
	 * which is fine in the light one. */
	assert_string_equal(css(f,
		"html { background: #ffffff; }\n"
		"body { color: #949494; }\n"
		"a { color: var(--link); }\n"
		":root { --link: #0b5cad; }\n"
		"@media (prefers-color-scheme: dark) {\n"
		"  :root { --link: #0b3a6d; }\n"
		"  html { background: #121212; }\n"
		"  body { color: #eeeeee; }\n"
		"}\n"),
		"site.css:2:8: error: contrast of #949494 on #ffffff is 3.03:1, below 4.5:1 "
		"(WCAG 2.2 SC 1.4.3) [a11y-contrast]\n"
		"note: the page's text and background (color in 'body')\n"
		"site.css:3:5: error: contrast of #0b3a6d on #121212 is 1.64:1, below 4.5:1 under "
		"@media (prefers-color-scheme: dark) (WCAG 2.2 SC 1.4.3) [a11y-contrast]\n"
		"note: in 'a'; background of the page\n");
}

static void test_contrast_unknown_values_skipped(void **state)
{
	struct fx *f = *state;
	/* currentColor, system colors, gradients, undefined and looping
	 * variables, unterminated input: nothing to check, no crash. */
	assert_string_equal(css(f,
		"a { color: currentColor; background: Canvas; }\n"
		"b { color: var(--nope); background: linear-gradient(#000, #fff); }\n"
		":root { --a: var(--b); --b: var(--a); }\n"
		"i { color: var(--a); }\n"
		"@media print { @supports (x: y) { s { color: inherit } } }\n"
		"u { color: \"}\" ; background: #fff /* ; */ }\n"
		"q { color: #000"), "");
	/* Nesting past the limit is skipped; unbalanced parentheses end nothing. */
	buf_reset(&f->css);
	for (int i = 0; i < 5000; i++)
		buf_adds(&f->css, "@media x { ");
	buf_adds(&f->css, "p { color: #777 } ");
	for (int i = 0; i < 5000; i++)
		buf_adds(&f->css, "} ");
	buf_adds(&f->css, "a { color: rgb((((( } b { color: #000 }");
	assert_string_equal(css(f, f->css.ptr), "");
	assert_int_equal(f->rc, 0);
}

static void test_theme_css_clean(void **state)
{
	struct fx *f = *state;
	read_file("templates/assets/site.css", &f->css);
	assert_string_equal(css(f, f->css.ptr), "");
	read_file("templates/assets/print.css", &f->css);
	assert_string_equal(css(f, f->css.ptr), "");
	assert_int_equal(f->rc, 0);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_page_in_pieces),
		TEST(test_rule_catalogue),
		TEST(test_clean_page),
		TEST(test_not_well_formed),
		TEST(test_lang),
		TEST(test_h1),
		TEST(test_heading_order),
		TEST(test_img_alt),
		TEST(test_empty_link_and_button),
		TEST(test_vague_link),
		TEST(test_duplicate_id),
		TEST(test_table),
		TEST(test_tel),
		TEST(test_new_window),
		TEST(test_foreign_text),
		TEST(test_foreign_text_not_reported),
		TEST(test_foreign_text_three_languages),
		TEST(test_findings_at_source_lines),
		TEST(test_findings_placed_by_later_text),
		TEST(test_large_page),
		TEST(test_reported_body),
		TEST(test_deep_nesting),
		TEST(test_parallel),
		TEST(test_golden_pages_clean),
		TEST(test_contrast_ratio),
		TEST(test_contrast),
		TEST(test_contrast_page_and_dark_scheme),
		TEST(test_contrast_unknown_values_skipped),
		TEST(test_theme_css_clean),
	};
	int rc = cmocka_run_group_tests(tests, suite_setup, suite_teardown);
	slug_thread_release();
	u_cleanup();
	return rc;
}
