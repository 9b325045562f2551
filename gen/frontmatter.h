/* frontmatter.h - the YAML block at the top of a page: split it from the
 * body, check its keys and types, and fill a page_meta. Hugo's names are
 * accepted as aliases (translationKey, weight, date) so a Hugo content tree
 * builds unchanged. Never prints. */
#ifndef CAREPRESS_FRONTMATTER_H
#define CAREPRESS_FRONTMATTER_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"

enum translation_status {
	TRANSLATION_SOURCE,    /* the original text */
	TRANSLATION_PROVIDED,  /* translated by the project, not yet reviewed */
	TRANSLATION_REVIEWED,  /* checked by a qualified translator */
	TRANSLATION_MAX
};
extern const char *const translation_name[TRANSLATION_MAX];

struct page_meta {
	const char *title;        /* required, non-empty */
	const char *description;  /* "" if absent */
	const char *slug;         /* NULL: derive from the title */
	const char *key;          /* NULL: the file name pairs translations */
	int order;                /* 0 if absent */
	int has_order;
	const char *updated;      /* YYYY-MM-DD, or NULL */
	enum translation_status translation;
	int has_translation;
	const char *reviewer;     /* NULL if absent */
	const char *reviewed;     /* YYYY-MM-DD, or NULL */
	const char *source_hash;  /* NULL if absent */
	int title_line, slug_line, slug_col; /* positions for later diagnostics */
	int key_line, key_col;
};

/* Splits text (NUL-terminated, normalized by source.c) into front matter and
 * body and parses the front matter into *m; strings live in arena a.
 * *body_offset is the byte offset of the body and *body_line the number of
 * lines before it. Returns 0, or -1 after adding diagnostics (unknown keys
 * are warnings and do not fail). */
int frontmatter_parse(const char *path, const char *text, size_t len, struct arena *a,
		      struct page_meta *m, size_t *body_offset, int *body_line,
		      struct diags *d);

#endif
