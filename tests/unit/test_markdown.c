/* test_markdown.c - the Markdown stage as readers and authors see it: the
 * exact HTML of each construct, and the exact diagnostics (rule, line,
 * column, message, note) for each mistake. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <unicode/uclean.h>
#include "markdown.h"
#include "phone.h"
#include "slug.h"

/* ---- a small site: facts, UI strings, pages ----------------------------- */

static const char *const fact_names[] = {
	"phone.member_services", "phone.appointments", "phone.tty", "phone.urgent",
	"phone.bad_vanity", "url.get_care", "url.kp_org", "hours.appointments",
	"text.markup",
};
static const char *const fact_values[] = {
	"1-800-464-4000", "1-833-KP4CARE (1-833-574-2273)", "711", "1-866-555-0199",
	"1-833-KP4CAR (1-833-574-2273)", "https://kp.org/getcare/", "https://kp.org",
	"Monday through Friday, 7 a.m. to 7 p.m.", "<b>*bold*</b> & co",
};
#define N_FACTS (sizeof(fact_names) / sizeof(fact_names[0]))

static const char *fact(void *ctx, const char *name)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < N_FACTS; i++)
		if (!strcmp(fact_names[i], name))
			return fact_values[i];
	return NULL;
}

static const char *fact_for_phone(void *ctx, const char *digits)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < N_FACTS; i++) {
		struct buf b = BUF_INIT;
		int same;
		if (strncmp(fact_names[i], "phone.", 6))
			continue;
		phone_value_digits(fact_values[i], strlen(fact_values[i]), &b);
		same = !strcmp(b.ptr, digits);
		buf_release(&b);
		if (same)
			return fact_names[i];
	}
	return NULL;
}

/* "x.md#a" -> "/en/x/#a"; "missing.md" is a page that does not exist. */
static int resolve_link(void *ctx, const char *dest, int line, int col, struct buf *href,
			struct diags *d)
{
	const char *md = strstr(dest, ".md");
	(void)ctx;
	if (!strncmp(dest, "missing", 7)) {
		diag(d, RULE_LINK_PAGE, "page.md", line, col, "no page '%s'", dest);
		return -1;
	}
	buf_adds(href, "/en/");
	if (md) {
		buf_add(href, dest, (size_t)(md - dest));
		buf_adds(href, "/");
		buf_adds(href, md + 3);
	} else {
		buf_adds(href, dest);
	}
	return 0;
}

struct fixture {
	struct arena a;
	struct value *strings;
	struct md_env env;
	struct diags d;
	struct md_result r;
	struct buf diag_text;
};

static int setup(void **state)
{
	static const char *const keys[] = { "note", "warning", "nonurgent", "urgent",
					    "emergency", "footnotes", "footnote_back" };
	static const char *const vals[] = { "Note", "Warning", "Nonurgent", "Urgent",
					    "Emergency", "Notes", "Back to reference {n}" };
	struct fixture *f = calloc(1, sizeof(*f));
	size_t i;
	f->strings = value_new(&f->a, VALUE_MAP);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		value_map_set_string(&f->a, f->strings, keys[i], vals[i]);
	f->env.path = "page.md";
	f->env.line_offset = 0;
	f->env.lang = "en";
	f->env.strings = f->strings;
	f->env.fact = fact;
	f->env.fact_names = fact_names;
	f->env.n_facts = N_FACTS;
	f->env.fact_for_phone = fact_for_phone;
	f->env.resolve_link = resolve_link;
	buf_init(&f->diag_text, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	diags_release(&f->d);
	buf_release(&f->diag_text);
	arena_release(&f->a);
	free(f);
	return 0;
}

/* Renders body; returns markdown_render's result. f->diag_text gets one line
 * per diagnostic, "line:col: severity: message [rule]", then "note: ...". */
static int render(struct fixture *f, const char *body)
{
	static const char *const sev[] = { "note", "warning", "error" };
	size_t i;
	int rc;
	diags_release(&f->d);
	buf_reset(&f->diag_text);
	rc = markdown_render(body, strlen(body), &f->env, &f->a, &f->r, &f->d);
	diags_sort(&f->d);
	for (i = 0; i < f->d.n; i++) {
		const struct diag *g = &f->d.v[i];
		buf_addf(&f->diag_text, "%d:%d: %s: %s [%s]\n", g->line, g->col, sev[g->severity],
			 g->message, rule_name[g->rule]);
		if (g->note)
			buf_addf(&f->diag_text, "note: %s\n", g->note);
	}
	return rc;
}

#define HTML(f) ((f)->r.html)
#define DIAGS(f) ((f)->diag_text.ptr)

/* Fails, showing both, unless needle is in hay. */
#define assert_contains(hay, needle) assert_contains_at(hay, needle, __FILE__, __LINE__)
static void assert_contains_at(const char *hay, const char *needle, const char *file, int line)
{
	if (!strstr(hay, needle)) {
		print_error("%s:%d: expected to find\n%s\nin\n%s\n", file, line, needle, hay);
		fail();
	}
}

#define assert_lacks(hay, needle) assert_lacks_at(hay, needle, __FILE__, __LINE__)
static void assert_lacks_at(const char *hay, const char *needle, const char *file, int line)
{
	if (strstr(hay, needle)) {
		print_error("%s:%d: did not expect\n%s\nin\n%s\n", file, line, needle, hay);
		fail();
	}
}

/* ---- ordinary Markdown ---------------------------------------------------- */

static void test_ordinary_markdown(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Some *em*, **strong**, `code <x>` and ~~old~~ & \"q\".\n"
				   "Line one  \nline two\n\n"
				   "3. three\n4. four\n\n"
				   "- a\n- b\n\n"
				   "---\n\n"
				   "> quoted\n\n"
				   "```sh\necho <hi>\n```\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Some <em>em</em>, <strong>strong</strong>, <code>code &lt;x&gt;</code> and "
		"~~old~~ &amp; &quot;q&quot;.\n"
		"Line one<br />\nline two</p>\n"
		"<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"
		"<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
		"<hr />\n"
		"<blockquote>\n<p>quoted</p>\n</blockquote>\n"
		"<pre><code class=\"language-sh\">echo &lt;hi&gt;\n</code></pre>\n");
	assert_string_equal(DIAGS(f), "");
}

static void test_loose_list_and_autolink(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "- one\n\n- two\n\nSee www.example.org and <https://x.org/a?b=1&c>.\n"), 0);
	assert_string_equal(HTML(f),
		"<ul>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ul>\n"
		"<p>See <a href=\"http://www.example.org\">www.example.org</a> and "
		"<a href=\"https://x.org/a?b=1&amp;c\">https://x.org/a?b=1&amp;c</a>.</p>\n");
}

static void test_visible_text(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "## Call us\n\nAt {{ phone.tty }}, *any*\ntime.[^1]\n\n"
				   "- one\n- two\n\n![a nurse](nurse.png)\n\n[^1]: A note.\n"), 0);
	assert_string_equal(f->r.text, "Call us\n\nAt 711, any time.\n\none\n\ntwo\n\nA note.");
	assert_int_equal(f->r.text_len, strlen(f->r.text));
	assert_int_equal(f->r.html_len, strlen(f->r.html));
}

/* ---- raw HTML --------------------------------------------------------------- */

static void test_raw_html_is_an_error(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 6;
	assert_int_equal(render(f, "Text with <b>bold</b> in it.\n\n<div class=\"x\">\nhi\n</div>\n"), -1);
	assert_string_equal(DIAGS(f),
		"7:11: error: raw HTML '<b>' [raw-html]\n"
		"note: write it in Markdown; raw HTML is not allowed\n"
		"7:18: error: raw HTML '</b>' [raw-html]\n"
		"note: write it in Markdown; raw HTML is not allowed\n"
		"9:1: error: raw HTML '<div class=\"x\">...' [raw-html]\n"
		"note: write it in Markdown; raw HTML is not allowed\n");
	assert_lacks(HTML(f), "<b>");
	assert_lacks(HTML(f), "<div");
	assert_string_equal(HTML(f), "<p>Text with bold in it.</p>\n");
}

/* ---- character references ------------------------------------------------ */

/* A reference to a control character or a noncharacter is an error at the
 * reference, and the page holds U+FFFD instead, so it stays well-formed.
 * References in code, after a backslash, and those CommonMark turns into
 * U+FFFD itself (&#0;, surrogates) are not reported. */
static void test_char_refs_to_controls_refused(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 7;
	assert_int_equal(render(f, "Press &#x1B; now, `&#x1B;` and \\&#x1B; stay text.\n"
				   "> - a &#xFFFF; b &#65535; c &#133;\n\n"
				   "[x&#7;](b&#x7f;c \"t&#1;\") and <https://a.example/&#x1B;>\n\n"
				   "```&#x1B;\n&#x1B;\n```\n\n"
				   "&#0; &#xD800; &#x110000; &#9; &#233;\n"), -1);
	assert_string_equal(DIAGS(f),
		"8:7: error: character reference '&#x1B;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x1B in a page\n"
		"9:7: error: character reference '&#xFFFF;' names a noncharacter [encoding]\n"
		"note: remove it; XML and HTML do not allow noncharacter U+FFFF in a page\n"
		"9:18: error: character reference '&#65535;' names a noncharacter [encoding]\n"
		"note: remove it; XML and HTML do not allow noncharacter U+FFFF in a page\n"
		"9:29: error: character reference '&#133;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character U+0085 in a page\n"
		"11:3: error: character reference '&#7;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x07 in a page\n"
		"11:10: error: character reference '&#x7f;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x7F in a page\n"
		"11:20: error: character reference '&#1;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x01 in a page\n"
		"11:50: error: character reference '&#x1B;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x1B in a page\n"
		"13:4: error: character reference '&#x1B;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x1B in a page\n");
	assert_string_equal(HTML(f),
		"<p>Press \xEF\xBF\xBD now, <code>&amp;#x1B;</code> and &amp;#x1B; stay text.</p>\n"
		"<blockquote>\n<ul>\n<li>a \xEF\xBF\xBD b \xEF\xBF\xBD c \xEF\xBF\xBD</li>\n</ul>\n"
		"</blockquote>\n"
		"<p><a href=\"/en/b%EF%BF%BDc\" title=\"t\xEF\xBF\xBD\">x\xEF\xBF\xBD</a> and "
		"<a href=\"https://a.example/%EF%BF%BD\">https://a.example/\xEF\xBF\xBD</a></p>\n"
		"<pre><code class=\"language-\xEF\xBF\xBD\">&amp;#x1B;\n</code></pre>\n"
		"<p>\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD \t \xC3\xA9</p>\n");
}

/* A link reference definition holds the reference its links use: it is
 * reported there, once. */
static void test_char_ref_in_link_definition(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "See [a] and [a].\n\n[a]: https://a.example/&#x1B;\n"), -1);
	assert_string_equal(DIAGS(f),
		"3:24: error: character reference '&#x1B;' names a control character [encoding]\n"
		"note: remove it; XML and HTML do not allow control character 0x1B in a page\n");
}

/* ---- facts ------------------------------------------------------------------ */

static void test_facts_become_text(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Open {{ hours.appointments }}; {{text.markup}}; "
				   "again {{hours.appointments}}.\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Open Monday through Friday, 7 a.m. to 7 p.m.; "
		"&lt;b&gt;*bold*&lt;/b&gt; &amp; co; again Monday through Friday, 7 a.m. to 7 p.m..</p>\n");
	assert_int_equal(f->r.n_facts_used, 2);
	assert_string_equal(f->r.facts_used[0], "hours.appointments");
	assert_string_equal(f->r.facts_used[1], "text.markup");
	assert_string_equal(DIAGS(f), "");
}

static void test_fact_unknown_with_line_offset(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 11;
	assert_int_equal(render(f, "Intro.\n\nLlame al {{ phone.urgnet }} y {{ nada.de.nada }}.\n"), -1);
	assert_string_equal(DIAGS(f),
		"14:10: error: unknown fact 'phone.urgnet' [fact-unknown]\n"
		"note: did you mean 'phone.urgent'?\n"
		"14:31: error: unknown fact 'nada.de.nada' [fact-unknown]\n"
		"note: facts are defined once, under 'facts:' in site.yaml\n");
	assert_int_equal(f->r.n_facts_used, 0);
}

static void test_fact_column_after_escapes_and_inline_markup(void **state)
{
	struct fixture *f = *state;
	/* The literal has lost "&amp;" and "\_": columns come from the source. */
	assert_int_equal(render(f, "*A* &amp; b\\_c {{ x.y }} and {{ x.z }}\n"), -1);
	assert_string_equal(DIAGS(f),
		"1:16: error: unknown fact 'x.y' [fact-unknown]\n"
		"note: facts are defined once, under 'facts:' in site.yaml\n"
		"1:30: error: unknown fact 'x.z' [fact-unknown]\n"
		"note: facts are defined once, under 'facts:' in site.yaml\n");
}

static void test_fact_split_across_nodes(void **state)
{
	struct fixture *f = *state;
	/* The fact is wrapped onto the next line: cmark makes text, soft break,
	 * text. */
	assert_int_equal(render(f, "Call {{\nphone.member_services }} or\n{{ hours.appointments\n}} ok.\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Call <a class=\"tel\" href=\"tel:18004644000\">1-800-464-4000</a> or\n"
		"Monday through Friday, 7 a.m. to 7 p.m. ok.</p>\n");
	assert_string_equal(DIAGS(f), "");
}

static void test_fact_braces_problems(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "A {{ phone.tty and {{ }} then {{ x y }}.\n"), -1);
	assert_string_equal(DIAGS(f),
		"1:3: error: '{{' without a closing '}}' [fact-unknown]\n"
		"note: '{{' is only for facts, written '{{ group.name }}'\n"
		"1:20: error: empty fact '{{ }}' [fact-unknown]\n"
		"note: write the fact's name, as in '{{ phone.member_services }}'\n"
		"1:31: error: unknown fact 'x y' [fact-unknown]\n"
		"note: facts are defined once, under 'facts:' in site.yaml\n");
}

static void test_fact_url_becomes_link(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Visit {{ url.get_care }} or {{url.kp_org}}.\n\n"
				   "[Sign on]({{url.kp_org}}) or [{{ url.get_care }}](x.md).\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Visit <a href=\"https://kp.org/getcare/\">kp.org/getcare</a> or "
		"<a href=\"https://kp.org\">kp.org</a>.</p>\n"
		"<p><a href=\"https://kp.org\">Sign on</a> or <a href=\"/en/x/\">kp.org/getcare</a>.</p>\n");
	assert_int_equal(f->r.n_facts_used, 2);
	assert_string_equal(f->r.facts_used[0], "url.get_care");
	assert_string_equal(f->r.facts_used[1], "url.kp_org");
}

static void test_fact_not_in_code(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Write `{{ phone.tty }}` like this.\n\n    {{ nope }}\n"), 0);
	assert_string_equal(HTML(f), "<p>Write <code>{{ phone.tty }}</code> like this.</p>\n"
				     "<pre><code>{{ nope }}\n</code></pre>\n");
}

/* ---- phone numbers ---------------------------------------------------------- */

static void test_phone_facts_are_tel_links(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Call {{ phone.appointments }} (TTY {{ phone.tty }}).\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Call <a class=\"tel\" href=\"tel:18335742273\">1-833-KP4CARE (1-833-574-2273)</a> "
		"(TTY <a class=\"tel\" href=\"tel:711\">711</a>).</p>\n");
	assert_string_equal(DIAGS(f), "");
}

static void test_typed_numbers(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 3;
	assert_int_equal(render(f, "Or call (212) 555-0100 or\n1-800-464-4000 or 800-464-4000.\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Or call <a class=\"tel\" href=\"tel:12125550100\">(212) 555-0100</a> or\n"
		"<a class=\"tel\" href=\"tel:18004644000\">1-800-464-4000</a> or "
		"<a class=\"tel\" href=\"tel:18004644000\">800-464-4000</a>.</p>\n");
	assert_string_equal(DIAGS(f),
		"5:1: warning: phone number typed by hand; use {{ phone.member_services }} [fact-typed]\n"
		"note: '1-800-464-4000' is the value of fact 'phone.member_services'; a fact is "
		"changed in one place, site.yaml\n"
		"5:19: warning: phone number typed by hand; use {{ phone.member_services }} [fact-typed]\n"
		"note: '800-464-4000' is the value of fact 'phone.member_services'; a fact is "
		"changed in one place, site.yaml\n");
}

static void test_positions_after_a_fact(void **state)
{
	struct fixture *f = *state;
	/* The text after a fact is new to the tree: it keeps its place. */
	assert_int_equal(render(f, "Call {{ phone.tty }} or\nat 1-800-464-4000 (see [^nope]).\n"), -1);
	assert_string_equal(DIAGS(f),
		"2:4: warning: phone number typed by hand; use {{ phone.member_services }} [fact-typed]\n"
		"note: '1-800-464-4000' is the value of fact 'phone.member_services'; a fact is "
		"changed in one place, site.yaml\n"
		"2:24: error: footnote '[^nope]' is not defined [footnote]\n"
		"note: add a line '[^nope]: the note' at the end of the page\n");
}

static void test_vanity_typed(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Call 1-855-GO4CARE (1-855-464-2273) now.\n"), 0);
	assert_string_equal(HTML(f),
		"<p>Call <a class=\"tel\" href=\"tel:18554642273\">1-855-GO4CARE (1-855-464-2273)</a> now.</p>\n");
	assert_string_equal(DIAGS(f), "");

	assert_int_equal(render(f, "Text.\n\nCall **1-833-KP4CAR (1-833-574-2273)** now.\n"), -1);
	assert_string_equal(DIAGS(f),
		"3:8: warning: phone number typed by hand; use {{ phone.appointments }} [fact-typed]\n"
		"note: '1-833-KP4CAR (1-833-574-2273)' is the value of fact 'phone.appointments'; "
		"a fact is changed in one place, site.yaml\n"
		"3:8: error: vanity number '1-833-KP4CAR (1-833-574-2273)' spells 574-227 but its "
		"digits are 574-2273 [phone-vanity]\n"
		"note: fix the letters or the digits; on a phone keypad ABC=2 DEF=3 GHI=4 JKL=5 "
		"MNO=6 PQRS=7 TUV=8 WXYZ=9\n");
}

static void test_vanity_fact_mismatch(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Call {{ phone.bad_vanity }}.\n"), -1);
	assert_string_equal(DIAGS(f),
		"1:6: error: vanity number '1-833-KP4CAR (1-833-574-2273)' in fact "
		"'phone.bad_vanity' spells 574-227 but its digits are 574-2273 [phone-vanity]\n"
		"note: fix the fact in site.yaml; on a phone keypad ABC=2 DEF=3 GHI=4 JKL=5 MNO=6 "
		"PQRS=7 TUV=8 WXYZ=9\n");
}

static void test_no_phone_links_in_links_code_dates(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "[Call 1-212-555-0100](tel:12125550100), `212-555-0100`, "
				   "2026-11-24, https://x.org/212-555-0100.\n"), 0);
	assert_string_equal(HTML(f),
		"<p><a href=\"tel:12125550100\">Call 1-212-555-0100</a>, <code>212-555-0100</code>, "
		"2026-11-24, <a href=\"https://x.org/212-555-0100\">https://x.org/212-555-0100</a>.</p>\n");
}

/* ---- links and images ------------------------------------------------------- */

static void test_links(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "[a](urgent-care.md#when \"Title\"), [b](#when), "
				   "[c](mailto:x@example.org), [d](https://example.org/a b), "
				   "[e](<ways-to-get-care.md>).\n"), 0);
	assert_string_equal(HTML(f),
		"<p><a href=\"/en/urgent-care/#when\" title=\"Title\">a</a>, "
		"<a href=\"/en/#when\">b</a>, <a href=\"mailto:x@example.org\">c</a>, "
		"[d](<a href=\"https://example.org/a\">https://example.org/a</a> b), "
		"<a href=\"/en/ways-to-get-care/\">e</a>.</p>\n");
}

static void test_unsafe_and_missing_links(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 2;
	assert_int_equal(render(f, "Click [here](javascript:alert(1)) or\n"
				   "<JavaScript:alert(2)> or [x](missing.md) or ![a map](data:image/png;base64,AA).\n"), -1);
	assert_string_equal(DIAGS(f),
		"3:7: error: unsafe URL scheme in link 'javascript:alert(1)' [url-unsafe]\n"
		"note: use an http:, https:, mailto: or tel: URL, or a page of this site "
		"('urgent-care.md')\n"
		"4:1: error: unsafe URL scheme in link 'JavaScript:alert(2)' [url-unsafe]\n"
		"note: use an http:, https:, mailto: or tel: URL, or a page of this site "
		"('urgent-care.md')\n"
		"4:26: error: no page 'missing.md' [link-page]\n"
		"4:45: error: unsafe URL scheme in image 'data:image/png;base64,AA' [url-unsafe]\n"
		"note: use an http:, https:, mailto: or tel: URL, or a page of this site "
		"('urgent-care.md')\n");
	/* Nothing unsafe reaches an attribute. */
	assert_string_equal(HTML(f), "<p>Click <a href=\"\">here</a> or\n"
				     "<a href=\"\">JavaScript:alert(2)</a> or <a href=\"\">x</a> or "
				     "<img src=\"\" alt=\"a map\" />.</p>\n");
}

static void test_image_alt(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "![A nurse on a video call](img/nurse.jpg \"Video visit\")\n"), 0);
	assert_string_equal(HTML(f),
		"<p><img src=\"/en/img/nurse.jpg\" alt=\"A nurse on a video call\" "
		"title=\"Video visit\" /></p>\n");
	assert_int_equal(render(f, "![](photo.jpg) and ![photo.jpg](photo.jpg) and "
				   "![IMG_0042.JPEG](https://x.org/a.png)\n"), -1);
	assert_string_equal(DIAGS(f),
		"1:1: error: image 'photo.jpg' has no alt text [image-alt]\n"
		"note: describe what it shows: '![a nurse on a video call](photo.jpg)'\n"
		"1:20: error: alt text 'photo.jpg' is a file name [image-alt]\n"
		"note: describe what the image shows, for people who cannot see it\n"
		"1:48: error: alt text 'IMG_0042.JPEG' is a file name [image-alt]\n"
		"note: describe what the image shows, for people who cannot see it\n");
}

/* ---- headings --------------------------------------------------------------- */

static void test_heading_ids(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 5;
	assert_int_equal(render(f, "## Cómo empezar\n\n### ¿Necesita ayuda técnica?\n\n"
				   "## Cómo empezar\n\n## Cómo empezar\n\n## ¿?\n\n"
				   "## Footnotes label\n\n## Call {{ phone.tty }}\n"), 0);
	assert_string_equal(HTML(f),
		"<h2 id=\"como-empezar\">Cómo empezar</h2>\n"
		"<h3 id=\"necesita-ayuda-tecnica\">¿Necesita ayuda técnica?</h3>\n"
		"<h2 id=\"como-empezar-2\">Cómo empezar</h2>\n"
		"<h2 id=\"como-empezar-3\">Cómo empezar</h2>\n"
		"<h2 id=\"section\">¿?</h2>\n"
		"<h2 id=\"section-footnotes-label\">Footnotes label</h2>\n"
		"<h2 id=\"call-711\">Call <a class=\"tel\" href=\"tel:711\">711</a></h2>\n");
	assert_int_equal(f->r.n_headings, 7);
	assert_int_equal(f->r.headings[1].level, 3);
	assert_string_equal(f->r.headings[1].id, "necesita-ayuda-tecnica");
	assert_string_equal(f->r.headings[1].text, "¿Necesita ayuda técnica?");
	assert_int_equal(f->r.headings[1].line, 8);
	assert_string_equal(f->r.headings[6].text, "Call 711");
	assert_string_equal(DIAGS(f), "");
}

static void test_heading_h1_and_skips(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 4;
	assert_int_equal(render(f, "### Too deep first\n\n# Title again\n\n## Fine\n\n#### Skipped\n"), -1);
	assert_string_equal(DIAGS(f),
		"5:1: error: heading 'Too deep first' skips a level (h3 after h1) [heading-skip]\n"
		"note: use '##' here; the page title is the h1\n"
		"7:1: error: level-1 heading 'Title again' in the body [heading-h1]\n"
		"note: the page title (front matter 'title:') is the only h1; start sections with '##'\n"
		"11:1: error: heading 'Skipped' skips a level (h4 after h2) [heading-skip]\n"
		"note: use '###' here\n");
}

/* ---- tables ----------------------------------------------------------------- */

static void test_table_caption_and_row_headers(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "Table: What you *need*\n\n"
				   "| | Phone | Computer |\n| --- | :-: | --: |\n"
				   "| Connection | 4 bars | Wi-Fi |\n| Help | {{ phone.tty }} | |\n"), 0);
	assert_string_equal(HTML(f),
		"<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-1\"><table>\n"
		"<caption id=\"table-1\">What you <em>need</em></caption>\n"
		"<thead>\n<tr>\n<td></td>\n"
		"<th scope=\"col\" class=\"align-center\">Phone</th>\n"
		"<th scope=\"col\" class=\"align-right\">Computer</th>\n"
		"</tr>\n</thead>\n<tbody>\n"
		"<tr>\n<th scope=\"row\">Connection</th>\n"
		"<td class=\"align-center\">4 bars</td>\n<td class=\"align-right\">Wi-Fi</td>\n</tr>\n"
		"<tr>\n<th scope=\"row\">Help</th>\n"
		"<td class=\"align-center\"><a class=\"tel\" href=\"tel:711\">711</a></td>\n"
		"<td class=\"align-right\"></td>\n</tr>\n"
		"</tbody>\n</table></div>\n");
	assert_string_equal(DIAGS(f), "");
}

static void test_table_column_headers_only(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "## Table 1\n\nTable: Hours\n| Day | Open |\n| --- | --- |\n| Mon | 7 |\n"), 0);
	assert_string_equal(HTML(f),
		"<h2 id=\"table-1\">Table 1</h2>\n"
		"<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-2\"><table>\n"
		"<caption id=\"table-2\">Hours</caption>\n"
		"<thead>\n<tr>\n<th scope=\"col\">Day</th>\n<th scope=\"col\">Open</th>\n</tr>\n</thead>\n"
		"<tbody>\n<tr>\n<td>Mon</td>\n<td>7</td>\n</tr>\n</tbody>\n</table></div>\n");
}

static void test_table_named_by_its_heading(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "## Phone numbers\n\n| Service | Phone |\n| --- | --- |\n| Help | 711 |\n"), 0);
	assert_string_equal(HTML(f),
		"<h2 id=\"phone-numbers\">Phone numbers</h2>\n"
		"<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"phone-numbers\">"
		"<table aria-labelledby=\"phone-numbers\">\n"
		"<thead>\n<tr>\n<th scope=\"col\">Service</th>\n<th scope=\"col\">Phone</th>\n</tr>\n</thead>\n"
		"<tbody>\n<tr>\n<td>Help</td>\n<td>711</td>\n</tr>\n</tbody>\n</table></div>\n");
	assert_string_equal(DIAGS(f), "");
}

static void test_table_without_caption(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 1;
	assert_int_equal(render(f, "Intro.\n\n| A | B |\n| - | - |\n| 1 | 2 |\n\nTable:\n\n| | |\n| - | - |\n"), -1);
	assert_string_equal(DIAGS(f),
		"4:1: error: table without a caption [table]\n"
		"note: add a 'Table: \xE2\x80\xA6' line before it, or a heading above it\n"
		"8:1: error: empty table caption 'Table:' [table]\n"
		"note: say what the table shows: 'Table: Ways to get care'\n"
		"10:1: error: table without header cells [table]\n"
		"note: name each column in the table's first row\n");
}

/* ---- callouts and care cards ------------------------------------------------ */

static void test_callouts(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "> [!NOTE]\n> Bring your card.\n\n> [!warning] Call {{ phone.tty }}.\n>\n> More.\n"), 0);
	assert_string_equal(HTML(f),
		"<aside class=\"callout callout-note\" aria-label=\"Note\">\n"
		"<p class=\"callout-label\" aria-hidden=\"true\">Note</p>\n"
		"<p>Bring your card.</p>\n"
		"</aside>\n"
		"<aside class=\"callout callout-warning\" aria-label=\"Warning\">\n"
		"<p class=\"callout-label\" aria-hidden=\"true\">Warning</p>\n"
		"<p>Call <a class=\"tel\" href=\"tel:711\">711</a>.</p>\n"
		"<p>More.</p>\n"
		"</aside>\n");
	assert_string_equal(DIAGS(f), "");
}

static void test_care_cards(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "> [!URGENT]\n> ## Urgent care\n> Within 48 hours.\n\n"
				   "> [!Emergency]\n> ## Emergency care\n"), 0);
	assert_string_equal(HTML(f),
		"<section class=\"care-card care-card-urgent\" aria-labelledby=\"urgent-care\">\n"
		"<p class=\"care-card-level\" aria-hidden=\"true\">Urgent</p>\n"
		"<h2 id=\"urgent-care\"><span class=\"visually-hidden\">Urgent: </span>Urgent care</h2>\n"
		"<p>Within 48 hours.</p>\n"
		"</section>\n"
		"<section class=\"care-card care-card-emergency\" aria-labelledby=\"emergency-care\">\n"
		"<p class=\"care-card-level\" aria-hidden=\"true\">Emergency</p>\n"
		"<h2 id=\"emergency-care\"><span class=\"visually-hidden\">Emergency: </span>Emergency care</h2>\n"
		"</section>\n");
	assert_int_equal(f->r.n_headings, 2);
	assert_string_equal(f->r.headings[0].text, "Urgent care");
}

static void test_callout_errors(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 10;
	assert_int_equal(render(f, "> [!TIP]\n> Hm.\n\n> [!NONURGENT]\n> No heading here.\n\n> [!] and [!NOTE]x stay quotes\n"), -1);
	assert_string_equal(DIAGS(f),
		"11:3: error: unknown callout '[!TIP]' [callout]\n"
		"note: use [!NOTE], [!WARNING], [!NONURGENT], [!URGENT] or [!EMERGENCY]\n"
		"14:3: error: care card '[!NONURGENT]' does not start with a heading [callout]\n"
		"note: put a heading on the line after the marker, as in '> ## Urgent care'\n");
	assert_contains(HTML(f), "<blockquote>\n<p>[!TIP]\nHm.</p>\n</blockquote>\n");
	assert_contains(HTML(f), "<blockquote>\n<p>[!] and [!NOTE]x stay quotes</p>\n</blockquote>\n");
}

static void test_missing_ui_string(void **state)
{
	struct fixture *f = *state;
	struct value *empty = value_new(&f->a, VALUE_MAP);
	f->env.strings = empty;
	f->env.lang = "es";
	assert_int_equal(render(f, "> [!NOTE]\n> a\n\n> [!NOTE]\n> b\n"), -1);
	assert_string_equal(DIAGS(f),
		"1:3: error: missing UI string 'note' for language 'es' [strings]\n"
		"note: add 'note:' to this language's strings.yaml\n");
}

/* ---- footnotes -------------------------------------------------------------- */

static void test_footnotes(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(render(f, "First[^b], second[^a], again[^b].\n\n"
				   "[^a]: Note A.\n[^b]: Note *B*.\n\n    > quoted\n"), 0);
	assert_string_equal(HTML(f),
		"<p>First<sup class=\"fnref\"><a href=\"#fn-1\" id=\"fnref-1\" "
		"aria-describedby=\"footnotes-label\">1</a></sup>, second<sup class=\"fnref\">"
		"<a href=\"#fn-2\" id=\"fnref-2\" aria-describedby=\"footnotes-label\">2</a></sup>, "
		"again<sup class=\"fnref\"><a href=\"#fn-1\" id=\"fnref-1-2\" "
		"aria-describedby=\"footnotes-label\">1</a></sup>.</p>\n"
		"<section class=\"footnotes\" aria-labelledby=\"footnotes-label\">\n"
		"<h2 id=\"footnotes-label\">Notes</h2>\n<ol>\n"
		"<li id=\"fn-1\">\n<p>Note <em>B</em>.</p>\n"
		"<blockquote>\n<p>quoted</p>\n</blockquote>\n"
		"<p><a href=\"#fnref-1\" class=\"fnback\" aria-label=\"Back to reference 1\">"
		"\xE2\x86\xA9</a></p>\n</li>\n"
		"<li id=\"fn-2\">\n<p>Note A. <a href=\"#fnref-2\" class=\"fnback\" "
		"aria-label=\"Back to reference 2\">\xE2\x86\xA9</a></p>\n</li>\n"
		"</ol>\n</section>\n");
	assert_int_equal(f->r.n_footnotes, 2);
	assert_string_equal(DIAGS(f), "");
}

static void test_footnote_problems(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 7;
	assert_int_equal(render(f, "Text[^used] and [^nope].\n\n```\n[^code]: not a note\n```\n\n"
				   "[^used]: Used.\n[^Spare]: Never referenced.\n> [^quoted]: Also unused.\n"), -1);
	assert_string_equal(DIAGS(f),
		"8:17: error: footnote '[^nope]' is not defined [footnote]\n"
		"note: add a line '[^nope]: the note' at the end of the page\n"
		"15:1: warning: footnote '[^Spare]' is never referenced [footnote]\n"
		"note: refer to it with '[^Spare]' in the text, or delete it\n"
		"16:3: warning: footnote '[^quoted]' is never referenced [footnote]\n"
		"note: refer to it with '[^quoted]' in the text, or delete it\n");
	assert_int_equal(f->r.n_footnotes, 1);
}

/* ---- hostile input ---------------------------------------------------------- */

static void test_deep_nesting(void **state)
{
	struct fixture *f = *state;
	enum { DEPTH = 10000 };
	char *body = malloc(3 * DEPTH + 200 * 404 + 16), *p = body;
	clock_t t0 = clock();
	int i;
	for (i = 0; i < DEPTH; i++) {
		*p++ = '>';
		*p++ = ' ';
	}
	strcpy(p, "deep\n");
	f->env.line_offset = 3;
	assert_int_equal(render(f, body), -1);
	assert_string_equal(DIAGS(f),
		"4:65: error: Markdown nested more than 32 levels deep [nesting]\n"
		"note: flatten the block quotes, lists or emphasis; a care guide needs a few "
		"levels at most\n");
	assert_string_equal(HTML(f), "");

	/* Lists nested on many lines, and emphasis: refused the same way. */
	p = body;
	for (i = 0; i < 200; i++) {
		memset(p, ' ', (size_t)i * 2);
		p += i * 2;
		memcpy(p, "- x\n", 4);
		p += 4;
	}
	*p = '\0';
	assert_int_equal(render(f, body), -1);
	assert_contains(DIAGS(f), "[nesting]");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(body);
}

/* ---- parallel rendering ----------------------------------------------------- */

static const char parallel_body[] =
	"## Día uno ~~viejo~~\n\nVisit www.example.org or https://x.org/a ~~now~~ "
	"{{ url.kp_org }}, call {{ phone.appointments }} or 1-212-555-0100.[^n]\n\n"
	"Table: T\n\n| | a ~~b~~ |\n| - | - |\n| r | https://y.org |\n\n"
	"> [!NOTE]\n> ## Ünïcödé heading\n\n[^n]: Note with www.example.com.\n";

/* Enough renders that, without the parse lock in markdown.c, the threads
 * almost always see each other's changes to cmark-gfm's global table. */
#define PARALLEL_REPS 200

struct job {
	struct fixture *base;
	char *html[PARALLEL_REPS];
	int rc;
};

static void *render_many(void *p)
{
	struct job *job = p;
	size_t i;
	for (i = 0; i < PARALLEL_REPS; i++) {
		struct arena a = ARENA_INIT;
		struct diags d = { 0 };
		struct md_result r;
		if (markdown_render(parallel_body, strlen(parallel_body), &job->base->env, &a, &r, &d))
			job->rc = -1;
		job->html[i] = strdup(r.html);
		diags_release(&d);
		arena_release(&a);
	}
	return NULL;
}

static void test_parallel_rendering_is_identical(void **state)
{
	struct fixture *f = *state;
	struct job jobs[2];
	pthread_t th[2];
	size_t i, j;
	assert_int_equal(render(f, parallel_body), 0);
	/* Strikethrough is not GFM here: it stays as typed (see md_autolink.c). */
	assert_contains(HTML(f), "~~now~~");
	assert_contains(HTML(f), "<a href=\"https://y.org\">https://y.org</a>");
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < 2; i++) {
		jobs[i].base = f;
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(jobs[i].rc, 0);
		for (j = 0; j < PARALLEL_REPS; j++) {
			assert_string_equal(jobs[i].html[j], HTML(f));
			free(jobs[i].html[j]);
		}
	}
}

static int reset(void **state)
{
	struct fixture *f = *state;
	f->env.line_offset = 0;
	f->env.lang = "en";
	f->env.strings = f->strings;
	return 0;
}

#define T(fn) cmocka_unit_test_setup(fn, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ordinary_markdown),
		T(test_loose_list_and_autolink),
		T(test_visible_text),
		T(test_char_refs_to_controls_refused),
		T(test_char_ref_in_link_definition),
		T(test_raw_html_is_an_error),
		T(test_facts_become_text),
		T(test_fact_unknown_with_line_offset),
		T(test_fact_column_after_escapes_and_inline_markup),
		T(test_fact_split_across_nodes),
		T(test_fact_braces_problems),
		T(test_fact_url_becomes_link),
		T(test_fact_not_in_code),
		T(test_phone_facts_are_tel_links),
		T(test_typed_numbers),
		T(test_positions_after_a_fact),
		T(test_vanity_typed),
		T(test_vanity_fact_mismatch),
		T(test_no_phone_links_in_links_code_dates),
		T(test_links),
		T(test_unsafe_and_missing_links),
		T(test_image_alt),
		T(test_heading_ids),
		T(test_heading_h1_and_skips),
		T(test_table_caption_and_row_headers),
		T(test_table_column_headers_only),
		T(test_table_named_by_its_heading),
		T(test_table_without_caption),
		T(test_callouts),
		T(test_care_cards),
		T(test_callout_errors),
		T(test_missing_ui_string),
		T(test_footnotes),
		T(test_footnote_problems),
		T(test_deep_nesting),
		T(test_parallel_rendering_is_identical),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	slug_thread_release();
	u_cleanup();  /* ICU's transliterator registry, so that leak checkers see none */
	return rc;
}
