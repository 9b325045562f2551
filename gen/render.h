/* render.h - Mustache contexts for pages: what a template can see (the
 * names are documented in docs/architecture.md and used by templates/).
 * Contexts are value trees in the caller's arena; shared parts (footer
 * links, the language list) are built once per build and only read. */
#ifndef CAREPRESS_RENDER_H
#define CAREPRESS_RENDER_H

#include "arena.h"
#include "config.h"
#include "site.h"
#include "value.h"

#define CAREPRESS_VERSION "0.1.0"

struct render_shared {
	struct arena arena;           /* owns everything below */
	const struct site *site;
	struct value **footer_links;  /* per language: list of {title, url} */
	struct value *languages;      /* list of {tag, name, dir, home_url, strings} */
};

/* Builds the parts every page shares, once the site graph is linked. */
void render_shared_init(struct render_shared *rs, const struct site *s);
void render_shared_release(struct render_shared *rs);

enum page_kind { PAGE_WEB, PAGE_PRINT };

/* Returns the context for page p (kind: the web page or its large-print
 * copy) whose body HTML is content; everything lives in arena a. */
struct value *render_page_context(const struct render_shared *rs, const struct page *p,
				  enum page_kind kind, const char *content, struct arena *a);
/* Returns the context of pages that belong to no language (the root
 * language chooser and the 404 page): root, generator, site, languages,
 * and lang/strings of the first language. */
struct value *render_site_context(const struct render_shared *rs, struct arena *a);

/* Returns the context of language lang's brochure: the site context for
 * that language plus brochure.title, brochure.description (from the home
 * page, else the site name) and brochure.pages (the list given). */
struct value *render_brochure_context(const struct render_shared *rs, int lang,
				      struct value *pages, struct arena *a);

/* Appends to out the text of template string s with {name} replaced by
 * value (for "Updated {date}"); other text is copied as is. */
void fill_placeholder(struct buf *out, const char *s, const char *name, const char *value);

#endif
