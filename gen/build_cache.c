/* build_cache.c - what a build takes from the one before it (cache.h,
 * pagecache.h): the no-op check, each page's load and render when their
 * inputs did not change, and the caches written for the next build. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "build_internal.h"
#include "hash.h"
#include "source.h"
#include "util.h"

int build_reuse_load(struct build *b, struct page *p, struct arena *meta, struct diags *d)
{
	struct stat st;
	const struct stamp *was;
	const char *rec;
	size_t len;
	if (stat(p->path, &st) || !(was = cache_trusted(&b->inputs, p->path, &st)) ||
	    !(rec = page_cache_find(&b->sources, p->path, was->hash, &len)) ||
	    page_cache_apply_source(rec, len, p, meta, d))
		return -1;
	stamps_add(&b->stamps, p->path, was->mtime_ns, was->size, was->ino, was->hash);
	buf_add(&b->source_records[p->index], rec, len);
	b->source_keys[p->index] = was->hash;
	return 0;
}

int build_need_text(struct build *b, const struct page *src, struct diags *d)
{
	struct page *owner = b->site.pages[src->index];
	struct buf text = BUF_INIT;
	int ret = 0;
	pthread_mutex_lock(&b->text_lock);
	if (!owner->text) {
		if (source_read(owner->path, b->cfg.max_file_size, &text, d)) {
			ret = -1;
		} else if (text.len != owner->len || hash_bytes(text.ptr, text.len) != owner->text_hash) {
			diag(d, RULE_IO, owner->path, 0, 0, "file changed during the build");
			diag_note(d, "build again");
			ret = -1;
		} else {
			owner->text = buf_detach(&text, NULL);
		}
		buf_release(&text);
	}
	pthread_mutex_unlock(&b->text_lock);
	return ret;
}

uint64_t build_page_key(struct build *b, const struct page *p, struct arena *a)
{
	struct value *both = value_new(a, VALUE_LIST);
	value_list_push(a, both, render_page_context(&b->shared, p, PAGE_WEB, "", a));
	value_list_push(a, both, render_page_context(&b->shared, p, PAGE_PRINT, "", a));
	return page_cache_key(b->site_key, p, both, b->common, b->n_common, a);
}

int build_reuse_render(struct build *b, struct page *p, int kept[2], struct diags *d)
{
	struct buf path = BUF_INIT;
	size_t len;
	const char *rec = page_cache_find(&b->cache, p->url, p->cache_key, &len);
	if (!rec)
		return -1;
	build_output_path(b, p->url, "index.html", &path);
	kept[PAGE_WEB] = !output_keep(&b->out, path.ptr);
	buf_reset(&path);
	build_output_path(b, p->url, "print/index.html", &path);
	kept[PAGE_PRINT] = !output_keep(&b->out, path.ptr);
	buf_release(&path);
	if (!kept[PAGE_WEB] || !kept[PAGE_PRINT] ||
	    page_cache_apply(rec, len, &b->site, p, d))
		return -1;
	p->cache_record = xstrndup(rec, len);
	p->cache_record_len = len;
	p->reused = 1;
	return 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_path(char ***v, size_t *n, size_t *cap, const char *path)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = xrealloc(*v, st_mult(*cap, sizeof(**v)));
	}
	(*v)[(*n)++] = xstrdup(path);
}

/* Adds the files of dir whose names end in suffix ("" for all), down
 * depth more levels of folders, as copy_assets and load_templates see them. */
static void list_files(const char *dir, const char *suffix, int depth, char ***v, size_t *n,
		       size_t *cap)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	struct buf path = BUF_INIT;
	size_t sl = strlen(suffix);
	if (!dp)
		return;
	while ((e = readdir(dp)) != NULL) {
		struct stat st;
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, e->d_name);
		if (stat(path.ptr, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth > 0)
				list_files(path.ptr, suffix, depth - 1, v, n, cap);
		} else if (len > sl && !strcmp(e->d_name + len - sl, suffix)) {
			push_path(v, n, cap, path.ptr);
		}
	}
	closedir(dp);
	buf_release(&path);
}

static int stamp_path_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct stamp *const *)a)->path,
		      (*(const struct stamp *const *)b)->path);
}

void build_site_key(struct build *b)
{
	const struct config *c = &b->cfg;
	size_t n_templates = b->stamps.n - b->n_loaded_stamps, i, l;
	const struct stamp **templates = xcalloc(n_templates + 1, sizeof(*templates));
	struct arena a = ARENA_INIT;
	struct hasher h;
	uint64_t addresses = page_cache_addresses(&b->site);
	hasher_init(&h);
	hasher_add(&h, &b->stamps.options, sizeof(b->stamps.options));
	hasher_add(&h, &addresses, sizeof(addresses));
	hasher_add(&h, b->opt->source_dir, strlen(b->opt->source_dir) + 1);
	hasher_add(&h, b->opt->templates_dir, strlen(b->opt->templates_dir) + 1);
	/* site.yaml and strings are read in a fixed order; templates in the
	 * folder's order, which may change. */
	for (i = 0; i < b->n_config_stamps; i++) {
		hasher_add(&h, b->stamps.v[i].path, strlen(b->stamps.v[i].path) + 1);
		hasher_add(&h, &b->stamps.v[i].hash, sizeof(b->stamps.v[i].hash));
	}
	for (i = 0; i < n_templates; i++)
		templates[i] = &b->stamps.v[b->n_loaded_stamps + i];
	qsort(templates, n_templates, sizeof(*templates), stamp_path_cmp);
	for (i = 0; i < n_templates; i++) {
		hasher_add(&h, templates[i]->path, strlen(templates[i]->path) + 1);
		hasher_add(&h, &templates[i]->hash, sizeof(templates[i]->hash));
	}
	/* The strings first: their files are hashed above, so the rest of
	 * the common values are hashed with the strings as marks. */
	b->n_common = 2 * c->n_langs + 1;
	b->common = xcalloc(b->n_common, sizeof(*b->common));
	for (l = 0; l < c->n_langs; l++) {
		b->common[l] = c->langs[l].strings;
		b->common[c->n_langs + l] = b->shared.footer_links[l];
	}
	b->common[2 * c->n_langs] = b->shared.languages;
	for (i = c->n_langs; i < b->n_common; i++)
		value_hash(b->common[i], &h, b->common, c->n_langs, &a);
	b->site_key = hasher_end(&h);
	arena_release(&a);
	free(templates);
}

int build_nothing_changed(struct build *b)
{
	char **paths = NULL;
	size_t n = 0, cap = 0, i;
	struct buf dir = BUF_INIT;
	int same;
	push_path(&paths, &n, &cap, b->cfg.site_path);
	for (i = 0; i < b->cfg.n_langs; i++)
		push_path(&paths, &n, &cap, b->cfg.langs[i].strings_path);
	for (i = 0; i < b->site.n_pages; i++)
		push_path(&paths, &n, &cap, b->site.pages[i]->path);
	list_files(b->opt->templates_dir, ".mustache", 0, &paths, &n, &cap);
	buf_addf(&dir, "%s/partials", b->opt->templates_dir);
	list_files(dir.ptr, ".mustache", 0, &paths, &n, &cap);
	buf_reset(&dir);
	buf_addf(&dir, "%s/assets", b->opt->templates_dir);
	list_files(dir.ptr, "", 2, &paths, &n, &cap);
	qsort(paths, n, sizeof(*paths), path_cmp);
	same = cache_unchanged(b->opt->out_dir, b->stamps.options, paths, n) &&
	       output_intact(b->opt->out_dir);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	buf_release(&dir);
	return same;
}

int build_write_caches(struct build *b, struct diags *d)
{
	struct buf text = BUF_INIT;
	struct output_file *f;
	size_t i;
	int ret;
	stamps_format(&b->stamps, &text);
	ret = output_write(&b->out, CACHE_FILE, text.ptr, text.len, d);
	/* The records are as large as the sources: streamed, each freed
	 * once written. */
	f = output_open(&b->out, PAGE_CACHE_FILE, d);
	buf_reset(&text);
	page_cache_begin_file(b->site_key, &text);
	for (i = 0; i < b->site.n_pages; i++) {
		struct page *p = b->site.pages[i];
		page_cache_add_record(p->url, p->cache_key, p->cache_record, p->cache_record_len,
				      &text);
		free(p->cache_record);
		p->cache_record = NULL;
		if (f && text.len >= 65536) {
			output_put(f, text.ptr, text.len);
			buf_reset(&text);
		}
	}
	if (f)
		output_put(f, text.ptr, text.len);
	if (!f || output_close(f, d))
		ret = -1;
	page_cache_release(&b->cache);
	/* How each page's file loaded, for the next build's loads. */
	buf_reset(&text);
	page_cache_begin_file(b->stamps.options, &text);
	for (i = 0; i < b->n_loaded; i++)
		page_cache_add_record(b->site.pages[i]->path, b->source_keys[i],
				      b->source_records[i].ptr, b->source_records[i].len, &text);
	if (output_write(&b->out, SOURCE_CACHE_FILE, text.ptr, text.len, d))
		ret = -1;
	buf_release(&text);
	return ret;
}
