/* site.h - the site graph: every page of every language, paired into
 * translation groups, with slugs, URLs and navigation order; link
 * resolution and anchor checks between pages. Built serially after pages
 * are loaded; read-only (and so thread-safe) while pages render, except for
 * each page's own fields, which only its renderer writes. Never prints. */
#ifndef CAREPRESS_SITE_H
#define CAREPRESS_SITE_H

#include <stddef.h>
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "hash.h"
#include "readability.h"

/* A link to another page's anchor, checked once every page has rendered. */
struct anchor_ref {
	const struct page *target;
	const char *anchor;
	int line, col;
};

struct page {
	size_t index;              /* in site.pages */
	int lang;                  /* index into config langs */
	const char *name;          /* file name without .md: "video-visits" */
	const char *path;          /* "content/es/video-visits.md" */
	const char *key;           /* pairs translations: front matter key, else name */
	struct page_meta meta;
	char *text;                /* normalized source, owned (free); NULL for a
				    * fallback copy (its source's text is used) */
	size_t len;
	size_t body_offset;        /* where the Markdown body starts in text */
	int body_line;             /* lines before the body */
	const char *slug;          /* "" for the home page */
	const char *url;           /* root-relative: "/es/como-empezar/" */
	int is_home;
	struct page_group *group;
	const struct page *fallback_of; /* set when published from another language */
	/* Written by the page's renderer, read after every page rendered. */
	const char **anchors;      /* heading ids, owned (free each) */
	size_t n_anchors;
	struct anchor_ref *refs;   /* owned */
	size_t n_refs, cap_refs;
	const char **facts_used;   /* owned array of owned strings */
	size_t n_facts_used;
	size_t n_h2, n_footnotes;
	const char *updated_text;  /* "Updated November 24, 2026", set with the graph */
	char body_hash[16];        /* short hash of the Markdown body: what translations
				    * record (set when the page is loaded) */
	struct readability read;   /* reading level of the body, set by its renderer */
	int outdated;              /* a translation made from an older source */
	uint64_t text_hash;        /* of text, set when the page is loaded */
	/* The page cache's record of this page's render and its key
	 * (pagecache.h), set by its renderer; owned. */
	char *cache_record;
	size_t cache_record_len;
	uint64_t cache_key;
	int reused;                /* its render came from the page cache */
};

/* The same page in every language. */
struct page_group {
	const char *key;
	struct page **by_lang;     /* one per language, NULL where missing */
	int position;              /* index in config order, or INT_MAX */
	int order;                 /* front matter order of the first page */
};

struct site {
	const struct config *cfg;
	struct arena arena;
	struct page **pages;       /* in load order */
	size_t n_pages, cap_pages;
	struct page_group **groups;/* sorted: config order, then order, then key */
	size_t n_groups;
	struct hash *by_name;      /* per language: name -> page */
	struct hash *by_url;       /* per language: url -> page */
	struct hash group_index;   /* key -> group */
};

void site_init(struct site *s, const struct config *cfg);
/* Frees pages and everything else the site owns. */
void site_release(struct site *s);

/* Creates a page for path (a file name.md in language lang) and returns it;
 * the site owns it. The caller fills text/meta (page loading). */
struct page *site_new_page(struct site *s, int lang, const char *name, const char *path);

/* Builds the graph once every page is loaded: slugs (front matter or
 * transliterated title), URLs, translation groups, navigation order, and
 * checks (slug clashes and unsafe slugs, missing translations and required
 * pages, fallbacks when the policy allows). Returns 0 or -1 with diagnostics. */
int site_link(struct site *s, struct diags *d);

/* Resolves a link written in page from's Markdown ("x.md#a", "#a",
 * "/es/slug/", "../es/x.md") to a root-relative href, appended to href.
 * Anchors are recorded in from->refs for site_check_anchors. Returns 0, or -1
 * after a RULE_LINK_PAGE or RULE_PATH diagnostic at line:col. Safe to call
 * from the thread that renders from. */
int site_resolve_link(struct site *s, struct page *from, const char *dest, int line, int col,
		      struct buf *href, struct diags *d);

/* Finds the page a link in from's Markdown points at (see
 * site_resolve_link) without recording anything. Returns 0 and sets *out,
 * or -1 with a diagnostic. */
int site_link_target(const struct site *s, const struct page *from, const char *dest,
		     int line, int col, const struct page **out, struct diags *d);

/* Records that from links to anchor (copied) in target, at line:col, to be
 * checked by site_check_anchors. */
void site_add_ref(struct page *from, const struct page *target, const char *anchor, int line,
		  int col);
/* Checks every recorded anchor reference against its target's heading ids
 * (call after every page rendered). Returns 0 or -1 with diagnostics
 * (marked earlier when both pages' renders came from the page cache). */
int site_check_anchors(struct site *s, struct diags *d);

/* The page of group g in language lang, or NULL. */
const struct page *site_translation(const struct page_group *g, int lang);

#endif
