/* pagecache.h - the page cache: what rendering a page produced besides its
 * two files (its findings, heading ids, facts used, links to other pages'
 * anchors, reading level), kept in the output dir under a key that hashes
 * everything the render reads. A page whose key did not change is not
 * rendered again: its files are the previous build's (output_keep) and its
 * results come from here, so editing one page renders that page and the
 * pages whose context shows it, not the site.
 *
 * Exact by construction, never stale: the key covers the page's source
 * (front matter and body), its whole template context as the templates see
 * it (value_hash: title, translations, navigation, footer, dates), the
 * site's key (carepress and its libraries, options, site.yaml, strings and
 * templates, given by the caller) and the address of every page, which links
 * resolve against. The cache file is written with the output, so it always
 * describes the files beside it. */
#ifndef CAREPRESS_PAGECACHE_H
#define CAREPRESS_PAGECACHE_H

#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "frontmatter.h"
#include "diag.h"
#include "hash.h"
#include "site.h"
#include "value.h"

#define PAGE_CACHE_FILE ".carepress-pages"

struct page_cache_entry {
	const char *id;    /* a page's url or a source's path, into text */
	uint64_t key;
	size_t off, len;   /* the record's body in text */
};

struct page_cache {
	char *text;        /* the cache file, owned; NULL when there is none */
	size_t len;
	struct page_cache_entry *v;
	size_t n;
	struct hash by_id;  /* id -> entry */
};

/* A digest of every page's language, name and address: what a link in
 * any page resolves against. */
uint64_t page_cache_addresses(const struct site *s);

/* The key of page p's render: site_key (everything the site's pages share),
 * the text of p's source (a fallback copy's source) and p's template
 * context ctx, whose values in shared (n_shared) are part of site_key. */
uint64_t page_cache_key(uint64_t site_key, const struct page *p, const struct value *ctx,
			const struct value *const *shared, size_t n_shared, struct arena *a);

/* Reads out_dir's cache file (PAGE_CACHE_FILE, SOURCE_CACHE_FILE) if it
 * was written for file_key (the site key; the build options for sources);
 * pc is empty (nothing cached) when there is none, it is for another key,
 * or it cannot be read whole. */
void page_cache_read(struct page_cache *pc, const char *out_dir, const char *file,
		     uint64_t file_key);
void page_cache_release(struct page_cache *pc);

/* The record of id (a page's url, a source's path) if it was made under
 * key, else NULL; *len is its length. Thread-safe. */
const char *page_cache_find(const struct page_cache *pc, const char *id, uint64_t key,
			    size_t *len);

/* Appends to out the record of p's render: its results (heading ids,
 * facts, counts, reading level, anchor links) and its findings d. */
void page_cache_format(const struct page *p, const struct diags *d, struct buf *out);

/* Restores a record made by page_cache_format (rec, len bytes, as found by
 * page_cache_find) into p, whose results must be unset, and adds its
 * findings to d, marked as earlier (the build that found them printed them). Returns 0, or -1 with p and d untouched if the record is
 * damaged or links to a page the site no longer has. Only touches p, so it
 * may run on p's render thread. */
int page_cache_apply(const char *rec, size_t len, const struct site *s, struct page *p,
		     struct diags *d);

/* A cache file's text: page_cache_begin_file appends its header for
 * file_key to out, then page_cache_add_record each record (from
 * page_cache_find, page_cache_format or page_cache_format_source) with its
 * id and the key it was made under. */
void page_cache_begin_file(uint64_t file_key, struct buf *out);
void page_cache_add_record(const char *id, uint64_t key, const char *rec, size_t len,
			   struct buf *out);

/* Sources: what loading a page's file gave (the hash, length and body hash
 * of its text, its front matter and the findings of its parse), in
 * SOURCE_CACHE_FILE by path, under the hash of the file's bytes (its
 * stamp's, cache.h). A file whose stamp is still trusted by its stat is
 * then not read at all unless its page renders again (build.c reads it
 * then, and checks its text's hash). */
#define SOURCE_CACHE_FILE ".carepress-sources"
/* Appends the record of p as loaded, with the findings d of its front
 * matter's parse. */
void page_cache_format_source(const struct page *p, const struct diags *d, struct buf *out);
/* Restores such a record into p (strings in a; p->text stays NULL) and
 * adds its findings to d, marked earlier. Returns 0, or -1 with p and d
 * untouched. */
int page_cache_apply_source(const char *rec, size_t len, struct page *p, struct arena *a,
			    struct diags *d);

#endif
