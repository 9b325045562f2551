/* mustache.h - the template stage: Mustache templates parsed once into node
 * trees, rendered per page against a value tree. Never prints; every problem
 * is a diagnostic with the template's path and a 1-based line:col.
 *
 * Implements the Mustache spec v1.4 core modules (interpolation, sections,
 * inverted sections, comments, set delimiters, partials with standalone
 * indentation) and the optional inheritance module (parents {{<x}}...{{/x}},
 * blocks {{$x}}default{{/x}}). Lambdas are NOT implemented: a value tree
 * holds no functions, and templates stay logic-less on purpose.
 *
 * {{x}} is HTML-escaped (& < > " '); {{{x}}} and {{&x}} are not, so a value
 * placed unescaped into HTML is the caller's responsibility. Values print as
 * written for strings and integers ("02139" keeps its zero), as the shortest
 * round-trip form for other numbers (1.210 -> "1.21"), "true"/"false" for
 * booleans, and "" for null. A plain partial {{>x}} behaves as a parent with
 * no blocks: block overrides from an enclosing parent reach into it.
 *
 * Whitespace follows the spec: a tag alone on its line (but for blanks)
 * leaves no line behind, and a standalone partial, parent or block indents
 * every line it renders. Note the spec's one surprise: a block written as
 * `  {{$body}}{{/body}}` on one line keeps that line's end after whatever
 * overrides it; in a layout, open and close a block on lines of their own. */
#ifndef CAREPRESS_MUSTACHE_H
#define CAREPRESS_MUSTACHE_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"
#include "value.h"

/* Partials and parents nested deeper than this are a template-recursion
 * error: it stops a partial that includes itself (directly or through
 * others) long before the stack runs out, yet leaves room for recursive
 * partials that walk a data tree (the spec's "Recursion" test). */
#define MUSTACHE_MAX_DEPTH 64

/* Output of one render larger than this is an error: a few partials that
 * each include the next twice expand exponentially within the depth limit,
 * and no page is this big. */
#define MUSTACHE_MAX_OUTPUT ((size_t)64 << 20)

/* A set of named templates, parsed once; immutable after loading, so many
 * threads may render from it at once. */
struct mustache;

/* Returns an empty template set; never NULL. Free with mustache_free. */
struct mustache *mustache_new(void);
/* Frees the set and every template in it; m may be NULL. */
void mustache_free(struct mustache *m);

/* Parses src (len bytes, need not be NUL-terminated; copied) and adds it
 * under name (e.g. "page", "partials/header"). path is the file name used in
 * diagnostics (copied). Returns 0, or -1 after adding a RULE_TEMPLATE_SYNTAX
 * diagnostic with the 1-based line:col of the problem (unclosed section,
 * mismatched closing tag, bad delimiter change, unclosed tag, empty tag,
 * sections nested too deep). A template that fails to parse stays known
 * under its name and renders as empty, so mustache_check does not report it
 * a second time as missing. A name already loaded is refused: -1 with a
 * RULE_TEMPLATE_PARTIAL error (the first template stays). Not thread-safe:
 * load every template before rendering. */
int mustache_add(struct mustache *m, const char *name, const char *path, const char *src,
		 size_t len, struct diags *d);

/* Checks that every partial ({{>x}}) and parent ({{<x}}) that templates name
 * is loaded: returns 0, or -1 with one RULE_TEMPLATE_PARTIAL error per
 * missing name, at its first tag (in loading order), with a "did you mean"
 * note when a loaded name is close. */
int mustache_check(const struct mustache *m, struct diags *d);

/* Renders template name with ctx (the root context; NULL for none) appended
 * to out. strict: an interpolation whose name cannot be resolved, or that
 * names a list or map, is a RULE_TEMPLATE_VARIABLE error at the tag's
 * location (reported once per tag); otherwise it renders as empty, as the
 * spec says. A name that resolves to null is not an error. Partial/parent
 * nesting deeper than MUSTACHE_MAX_DEPTH, or output past MUSTACHE_MAX_OUTPUT
 * bytes, is a RULE_TEMPLATE_RECURSION error and stops the render. A missing
 * partial renders as empty (spec; mustache_check reports it); a missing
 * template name is a BUG. Returns 0, or -1 with diagnostics (out then holds
 * partial output). Reentrant: no global or static mutable state. */
int mustache_render(const struct mustache *m, const char *name, const struct value *ctx,
		    int strict, struct buf *out, struct diags *d);

/* The same, for outputs too large to hold (the report of a large site):
 * the output goes to sink in pieces of about MUSTACHE_PIECE bytes, in
 * order, the last when the render ends (also when it fails). */
typedef void mustache_sink(void *sink_ctx, const char *data, size_t len);
#define MUSTACHE_PIECE ((size_t)64 << 10)
int mustache_render_to(const struct mustache *m, const char *name, const struct value *ctx,
		       int strict, mustache_sink *sink, void *sink_ctx, struct diags *d);

#endif
