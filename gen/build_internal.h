/* build_internal.h - what the pipeline's stages in build.c, build_report.c
 * and build_brochure.c share: the build's state and the helpers every
 * written page goes through. Not a public interface: build.h is. */
#ifndef CAREPRESS_BUILD_INTERNAL_H
#define CAREPRESS_BUILD_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include "arena.h"
#include "build.h"
#include "cache.h"
#include "config.h"
#include "lint.h"
#include "markdown.h"
#include "mustache.h"
#include "output.h"
#include "pagecache.h"
#include "render.h"
#include "site.h"

struct build {
	const struct build_options *opt;
	int has_brochure;           /* the theme has brochure.mustache */
	/* Per page (by index): the renders still to read its text; the last
	 * frees it, so a large site's sources are not all held to the end. */
	atomic_int *text_users;
	int has_report;             /* the theme has report.mustache */
	struct linter *linter;      /* checks every page written */
	struct config cfg;
	struct site site;
	struct mustache *templates;
	struct output out;
	struct render_shared shared;
	struct arena *meta_arenas;  /* one per worker: front matter strings */
	struct stamps stamps;       /* every input as it was read (cache.h) */
	size_t n_config_stamps;     /* stamps[0..this) are site.yaml and strings */
	size_t n_loaded_stamps;     /* stamps[this..] are the templates */
	struct page_cache cache;    /* the previous build's renders */
	/* The previous build's inputs (their stamps) and loads (its source
	 * cache), while pages load; then what this build's loads give the
	 * next: per page loaded from a file (by index), its record and the
	 * hash of the file's bytes. */
	struct cache_table inputs;
	struct page_cache sources;
	struct buf *source_records;
	uint64_t *source_keys;
	size_t n_loaded;
	pthread_mutex_t text_lock;  /* need_text */
	uint64_t site_key;          /* what every page's render depends on */
	/* Values in every page's context that site_key covers: each
	 * language's strings and footer links, and the language list. */
	const struct value **common;
	size_t n_common;
	char *real_source;          /* realpath of the source dir */
	int unchanged;              /* build_nothing_changed() said so */
};

/* A page being rendered: what its Markdown's callbacks (facts, links) see. */
struct page_job {
	struct build *b;
	struct page *page;
};

/* Fills env for the Markdown of src (a page's own source, also for its
 * fallback copies): its file, language, strings and the site's facts;
 * links resolve for job's page. */
void build_page_env(struct build *b, const struct page *src, struct page_job *job,
		    struct md_env *env);
/* Fills body with the Markdown body of src as rendered into html, for the
 * lint (html must outlive body). */
void build_lint_body(const struct page *src, const char *html, struct lint_body *body);
/* Lints a written page in language lang made from template tmpl; findings
 * in its Markdown bodies (n, in page order; 0 for pages without any) point
 * at their source. Thread-safe. */
void build_lint_written(struct build *b, int lang, const char *tmpl,
			const struct lint_body *bodies, size_t n, const struct buf *page,
			const char *out_path, struct diags *d);
/* Reads src's text now if its load took it from the source cache, so that
 * only the pages that render read their files; a text that is not the one
 * loaded (the file changed during the build) is an error. Thread-safe.
 * Returns 0, or -1 with a diagnostic. */
int build_need_text(struct build *b, const struct page *src, struct diags *d);
/* One render less will read src's text: the last one frees it.
 * Thread-safe. */
void build_text_done(struct build *b, const struct page *src);

/* Appends to out the output path of root-relative url, then suffix:
 * "en/video-visits/" + "print/index.html". */
void build_output_path(const struct build *b, const char *url, const char *suffix,
		       struct buf *out);

/* build_cache.c: what a build takes from the one before it. */
/* 1 if no input changed since the output was built (see cache.h): the
 * same files, each the same, and the output as it was written. */
int build_nothing_changed(struct build *b);
/* Takes p as the previous build loaded it, without reading its file, if
 * the file is still what that build read by its stat (cache.h's rule);
 * front matter strings in meta. Returns 0, or -1 if p must be read.
 * Thread-safe (for different pages). */
int build_reuse_load(struct build *b, struct page *p, struct arena *meta, struct diags *d);
/* Sets b->site_key, what every page's render depends on besides its own
 * source and context (see pagecache.h): carepress and its libraries (in
 * the stamps' options), the folders, site.yaml, the strings and the
 * templates, the values every context shares (b->common, set too), and
 * the address of every page. */
void build_site_key(struct build *b);
/* The page cache key of p's render: the site's key, p's source and both of
 * p's template contexts (made in a). */
uint64_t build_page_key(struct build *b, const struct page *p, struct arena *a);
/* Takes p's render from the page cache when its key is unchanged: its two
 * files as the previous build wrote them, its results and its findings (to
 * d). Returns 0, or -1 if p must be rendered; kept[kind] then says which
 * of its files were staged already. Thread-safe (for different pages). */
int build_reuse_render(struct build *b, struct page *p, int kept[2], struct diags *d);
/* Writes the caches of the next build: the input stamps (cache.h), every
 * page's render and every page's load (pagecache.h); frees the render
 * records. Returns 0, or -1 with diagnostics. */
int build_write_caches(struct build *b, struct diags *d);

/* Renders, lints and writes the brochure of language lang (the pages of
 * site.yaml's order), strings in a; done with those pages' texts. Returns
 * 0, or -1 with diagnostics (build_brochure.c). */
int build_brochure(struct build *b, int lang, struct arena *a, struct diags *d);
/* Writes the reviewer report (report/index.html, linted, and
 * report/report.json) from every page and every finding in d, which it
 * sorts; the last check of a build. Returns 0, or -1 with diagnostics
 * (build_report.c). */
int build_report(struct build *b, struct diags *d);

#endif
