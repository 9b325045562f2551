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
#include "diag.h"
#include "hash.h"
#include "site.h"
#include "value.h"

#define PAGE_CACHE_FILE ".carepress-pages"

struct page_cache_entry {
	const char *url;   /* into text */
	uint64_t key;
	size_t off, len;   /* the record's body in text */
};

struct page_cache {
	char *text;        /* the cache file, owned; NULL when there is none */
	size_t len;
	struct page_cache_entry *v;
	size_t n;
	struct hash by_url; /* url -> entry */
};

/* A digest of every page's language, name and address: what a link in
 * any page resolves against. */
uint64_t page_cache_addresses(const struct site *s);

/* The key of page p's render: site_key (everything the site's pages share),
 * the text of p's source (a fallback copy's source) and p's template
 * context ctx, whose values in shared (n_shared) are part of site_key. */
uint64_t page_cache_key(uint64_t site_key, const struct page *p, const struct value *ctx,
			const struct value *const *shared, size_t n_shared, struct arena *a);

/* Reads out_dir's page cache if it was written for site_key; pc is empty
 * (nothing cached) when there is none, it is for another site key, or it
 * cannot be read whole. */
void page_cache_read(struct page_cache *pc, const char *out_dir, uint64_t site_key);
void page_cache_release(struct page_cache *pc);

/* The record of the page at url if it was rendered under key, else NULL;
 * *len is its length. Thread-safe. */
const char *page_cache_find(const struct page_cache *pc, const char *url, uint64_t key,
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

/* The cache file's text: page_cache_begin_file appends its header for
 * site_key to out, then page_cache_add_record each page's record (from
 * page_cache_find or page_cache_format) and the key it was made under. */
void page_cache_begin_file(uint64_t site_key, struct buf *out);
void page_cache_add_record(const struct page *p, uint64_t key, const char *rec, size_t len,
			   struct buf *out);

#endif
