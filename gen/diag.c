/* diag.c - the diagnostics catalogue, the list that stages fill, and the one
 * printer. Stages never print; main.c calls diags_print. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "diag.h"
#include "util.h"

/* Bytes of a source line echoed under a diagnostic: a 1 MB line is shown
 * only in part. */
#define SHOWN_BYTES 400

const char *const rule_name[RULE_MAX] = {
	"io", "encoding", "file-size", "path", "yaml", "yaml-type", "yaml-duplicate",
	"config", "front-matter", "front-matter-key", "strings", "slug",
	"fact-unknown", "fact-cycle", "fact-typed", "phone-vanity", "raw-html",
	"url-unsafe", "link-page", "link-anchor", "heading-h1", "heading-skip",
	"image-alt", "callout", "table", "footnote", "nesting",
	"translation-missing", "template-syntax", "template-partial",
	"template-recursion", "template-variable",
	"html", "a11y-lang", "a11y-h1", "a11y-heading-order", "a11y-img-alt",
	"a11y-empty-link", "a11y-vague-link", "a11y-duplicate-id", "a11y-table", "a11y-tel",
	"a11y-new-window", "a11y-foreign-text", "a11y-contrast", "pdf",
	"translation-facts", "translation-parity", "translation-outdated", "release",
	"reading-level",
};

/* Designated, so that a rule added to the enum without its criterion is
 * caught by test_lint (a NULL entry). WCAG 2.2 removed 4.1.1 Parsing, so
 * not-well-formed HTML cites none, and a duplicate id cites 4.1.2 (it breaks
 * the names aria-labelledby gives); a new window without warning is G201, a
 * technique of 3.2.5. */
const char *const rule_wcag[RULE_MAX] = {
	[RULE_IO] = "", [RULE_ENCODING] = "", [RULE_FILE_SIZE] = "", [RULE_PATH] = "",
	[RULE_YAML] = "", [RULE_YAML_TYPE] = "", [RULE_YAML_DUPLICATE] = "", [RULE_CONFIG] = "",
	[RULE_FRONT_MATTER] = "", [RULE_FRONT_MATTER_KEY] = "", [RULE_STRINGS] = "",
	[RULE_SLUG] = "", [RULE_FACT_UNKNOWN] = "", [RULE_FACT_CYCLE] = "",
	[RULE_FACT_TYPED] = "", [RULE_PHONE_VANITY] = "", [RULE_RAW_HTML] = "",
	[RULE_URL_UNSAFE] = "", [RULE_LINK_PAGE] = "", [RULE_LINK_ANCHOR] = "",
	[RULE_HEADING_H1] = "1.3.1", [RULE_HEADING_SKIP] = "1.3.1", [RULE_IMAGE_ALT] = "1.1.1",
	[RULE_CALLOUT] = "", [RULE_TABLE] = "1.3.1", [RULE_FOOTNOTE] = "", [RULE_NESTING] = "",
	[RULE_TRANSLATION_MISSING] = "", [RULE_TEMPLATE_SYNTAX] = "",
	[RULE_TEMPLATE_PARTIAL] = "", [RULE_TEMPLATE_RECURSION] = "",
	[RULE_TEMPLATE_VARIABLE] = "",
	[RULE_HTML] = "", [RULE_A11Y_LANG] = "3.1.1", [RULE_A11Y_H1] = "1.3.1",
	[RULE_A11Y_HEADING_ORDER] = "1.3.1", [RULE_A11Y_IMG_ALT] = "1.1.1",
	[RULE_A11Y_EMPTY_LINK] = "4.1.2", [RULE_A11Y_VAGUE_LINK] = "2.4.4",
	[RULE_A11Y_DUPLICATE_ID] = "4.1.2", [RULE_A11Y_TABLE] = "1.3.1", [RULE_A11Y_TEL] = "2.4.4",
	[RULE_A11Y_NEW_WINDOW] = "3.2.5", [RULE_A11Y_FOREIGN_TEXT] = "3.1.2",
	[RULE_A11Y_CONTRAST] = "1.4.3", [RULE_PDF] = "",
	[RULE_TRANSLATION_FACTS] = "", [RULE_TRANSLATION_PARITY] = "",
	[RULE_TRANSLATION_OUTDATED] = "", [RULE_RELEASE] = "", [RULE_READING_LEVEL] = "3.1.5",
};

enum severity rule_severity(enum rule rule)
{
	switch (rule) {
	case RULE_FRONT_MATTER_KEY:
	case RULE_FACT_TYPED:
	case RULE_FOOTNOTE:
	case RULE_A11Y_FOREIGN_TEXT:
	case RULE_TRANSLATION_PARITY:
	case RULE_TRANSLATION_OUTDATED:
	case RULE_READING_LEVEL:
		return SEV_WARNING;
	default:
		return SEV_ERROR;
	}
}

/* A new diagnostic at the end of d, counted, its place and rule set; the
 * caller sets its message and note. */
static struct diag *new_diag(struct diags *d, enum severity sev, enum rule rule,
			     const char *file, int line, int col)
{
	struct diag *g;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, st_mult(d->cap, sizeof(*d->v)));
	}
	g = &d->v[d->n++];
	g->rule = rule;
	g->severity = sev;
	g->file = file ? xstrdup(file) : NULL;
	g->line = line;
	g->col = col;
	g->note = NULL;
	g->earlier = 0;
	if (sev == SEV_ERROR)
		d->errors++;
	else if (sev == SEV_WARNING)
		d->warnings++;
	return g;
}

static void diag_vadd(struct diags *d, enum severity sev, enum rule rule, const char *file,
		      int line, int col, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	buf_vaddf(&msg, fmt, ap);
	new_diag(d, sev, rule, file, line, col)->message = buf_detach(&msg, NULL);
}

void diag(struct diags *d, enum rule rule, const char *file, int line, int col,
	  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, rule_severity(rule), rule, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_sev(struct diags *d, enum severity sev, enum rule rule, const char *file,
	      int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, sev, rule, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_restore(struct diags *d, enum severity sev, enum rule rule, const char *file,
		  int line, int col, const char *message, const char *note)
{
	struct diag *g = new_diag(d, sev, rule, file, line, col);
	g->message = xstrdup(message);
	g->note = note ? xstrdup(note) : NULL;
	g->earlier = 1;
}

void diag_note(struct diags *d, const char *fmt, ...)
{
	struct buf note = BUF_INIT;
	va_list ap;
	if (!d->n)
		BUG("diag_note without a diagnostic");
	va_start(ap, fmt);
	buf_vaddf(&note, fmt, ap);
	va_end(ap);
	free(d->v[d->n - 1].note);
	d->v[d->n - 1].note = buf_detach(&note, NULL);
}

void diags_take(struct diags *dst, struct diags *src)
{
	size_t i;
	for (i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 16;
			dst->v = xrealloc(dst->v, st_mult(dst->cap, sizeof(*dst->v)));
		}
		dst->v[dst->n++] = src->v[i];
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
	src->errors = src->warnings = 0;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int diag_cmp(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c = strcmp_null(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return strcmp(a->message, b->message);
}

static void diag_free(struct diag *g)
{
	free(g->file);
	free(g->message);
	free(g->note);
}

void diags_sort(struct diags *d)
{
	size_t i, out = 0;
	if (!d->n)
		return;
	qsort(d->v, d->n, sizeof(*d->v), diag_cmp);
	/* The same finding from many pages (a template used by all) once. */
	for (i = 0; i < d->n; i++) {
		if (out && !diag_cmp(&d->v[out - 1], &d->v[i])) {
			if (d->v[i].severity == SEV_ERROR)
				d->errors--;
			else if (d->v[i].severity == SEV_WARNING)
				d->warnings--;
			diag_free(&d->v[i]);
			continue;
		}
		d->v[out++] = d->v[i];
	}
	d->n = out;
}

int diags_failed(const struct diags *d)
{
	return d->errors > 0 || (d->strict && d->warnings > 0);
}

/* The file whose lines are being shown: diagnostics are sorted by file,
 * so each file is read once however many findings it has. */
struct source_cache {
	char *path;
	struct buf text;
	int ok;
};

/* Points *line at line number `line` (1-based) of file, or returns -1. */
static int source_line(struct source_cache *c, const char *file, int line, const char **start,
		       size_t *len)
{
	const char *p, *end;
	int at = 1;
	if (!c->path || strcmp(c->path, file)) {
		FILE *fp = fopen(file, "rb");
		char chunk[8192];
		size_t n;
		free(c->path);
		c->path = xstrdup(file);
		buf_reset(&c->text);
		c->ok = fp != NULL;
		while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&c->text, chunk, n);
		if (fp)
			fclose(fp);
	}
	if (!c->ok)
		return -1;
	p = c->text.ptr;
	end = p + c->text.len;
	/* Columns count the text as read, without its byte order mark. */
	if (c->text.len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (at < line && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -1;
		p = nl + 1;
		at++;
	}
	if (at != line)
		return -1;
	*start = p;
	*len = (size_t)((memchr(p, '\n', (size_t)(end - p)) ? (const char *)memchr(p, '\n', (size_t)(end - p)) : end) - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return 0;
}

/* Echoes a source line with control bytes made visible; returns the display
 * width of its first col-1 bytes so the caret lands under the column. */
static int print_visible(FILE *fp, const char *line, size_t len, int col)
{
	int i, width = 0, caret = -1, shown = len > SHOWN_BYTES ? SHOWN_BYTES : (int)len;
	for (i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)line[i];
		if (i == col - 1)
			caret = width;
		if (c == '\t') {
			putc_unlocked(' ', fp);
			width++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "^%c", c == 0x7f ? '?' : c + '@');
			width += 2;
		} else {
			putc_unlocked(c, fp);
			if ((c & 0xC0) != 0x80)
				width++;
		}
	}
	if (shown < (int)len) {
		fputs(" ...", fp);
		width += 4;
	}
	/* Past the shown part (or the end of the line): under its end. */
	if (caret < 0)
		caret = col - 1 >= (int)len && col - 1 - (int)len < 4 ? width + (col - 1 - (int)len)
								       : width;
	return caret;
}

/* Prints text with control bytes made visible (^[ for ESC): a message
 * that echoes input must not drive the terminal. */
static void put_visible(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			fprintf(fp, "^%c", c == 0x7f ? '?' : c + '@');
		else
			putc_unlocked(c, fp);
	}
}

void diags_print(const struct diags *d, FILE *fp)
{
	static const char *const sev_name[] = { "note", "warning", "error" };
	struct source_cache cache = { NULL, BUF_INIT, 0 };
	size_t i;
	/* Held for the whole list: the lines echoed go out a byte at a time. */
	flockfile(fp);
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		const char *line;
		size_t len;
		if (g->earlier)
			continue;
		if (g->file && g->line && g->col)
			fprintf(fp, "%s:%d:%d: ", g->file, g->line, g->col);
		else if (g->file && g->line)
			fprintf(fp, "%s:%d: ", g->file, g->line);
		else if (g->file)
			fprintf(fp, "%s: ", g->file);
		else
			fputs("carepress: ", fp);
		fprintf(fp, "%s: ", sev_name[g->severity]);
		put_visible(fp, g->message);
		fprintf(fp, " [%s]\n", rule_name[g->rule]);
		if (g->file && g->line > 0 && g->col > 0 &&
		    !source_line(&cache, g->file, g->line, &line, &len)) {
			int caret;
			fprintf(fp, "%6d | ", g->line);
			caret = print_visible(fp, line, len, g->col);
			fprintf(fp, "\n       | %*s^\n", caret, "");
		}
		if (g->note) {
			fputs("note: ", fp);
			put_visible(fp, g->note);
			fputc('\n', fp);
		}
	}
	funlockfile(fp);
	free(cache.path);
	buf_release(&cache.text);
}

void diags_release(struct diags *d)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		diag_free(&d->v[i]);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	d->errors = d->warnings = 0;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, best;
	if (la > 64 || lb > 64)
		return (size_t)-1;
	row = xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag_prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag_prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag_prev = up;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

const char *did_you_mean(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t i, best_d = (size_t)-1, limit = strlen(word) / 3 + 1;
	for (i = 0; i < n; i++) {
		size_t dist = edit_distance(word, candidates[i]);
		if (dist < best_d) {
			best_d = dist;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}
