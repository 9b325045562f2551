/* fuzz_page.c - libFuzzer target for the page pipeline: arbitrary bytes are
 * normalized like a content file (source_normalize), split from their front
 * matter when they have one (frontmatter_parse), and the body goes through
 * markdown_render (every pass: raw HTML, callouts, facts, phone numbers,
 * links, headings, tables, footnotes, HTML) with a small fixed environment:
 * a few facts, UI strings, and a resolve_link that knows the pages "x.md"
 * and "about.md". When gen/lint.c exists (FUZZ_LINT), the HTML is wrapped
 * in a page and linted too, and must be well-formed. The first byte picks
 * the mode: which callbacks and UI strings exist, and the brochure's id
 * prefix and heading shift. Nothing may crash, leak or trip a sanitizer;
 * the result's invariants are checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "markdown.h"
#include "source.h"
#include "value.h"
#ifdef FUZZ_LINT
#include "lint.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fact_names[] = {
	"phone.main", "phone.tty", "phone.kp", "url.portal", "org", "greeting", "hours.main",
};
static const char *const fact_values[] = {
	"1-800-555-0100", "711", "1-833-KP4CARE (1-833-574-2273)", "https://portal.example.org/",
	"Example Health", "Example Health welcomes you", "Monday to Friday, 8 a.m. to 5 p.m.",
};
static const char *const string_keys[] = {
	"note", "warning", "nonurgent", "urgent", "emergency", "footnotes", "footnote_back",
};

static const char *fact(void *ctx, const char *name)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < sizeof(fact_names) / sizeof(*fact_names); i++)
		if (!strcmp(name, fact_names[i]))
			return fact_values[i];
	return NULL;
}

static const char *fact_for_phone(void *ctx, const char *digits)
{
	(void)ctx;
	if (!strcmp(digits, "18005550100"))
		return "phone.main";
	if (!strcmp(digits, "18335742273"))
		return "phone.kp";
	return NULL;
}

/* Knows "x.md" and "about.md" (with any anchor) and in-page anchors. */
static int resolve_link(void *ctx, const char *dest, int line, int col, struct buf *href,
			struct diags *d)
{
	const char *hash = strchr(dest, '#');
	size_t n = hash ? (size_t)(hash - dest) : strlen(dest);
	(void)ctx;
	if (n == 0 || (n == 4 && !memcmp(dest, "x.md", 4)) ||
	    (n == 8 && !memcmp(dest, "about.md", 8))) {
		buf_adds(href, n ? "/en/x/" : "");
		if (hash)
			buf_adds(href, hash);
		return 0;
	}
	diag(d, RULE_LINK_PAGE, "fuzz.md", line, col, "link to a page that does not exist: '%s'",
	     dest);
	return -1;
}

#ifdef FUZZ_LINT
static struct linter *linter;

static void lint(const struct md_result *r, const char *body, size_t body_len, int body_line,
		 struct diags *d)
{
	static const char *const vague[] = { "click here", "here", "more" };
	static const char head[] = "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\"><head>"
		"<meta charset=\"utf-8\" /><title>T</title></head><body><main><h1>T</h1>\n";
	static const char tail[] = "</main></body></html>\n";
	struct buf page = BUF_INIT;
	struct lint_body b;
	struct lint_input in;
	if (!linter) {
		struct lint_lang l;
		memset(&l, 0, sizeof(l));
		l.tag = "en";
		l.vague = vague;
		l.n_vague = sizeof(vague) / sizeof(*vague);
		linter = linter_new(&l, 1);
	}
	buf_adds(&page, head);
	buf_add(&page, r->html, r->html_len);
	buf_adds(&page, tail);
	memset(&b, 0, sizeof(b));
	b.html = r->html;
	b.len = r->html_len;
	b.src_path = "fuzz.md";
	b.src_text = body;
	b.src_len = body_len;
	b.body_line = body_line;
	b.reported = 0;
	memset(&in, 0, sizeof(in));
	in.html = page.ptr;
	in.len = page.len;
	in.out_path = "en/x/index.html";
	in.template_path = "templates/page.mustache";
	in.lang = "en";
	in.bodies = &b;
	in.n_bodies = 1;
	lint_page(linter, &in, d);
	buf_release(&page);
	/* The renderer escapes every byte it writes: its HTML, inside a
	 * well-formed page, must be well-formed whatever the Markdown was. */
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].rule == RULE_HTML) {
			fprintf(stderr, "fuzz_page: the body HTML is not well-formed: %s\n%.*s\n",
				d->v[i].message, (int)r->html_len, r->html);
			abort();
		}
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf text = BUF_INIT;
	struct arena a = ARENA_INIT;
	struct diags d = { 0 };
	struct md_env env;
	struct md_result r;
	struct page_meta m;
	struct value *strings;
	size_t i, body_offset = 0;
	int body_line = 0, mode = 0;

	if (size) {
		mode = data[0];
		data++;
		size--;
	}
	buf_add(&text, data, size);
	if (source_normalize("fuzz.md", &text, &d))
		goto out;
	/* A page with front matter renders its body; anything else renders whole. */
	if (frontmatter_parse("fuzz.md", text.ptr, text.len, &a, &m, &body_offset, &body_line,
			      &d)) {
		body_offset = 0;
		body_line = 0;
	}

	strings = value_new(&a, VALUE_MAP);
	for (i = 0; i < sizeof(string_keys) / sizeof(*string_keys); i++)
		if (!(mode & 0x80) || i % 2)  /* sometimes a string is missing */
			value_map_set_string(&a, strings, string_keys[i],
					     i == 6 ? "Back to reference {n}" : string_keys[i]);
	memset(&env, 0, sizeof(env));
	env.path = "fuzz.md";
	env.line_offset = body_line;
	env.lang = "en";
	env.strings = strings;
	env.fact = fact;
	env.fact_names = fact_names;
	env.n_facts = sizeof(fact_names) / sizeof(*fact_names);
	env.fact_for_phone = (mode & 1) ? fact_for_phone : NULL;
	env.resolve_link = (mode & 2) ? NULL : resolve_link;
	env.ctx = NULL;
	if (mode & 4) {
		env.id_prefix = "b1-";
		env.heading_shift = 1 + (mode >> 3 & 3);
	}

	markdown_render(text.ptr + body_offset, text.len - body_offset, &env, &a, &r, &d);
	/* The contract: results always filled, ids non-empty and unique. */
	if (!r.html || !r.text || r.html_len != strlen(r.html))
		abort();
	for (i = 0; i < r.n_headings; i++) {
		size_t j;
		if (!r.headings[i].id || !*r.headings[i].id)
			abort();
		for (j = 0; j < i; j++)
			if (!strcmp(r.headings[i].id, r.headings[j].id))
				abort();
	}
#ifdef FUZZ_LINT
	lint(&r, text.ptr + body_offset, text.len - body_offset, body_line, &d);
#endif
out:
	buf_release(&text);
	arena_release(&a);
	diags_release(&d);
	return 0;
}
