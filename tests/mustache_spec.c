/* mustache_spec.c - runs the official Mustache spec (every .yml file in DIR,
 * loaded with the project's own YAML reader) against gen/mustache.c. Prints
 * one line per failing test and then "N passed, N failed" (", N skipped"
 * when lambda tests were skipped: lambdas are not implemented). Exit 1 if
 * any failed, 2 if the files cannot be read. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "value.h"

struct counts {
	int passed, failed, skipped;
};

static int read_whole(const char *path, struct buf *out)
{
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	n = (size_t)ferror(fp);
	fclose(fp);
	return n ? -1 : 0;
}

/* Prints s as a C string literal, so that blanks and newlines show. */
static void print_quoted(const char *label, const char *s, size_t len)
{
	size_t i;
	printf("  %-10s\"", label);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	puts("\"");
}

static const char *scalar_text(const struct value *v, size_t *len)
{
	if (!v || v->type == VALUE_LIST || v->type == VALUE_MAP || !v->str)
		return NULL;
	*len = v->len;
	return v->str;
}

static void print_diags(const struct diags *d)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		printf("  diag:    %d:%d: %s [%s]\n", d->v[i].line, d->v[i].col, d->v[i].message,
		       rule_name[d->v[i].rule]);
}

static void run_test(const char *file, const struct value *test, struct counts *k)
{
	const struct value *name = value_map_get(test, "name");
	const struct value *data = value_map_get(test, "data");
	const struct value *partials = value_map_get(test, "partials");
	const char *tname = name && name->str ? name->str : "(unnamed)";
	const char *tmpl, *expected;
	size_t tlen = 0, elen = 0, i;
	struct mustache *m;
	struct diags d = { 0 };
	struct buf out = BUF_INIT;
	int ret = 0;

	if (value_map_get(data, "lambda")) {
		k->skipped++;
		return;
	}
	tmpl = scalar_text(value_map_get(test, "template"), &tlen);
	expected = scalar_text(value_map_get(test, "expected"), &elen);
	if (!tmpl || !expected) {
		printf("FAIL %s: %s\n  malformed test: no template or expected text\n", file, tname);
		k->failed++;
		return;
	}
	m = mustache_new();
	ret |= mustache_add(m, "__test__", file, tmpl, tlen, &d);
	for (i = 0; partials && partials->type == VALUE_MAP && i < partials->n; i++) {
		size_t plen = 0;
		const char *ptext = scalar_text(partials->items[i], &plen);
		ret |= mustache_add(m, partials->keys[i], file, ptext ? ptext : "",
				    ptext ? plen : 0, &d);
	}
	if (!ret)
		ret = mustache_render(m, "__test__", data, 0, &out, &d);
	if (!ret && out.len == elen && !memcmp(out.ptr, expected, elen)) {
		k->passed++;
	} else {
		printf("FAIL %s: %s\n", file, tname);
		print_quoted("template:", tmpl, tlen);
		print_quoted("expected:", expected, elen);
		print_quoted("got:", out.ptr, out.len);
		print_diags(&d);
		k->failed++;
	}
	buf_release(&out);
	diags_release(&d);
	mustache_free(m);
}

static int run_file(const char *path, struct counts *k)
{
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct arena a = ARENA_INIT;
	struct diags d = { 0 };
	struct buf text = BUF_INIT;
	struct value *doc;
	const struct value *tests;
	size_t i;
	int ret = -1;

	if (read_whole(path, &text)) {
		fprintf(stderr, "mustache_spec: cannot read '%s'\n", path);
		goto out;
	}
	if (value_parse_yaml(text.ptr, text.len, path, 0, &a, &doc, &d)) {
		diags_print(&d, stderr);
		goto out;
	}
	tests = value_map_get(doc, "tests");
	if (!tests || tests->type != VALUE_LIST) {
		fprintf(stderr, "mustache_spec: '%s' has no list of tests\n", path);
		goto out;
	}
	for (i = 0; i < tests->n; i++)
		run_test(file, tests->items[i], k);
	ret = 0;
out:
	diags_release(&d);
	buf_release(&text);
	arena_release(&a);
	return ret;
}

int main(int argc, char **argv)
{
	struct counts k = { 0, 0, 0 };
	struct buf pattern = BUF_INIT;
	glob_t g;
	size_t i;
	int ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mustache_spec DIR\n");
		return 2;
	}
	buf_addf(&pattern, "%s/*.yml", argv[1]);
	if (glob(pattern.ptr, 0, NULL, &g)) {
		fprintf(stderr, "mustache_spec: no spec files match '%s'\n", pattern.ptr);
		buf_release(&pattern);
		return 2;
	}
	for (i = 0; i < g.gl_pathc; i++)
		if (run_file(g.gl_pathv[i], &k))
			ret = 2;
	globfree(&g);
	buf_release(&pattern);
	if (k.skipped)
		printf("%d passed, %d failed, %d skipped\n", k.passed, k.failed, k.skipped);
	else
		printf("%d passed, %d failed\n", k.passed, k.failed);
	return ret ? ret : k.failed ? 1 : 0;
}
