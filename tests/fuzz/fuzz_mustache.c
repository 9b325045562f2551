/* fuzz_mustache.c - libFuzzer target for the template stage. The input is
 * up to three parts separated by NUL bytes: a template, YAML data (the
 * context), and a partial. The template is loaded as "page" and also as the
 * partial "self" (so it can include itself), the third part as the partial
 * "p"; then mustache_check, and mustache_render of "page" with and without
 * strict variables. Nothing may crash, leak or trip a sanitizer; syntax
 * errors, missing partials and runaway recursion must be diagnostics. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits off the part before the next NUL (or the end). */
static const char *part(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *nul;
	if (s >= end) {
		*len = 0;
		return "";
	}
	nul = memchr(s, '\0', (size_t)(end - s));
	*len = (size_t)((nul ? nul : end) - s);
	*p = nul ? nul + 1 : end;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *tmpl, *yaml, *partial;
	size_t tmpl_len, yaml_len, partial_len;
	struct mustache *m = mustache_new();
	struct arena a = ARENA_INIT;
	struct diags d = { 0 };
	struct value *ctx = NULL;
	struct buf out = BUF_INIT;

	tmpl = part(&p, end, &tmpl_len);
	yaml = part(&p, end, &yaml_len);
	partial = part(&p, end, &partial_len);

	if (value_parse_yaml(yaml, yaml_len, "data.yaml", 0, &a, &ctx, &d))
		ctx = NULL;
	mustache_add(m, "page", "page.mustache", tmpl, tmpl_len, &d);
	mustache_add(m, "self", "partials/self.mustache", tmpl, tmpl_len, &d);
	mustache_add(m, "p", "partials/p.mustache", partial, partial_len, &d);
	/* A name already loaded is refused, not replaced. */
	if (!mustache_add(m, "page", "again.mustache", "x", 1, &d))
		abort();
	mustache_check(m, &d);
	/* A template that failed to parse stays known and renders as empty. */
	mustache_render(m, "page", ctx, 0, &out, &d);
	if (out.len > MUSTACHE_MAX_OUTPUT + size)
		abort(); /* the output limit holds (give or take one piece of the input) */
	buf_reset(&out);
	mustache_render(m, "page", ctx, 1, &out, &d);
	if (out.len > MUSTACHE_MAX_OUTPUT + size)
		abort();
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
	diags_release(&d);
	return 0;
}
