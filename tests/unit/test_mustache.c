/* test_mustache.c - what a carepress user notices of the template engine
 * beyond the Mustache spec (tests/mustache_spec.c runs that): where syntax
 * errors point, missing partials, runaway recursion, strict variables,
 * escaping, layouts, and rendering from several threads at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "value.h"

/* Adds src as template name (path "templates/<name>.mustache"). */
static int add(struct mustache *m, const char *name, const char *src, struct diags *d)
{
	char path[128];
	snprintf(path, sizeof(path), "templates/%s.mustache", name);
	return mustache_add(m, name, path, src, strlen(src), d);
}

static const struct value *yaml(struct arena *a, const char *text)
{
	struct diags d = { 0 };
	struct value *v = NULL;
	assert_int_equal(value_parse_yaml(text, strlen(text), "test.yaml", 0, a, &v, &d), 0);
	diags_release(&d);
	return v;
}

/* Parses src alone and expects exactly one syntax error at line:col. */
static void expect_syntax_error(const char *src, int line, int col, const char *words)
{
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	assert_int_equal(add(m, "page", src, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].rule, RULE_TEMPLATE_SYNTAX);
	assert_int_equal(d.v[0].severity, SEV_ERROR);
	assert_string_equal(d.v[0].file, "templates/page.mustache");
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	assert_non_null(strstr(d.v[0].message, words));
	diags_release(&d);
	mustache_free(m);
}

static void test_unclosed_section(void **state)
{
	(void)state;
	expect_syntax_error("<main>\n\n    {{#a}}\n  text\n</main>\n", 3, 5, "unclosed section 'a'");
	expect_syntax_error("{{$title}}x", 1, 1, "unclosed block 'title'");
}

static void test_mismatched_close(void **state)
{
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	(void)state;
	expect_syntax_error("{{#a}}\n  {{/b}}\n", 2, 3, "'b' does not match the open section 'a'");
	expect_syntax_error("x\n{{/a}}", 2, 1, "has no open section");
	assert_int_equal(add(m, "page", "{{#a}}\n  {{/b}}\n", &d), -1);
	assert_non_null(d.v[0].note);
	assert_non_null(strstr(d.v[0].note, "line 1, column 1"));
	diags_release(&d);
	mustache_free(m);
}

static void test_unclosed_tag(void **state)
{
	(void)state;
	/* Reported where the tag starts, not at a later "}}". */
	expect_syntax_error("<p>Hello {{name</p>\n<p>{{x}}</p>\n", 1, 10, "unclosed tag");
	expect_syntax_error("a {{{raw}}\n", 1, 3, "'}}}'");
	expect_syntax_error("ok\n\n{{! never closed\n", 3, 1, "unclosed comment");
	expect_syntax_error("{{ }}", 1, 1, "empty tag");
	expect_syntax_error("\t{{page title}}", 1, 2, "contains a space");
}

static void test_bad_delimiter(void **state)
{
	(void)state;
	expect_syntax_error("ok\n{{=<% =}}\n", 2, 1, "bad delimiter change");
	expect_syntax_error("{{=<% %>}}", 1, 1, "end with '='");
	/* After a good change, errors use the new delimiters' positions. */
	expect_syntax_error("{{=<% %>=}}\n<%#a%>\n", 2, 1, "unclosed section");
}

static void test_nesting_limit(void **state)
{
	struct buf src = BUF_INIT;
	int i;
	(void)state;
	for (i = 0; i < 10000; i++)
		buf_adds(&src, "{{#a}}");
	/* The 33rd level is refused, at its own column. */
	expect_syntax_error(src.ptr, 1, 32 * 6 + 1, "nested deeper than 32");
	buf_release(&src);
}

static void test_check_missing_partial(void **state)
{
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	(void)state;
	assert_int_equal(add(m, "page", "<body>\n  {{> partials/heder}}\n{{>partials/heder}}\n"
				    "{{<layouts/none}}{{/layouts/none}}\n", &d), 0);
	assert_int_equal(add(m, "partials/header", "<header></header>\n", &d), 0);
	assert_int_equal(mustache_check(m, &d), -1);
	/* One error per missing name, at its first tag. */
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[0].rule, RULE_TEMPLATE_PARTIAL);
	assert_string_equal(d.v[0].file, "templates/page.mustache");
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 3);
	assert_string_equal(d.v[0].message, "partial 'partials/heder' not found");
	assert_string_equal(d.v[0].note, "did you mean 'partials/header'?");
	assert_int_equal(d.v[1].line, 4);
	assert_string_equal(d.v[1].message, "parent 'layouts/none' not found");
	diags_release(&d);
	mustache_free(m);
}

static void test_check_ok_and_broken_partial(void **state)
{
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	(void)state;
	assert_int_equal(add(m, "page", "[{{>header}}]", &d), 0);
	/* A partial with a syntax error is reported once, not also as missing,
	 * and renders as empty. */
	assert_int_equal(add(m, "header", "{{#open}}", &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(mustache_check(m, &d), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(mustache_render(m, "page", NULL, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "[]");
	buf_release(&out);
	diags_release(&d);
	mustache_free(m);
}

static void test_duplicate_name(void **state)
{
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	(void)state;
	/* templates/footer and templates/partials/footer are both "footer". */
	assert_int_equal(mustache_add(m, "footer", "templates/footer.mustache", "one", 3, &d), 0);
	assert_int_equal(mustache_add(m, "footer", "templates/partials/footer.mustache", "two", 3,
				      &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].rule, RULE_TEMPLATE_PARTIAL);
	assert_string_equal(d.v[0].file, "templates/partials/footer.mustache");
	assert_string_equal(d.v[0].note, "the first is 'templates/footer.mustache'; rename one of them");
	assert_int_equal(mustache_render(m, "footer", NULL, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "one");
	buf_release(&out);
	diags_release(&d);
	mustache_free(m);
}

static void test_self_including_partial(void **state)
{
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	(void)state;
	assert_int_equal(add(m, "loop", "x{{>loop}}{{>loop}}", &d), 0);
	assert_int_equal(add(m, "a", "{{<b}}{{/b}}", &d), 0);
	assert_int_equal(add(m, "b", "\n  {{>a}}", &d), 0);
	assert_int_equal(mustache_check(m, &d), 0);
	/* Stops at the limit instead of overflowing the stack, and stops at
	 * once: the second {{>loop}} must not retry 2^64 times. */
	assert_int_equal(mustache_render(m, "loop", NULL, 0, &out, &d), -1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].rule, RULE_TEMPLATE_RECURSION);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 2);
	assert_non_null(strstr(d.v[0].message, "partial 'loop' includes itself"));
	/* Through a parent and another partial. */
	assert_int_equal(mustache_render(m, "a", NULL, 0, &out, &d), -1);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.v[1].rule, RULE_TEMPLATE_RECURSION);
	assert_string_equal(d.v[1].file, "templates/a.mustache");
	assert_int_equal(d.v[1].line, 1);
	assert_int_equal(d.v[1].col, 1);
	assert_string_equal(d.v[1].message, "parent 'b' includes itself (nested more than 64 deep)");
	buf_release(&out);
	diags_release(&d);
	mustache_free(m);
}

static void test_recursion_over_data_is_fine(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	/* The leaf needs its own empty "kids": a name missing from a map is
	 * looked up in the enclosing contexts (spec), which would recurse. */
	const struct value *ctx = yaml(&a, "name: 1\nkids:\n- name: 2\n  kids:\n"
					   "  - {name: 3, kids: []}\n");
	(void)state;
	assert_int_equal(add(m, "tree", "({{name}}{{#kids}}{{>tree}}{{/kids}})", &d), 0);
	assert_int_equal(mustache_render(m, "tree", ctx, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "(1(2(3)))");
	assert_int_equal(d.n, 0);
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
}

/* A made list: each item is built when its section renders and released
 * after; the same list may be iterated inside itself. */
static const struct value *make_number(void *ctx, size_t i, struct arena *a)
{
	struct value *v = value_new(a, VALUE_MAP);
	(*(size_t *)ctx)++;
	value_map_set_string(a, v, "n", arena_printf(a, "%zu", i + 1));
	return v;
}

static void test_made_list(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	size_t made = 0;
	struct value *ctx = value_new(&a, VALUE_MAP);
	(void)state;
	value_map_set(&a, ctx, "list", value_new_made_list(&a, 3, make_number, &made));
	value_map_set(&a, ctx, "none", value_new_made_list(&a, 0, make_number, &made));
	assert_int_equal(add(m, "t", "{{#list}}{{n}}[{{#list}}{{n}}{{/list}}]{{/list}}"
				     "{{^none}}-{{/none}}{{#none}}x{{/none}}", &d), 0);
	assert_int_equal(mustache_render(m, "t", ctx, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "1[123]2[123]3[123]-");
	assert_int_equal(made, 12);
	assert_int_equal(d.n, 0);
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
}

struct pieces {
	struct buf all;
	size_t n, last_len;
};

/* A piece before this one was at least MUSTACHE_PIECE bytes. */
static void collect(void *ctx, const char *data, size_t len)
{
	struct pieces *p = ctx;
	assert_true(len > 0);
	if (p->n)
		assert_true(p->last_len >= MUSTACHE_PIECE && p->last_len < 2 * MUSTACHE_PIECE);
	buf_add(&p->all, data, len);
	p->n++;
	p->last_len = len;
}

/* Output given in pieces is the output given whole, byte for byte, even
 * where a piece ends just before a partial's indentation; every piece but
 * the last is about MUSTACHE_PIECE bytes. */
static void test_render_in_pieces(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf whole = BUF_INIT;
	struct pieces pieces = { BUF_INIT, 0, 0 };
	size_t made = 0, n_items = 3 * MUSTACHE_PIECE / 10;
	struct value *ctx = value_new(&a, VALUE_MAP);
	(void)state;
	value_map_set(&a, ctx, "list", value_new_made_list(&a, n_items, make_number, &made));
	assert_int_equal(add(m, "item", "<li>{{n}}</li>\n", &d), 0);
	assert_int_equal(add(m, "t", "<ul>\n{{#list}}\n  {{> item}}\n{{/list}}\n</ul>\n", &d), 0);
	assert_int_equal(mustache_render(m, "t", ctx, 1, &whole, &d), 0);
	assert_true(whole.len > 2 * MUSTACHE_PIECE);
	assert_int_equal(mustache_render_to(m, "t", ctx, 1, collect, &pieces, &d), 0);
	assert_true(pieces.n >= 3);
	assert_int_equal(pieces.all.len, whole.len);
	assert_memory_equal(pieces.all.ptr, whole.ptr, whole.len);
	assert_int_equal(d.n, 0);
	buf_release(&whole);
	buf_release(&pieces.all);
	mustache_free(m);
	arena_release(&a);
}

static void test_strict_variables(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	const struct value *ctx = yaml(&a, "user: {}\nitems: [1, 2, 3]\nnothing: ~\nlist: [a]\n");
	(void)state;
	assert_int_equal(add(m, "page", "Hi {{user.name}}!{{nothing}}\n"
				    "{{#items}}{{nope}}{{/items}}{{#missing}}{{x}}{{/missing}}\n"
				    "{{^missing}}ok{{/missing}} {{list}}", &d), 0);
	/* Not strict: the spec's empty string, no diagnostics. */
	assert_int_equal(mustache_render(m, "page", ctx, 0, &out, &d), 0);
	assert_string_equal(out.ptr, "Hi !\n\nok ");
	assert_int_equal(d.n, 0);
	/* Strict: each unknown name once, at its tag (not once per item); a
	 * null is known, and a section over a missing name is a test. */
	buf_reset(&out);
	assert_int_equal(mustache_render(m, "page", ctx, 1, &out, &d), -1);
	assert_string_equal(out.ptr, "Hi !\n\nok ");
	assert_int_equal(d.n, 3);
	assert_int_equal(d.v[0].rule, RULE_TEMPLATE_VARIABLE);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 4);
	assert_string_equal(d.v[0].message, "unknown variable 'user.name'");
	assert_int_equal(d.v[1].line, 2);
	assert_int_equal(d.v[1].col, 11);
	assert_string_equal(d.v[1].message, "unknown variable 'nope'");
	assert_int_equal(d.v[2].line, 3);
	assert_string_equal(d.v[2].message, "variable 'list' is a list, not text");
	buf_release(&out);
	diags_release(&d);
	mustache_free(m);
	arena_release(&a);
}

static void test_html_escaping(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	const struct value *ctx = yaml(&a, "s: <script>\"'&\n");
	(void)state;
	assert_int_equal(add(m, "page", "<p title=\"{{s}}\">{{s}}</p>{{{s}}}{{&s}}", &d), 0);
	assert_int_equal(mustache_render(m, "page", ctx, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "<p title=\"&lt;script&gt;&quot;&#39;&amp;\">"
				     "&lt;script&gt;&quot;&#39;&amp;</p><script>\"'&<script>\"'&");
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
}

static void test_scalars(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	const struct value *ctx = yaml(&a, "n: 85\nf: 1.210\nzip: 02139\nyes: true\nno: false\n"
					   "big: 1e21\ntty: '711'\n");
	(void)state;
	assert_int_equal(add(m, "page", "{{n}} {{f}} {{zip}} {{yes}} {{no}} {{big}} {{tty}}", &d), 0);
	/* Appends: what the buffer held is kept. */
	buf_adds(&out, "> ");
	assert_int_equal(mustache_render(m, "page", ctx, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "> 85 1.21 02139 true false 1e+21 711");
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
}

static void test_layout(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	const struct value *ctx = yaml(&a, "title: Urgent care\nlang: en\n");
	(void)state;
	assert_int_equal(add(m, "base", "<html lang=\"{{lang}}\">\n"
				    "  {{>header}}\n"
				    "  <main>\n"
				    "    {{$content}}\n"
				    "    <p>No content.</p>\n"
				    "    {{/content}}\n"
				    "  </main>\n"
				    "</html>\n", &d), 0);
	assert_int_equal(add(m, "header", "<header>\n  <h1>{{$title}}Care{{/title}}</h1>\n"
				    "</header>\n", &d), 0);
	assert_int_equal(add(m, "page", "{{<base}}\n"
				    "  {{$title}}{{title}}{{/title}}\n"
				    "  {{$content}}\n"
				    "  <h2>When to go</h2>\n"
				    "  <p>Today.</p>\n"
				    "  {{/content}}\n"
				    "{{/base}}\n", &d), 0);
	assert_int_equal(mustache_check(m, &d), 0);
	/* Blocks reach into the partial the layout includes, and the page's
	 * content takes the indentation of the layout's block. */
	assert_int_equal(mustache_render(m, "page", ctx, 1, &out, &d), 0);
	assert_string_equal(out.ptr, "<html lang=\"en\">\n"
				     "  <header>\n"
				     "    <h1>Urgent care</h1>\n"
				     "  </header>\n"
				     "  <main>\n"
				     "    <h2>When to go</h2>\n"
				     "    <p>Today.</p>\n"
				     "  </main>\n"
				     "</html>\n");
	assert_int_equal(d.n, 0);
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
}

struct job {
	const struct mustache *m;
	const struct value *ctx;
	struct buf out;
	int ret;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	struct diags d = { 0 };
	int i;
	for (i = 0; i < 200 && !j->ret; i++) {
		buf_reset(&j->out);
		j->ret = mustache_render(j->m, "page", j->ctx, 1, &j->out, &d);
	}
	j->ret |= d.n != 0;
	diags_release(&d);
	return NULL;
}

static void test_threads(void **state)
{
	struct arena a = ARENA_INIT;
	struct mustache *m = mustache_new();
	struct diags d = { 0 };
	struct buf want = BUF_INIT;
	struct job jobs[2];
	pthread_t th[2];
	const struct value *ctx = yaml(&a, "items:\n- {name: a, n: 1.5}\n- {name: '<b>', n: 2}\n"
					   "title: T\n");
	int i;
	(void)state;
	assert_int_equal(add(m, "page", "{{<base}}{{$body}}\n"
				    "  {{#items}}\n"
				    "  {{>item}}\n"
				    "  {{/items}}\n"
				    "{{/body}}{{/base}}", &d), 0);
	assert_int_equal(add(m, "base", "<h1>{{title}}</h1>\n<ul>\n  {{$body}}\n  {{/body}}\n</ul>\n",
			     &d), 0);
	assert_int_equal(add(m, "item", "<li>{{name}}\n  {{n}}</li>\n", &d), 0);
	assert_int_equal(mustache_render(m, "page", ctx, 1, &want, &d), 0);
	assert_string_equal(want.ptr, "<h1>T</h1>\n<ul>\n  <li>a\n    1.5</li>\n"
				      "  <li>&lt;b&gt;\n    2</li>\n</ul>\n");
	for (i = 0; i < 2; i++) {
		jobs[i].m = m;
		jobs[i].ctx = ctx;
		buf_init(&jobs[i].out, 0);
		jobs[i].ret = 0;
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].ret, 0);
		assert_string_equal(jobs[i].out.ptr, want.ptr);
		buf_release(&jobs[i].out);
	}
	buf_release(&want);
	mustache_free(m);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unclosed_section),
		cmocka_unit_test(test_mismatched_close),
		cmocka_unit_test(test_unclosed_tag),
		cmocka_unit_test(test_bad_delimiter),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_check_missing_partial),
		cmocka_unit_test(test_check_ok_and_broken_partial),
		cmocka_unit_test(test_duplicate_name),
		cmocka_unit_test(test_self_including_partial),
		cmocka_unit_test(test_recursion_over_data_is_fine),
		cmocka_unit_test(test_made_list),
		cmocka_unit_test(test_render_in_pieces),
		cmocka_unit_test(test_strict_variables),
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
