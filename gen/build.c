/* build.c - run the stages in order; pages are loaded and rendered by a
 * pool of threads, the site graph and the output swap are serial. */
#define _XOPEN_SOURCE 700 /* realpath */
#define _DEFAULT_SOURCE   /* d_type */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmark-gfm.h>
#include <libxml/parser.h>
#include <unicode/uversion.h>
#include <yaml.h>
#include "build.h"
#include "build_internal.h"
#include "buf.h"
#include "cache.h"
#include "hash.h"
#include "config.h"
#include "frontmatter.h"
#include "lint.h"
#include "locale.h"
#include "markdown.h"
#include "mustache.h"
#include "output.h"
#include "pagecache.h"
#include "report.h"
#include "render.h"
#include "site.h"
#include "sitemap.h"
#include "translate.h"
#include "slug.h"
#include "source.h"
#include "util.h"

/* An asset (image, font, style sheet) may be larger than a page
 * (max_file_size), but not without bound: it is read whole. */
#define ASSET_MAX_SIZE ((size_t)256 << 20)

/* Templates the theme must provide. */
static const char *const required_templates[] = { "page", "home", "print", "404", "root" };

struct worker {
	struct build *b;
	size_t id;
	struct diags diags;
	struct arena arena;         /* released after each page */
};

typedef void (*page_fn)(struct worker *w, struct page *p);

struct pool {
	struct build *b;
	page_fn fn;
	atomic_size_t next;
	size_t n;
};

struct pool_thread {
	struct pool *pool;
	struct worker w;
};

static void *pool_main(void *arg)
{
	struct pool_thread *t = arg;
	struct pool *pool = t->pool;
	size_t i;
	while ((i = atomic_fetch_add(&pool->next, 1)) < pool->n) {
		pool->fn(&t->w, pool->b->site.pages[i]);
		arena_release(&t->w.arena);
	}
	slug_thread_release();
	readability_thread_release();
	return NULL;
}

/* Runs fn over the first n pages on opt->jobs threads; merges diagnostics. */
static void run_pages(struct build *b, size_t n, page_fn fn, struct diags *d)
{
	size_t jobs = (size_t)b->opt->jobs, i;
	struct pool pool;
	struct pool_thread *threads;
	pthread_t *tids;
	if (jobs > n)
		jobs = n ? n : 1;
	pool.b = b;
	pool.fn = fn;
	atomic_init(&pool.next, 0);
	pool.n = n;
	threads = xcalloc(jobs, sizeof(*threads));
	tids = xcalloc(jobs, sizeof(*tids));
	for (i = 0; i < jobs; i++) {
		threads[i].pool = &pool;
		threads[i].w.b = b;
		threads[i].w.id = i;
		threads[i].w.diags.strict = d->strict;
	}
	/* The calling thread is worker 0: one thread less to start. */
	for (i = 1; i < jobs; i++)
		if (pthread_create(&tids[i], NULL, pool_main, &threads[i]))
			BUG("cannot start a worker thread");
	pool_main(&threads[0]);
	for (i = 1; i < jobs; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < jobs; i++) {
		diags_take(d, &threads[i].w.diags);
		arena_release(&threads[i].w.arena);
	}
	free(threads);
	free(tids);
}

/* A file name of a language folder, and whether it may be a link (only
 * those are looked at again: a site's pages are thousands of files). */
struct entry_name {
	char *name;
	int maybe_link;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry_name *)a)->name, ((const struct entry_name *)b)->name);
}

/* Lists the *.md files of one language folder, sorted, as pages. A symlink
 * must stay inside the source dir (config_load checked the folder). */
static int discover_language(struct build *b, int lang, struct diags *d)
{
	const char *tag = b->cfg.langs[lang].tag;
	struct buf dir = BUF_INIT, path = BUF_INIT;
	struct entry_name *names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *e;
	DIR *dp;
	int ret = 0;
	buf_addf(&dir, "%s/%s", b->opt->source_dir, tag);
	dp = opendir(dir.ptr);
	if (!dp) {
		diag(d, RULE_IO, dir.ptr, 0, 0, "cannot read folder: %s", strerror(errno));
		buf_release(&dir);
		return -1;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 4 || strcmp(e->d_name + len - 3, ".md"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, st_mult(cap, sizeof(*names)));
		}
		names[n].name = xstrdup(e->d_name);
		names[n++].maybe_link = e->d_type == DT_LNK || e->d_type == DT_UNKNOWN;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		struct stat st;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.ptr, names[i].name);
		if (names[i].maybe_link && !lstat(path.ptr, &st) && S_ISLNK(st.st_mode) &&
		    source_check_link(b->real_source, b->opt->source_dir, path.ptr, d)) {
			ret = -1;
			free(names[i].name);
			continue;
		}
		names[i].name[strlen(names[i].name) - 3] = '\0';
		site_new_page(&b->site, lang, names[i].name, path.ptr);
		free(names[i].name);
	}
	free(names);
	buf_release(&dir);
	buf_release(&path);
	return ret;
}

static void load_page(struct worker *w, struct page *p)
{
	struct build *b = w->b;
	struct buf text = BUF_INIT;
	struct diags found = { 0 };
	uint64_t raw;
	if (!build_reuse_load(b, p, &b->meta_arenas[w->id], &w->diags))
		return;
	if (source_read_bytes(p->path, b->cfg.max_file_size, &text, &b->stamps, &w->diags)) {
		buf_release(&text);
		return;
	}
	raw = hash_bytes(text.ptr, text.len);  /* the stamp's */
	if (source_normalize(p->path, &text, &w->diags)) {
		buf_release(&text);
		return;
	}
	p->text = buf_detach(&text, &p->len);
	found.strict = w->diags.strict;
	frontmatter_parse(p->path, p->text, p->len, &b->meta_arenas[w->id], &p->meta,
			  &p->body_offset, &p->body_line, &found);
	p->text_hash = hash_bytes(p->text, p->len);
	{
		uint64_t h = hash_bytes(p->text + p->body_offset, p->len - p->body_offset);
		snprintf(p->body_hash, sizeof(p->body_hash), "%012llx",
			 (unsigned long long)(h >> 16));
	}
	page_cache_format_source(p, &found, &b->source_records[p->index]);
	b->source_keys[p->index] = raw;
	diags_take(&w->diags, &found);
	diags_release(&found);
}

/* Fills updated_text ("Updated November 24, 2026") for every page. */
static void format_dates(struct build *b)
{
	const struct config *c = &b->cfg;
	struct date_formatter **f = xcalloc(c->n_langs, sizeof(*f));
	struct buf date = BUF_INIT, text = BUF_INIT;
	size_t i;
	for (i = 0; i < b->site.n_pages; i++) {
		struct page *p = b->site.pages[i];
		int lang = p->fallback_of ? p->fallback_of->lang : p->lang;
		if (!p->meta.updated)
			continue;
		if (!f[lang])
			f[lang] = date_formatter_new(c->langs[lang].tag);
		buf_reset(&date);
		buf_reset(&text);
		if (date_format_long(f[lang], p->meta.updated, &date))
			continue;
		fill_placeholder(&text, config_string(c, lang, "updated"), "date", date.ptr);
		p->updated_text = arena_strndup(&b->site.arena, text.ptr, text.len);
	}
	for (i = 0; i < c->n_langs; i++)
		date_formatter_free(f[i]);
	free(f);
	buf_release(&date);
	buf_release(&text);
}

static int load_template_dir(struct build *b, const char *sub, struct diags *d)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, text = BUF_INIT, name = BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int ret = 0;
	buf_addf(&dir, "%s%s%s", b->opt->templates_dir, *sub ? "/" : "", sub);
	dp = opendir(dir.ptr);
	if (!dp) {
		if (!*sub) {
			diag(d, RULE_IO, dir.ptr, 0, 0, "cannot read templates: %s", strerror(errno));
			ret = -1;
		}
		buf_release(&dir);
		return ret;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 10 || strcmp(e->d_name + len - 9, ".mustache"))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.ptr, e->d_name);
		buf_reset(&name);
		/* Partials are named without their folder: {{> footer}}. */
		buf_add(&name, e->d_name, len - 9);
		if (source_read_stamped(path.ptr, b->cfg.max_file_size, &text, &b->stamps, d) ||
		    mustache_add(b->templates, name.ptr, path.ptr, text.ptr, text.len, d))
			ret = -1;
	}
	closedir(dp);
	buf_release(&dir);
	buf_release(&path);
	buf_release(&text);
	buf_release(&name);
	return ret;
}

static int load_templates(struct build *b, struct diags *d)
{
	size_t i;
	int ret = 0;
	b->templates = mustache_new();
	if (load_template_dir(b, "", d) || load_template_dir(b, "partials", d))
		return -1;
	{
		struct buf path = BUF_INIT;
		struct stat st;
		buf_addf(&path, "%s/brochure.mustache", b->opt->templates_dir);
		b->has_brochure = !stat(path.ptr, &st);
		buf_reset(&path);
		buf_addf(&path, "%s/report.mustache", b->opt->templates_dir);
		b->has_report = !stat(path.ptr, &st);
		buf_release(&path);
	}
	for (i = 0; i < ARRAY_SIZE(required_templates); i++) {
		struct buf path = BUF_INIT;
		struct stat st;
		buf_addf(&path, "%s/%s.mustache", b->opt->templates_dir, required_templates[i]);
		if (stat(path.ptr, &st)) {
			diag(d, RULE_TEMPLATE_PARTIAL, path.ptr, 0, 0, "missing template");
			diag_note(d, "the theme needs %s.mustache", required_templates[i]);
			ret = -1;
		}
		buf_release(&path);
	}
	if (mustache_check(b->templates, d))
		ret = -1;
	return ret;
}

/* --- rendering one page (runs on a worker thread) --- */

static const char *job_fact(void *ctx, const char *name)
{
	struct page_job *j = ctx;
	const struct fact *f = config_fact(&j->b->cfg, name);
	int lang = j->page->fallback_of ? j->page->fallback_of->lang : j->page->lang;
	return f ? f->values[lang] : NULL;
}

static const char *job_fact_for_phone(void *ctx, const char *digits)
{
	struct page_job *j = ctx;
	const struct fact *f = hash_get(&j->b->cfg.phone_index, digits);
	return f ? f->name : NULL;
}

static int job_resolve_link(void *ctx, const char *dest, int line, int col, struct buf *href,
			    struct diags *d)
{
	struct page_job *j = ctx;
	return site_resolve_link(&j->b->site, j->page, dest, line, col, href, d);
}

/* The Markdown environment of src (a page's own source, also for its
 * fallback copies): its file, language, strings and the site's facts; links
 * resolve for job's page. */
void build_page_env(struct build *b, const struct page *src, struct page_job *job,
		     struct md_env *env)
{
	memset(env, 0, sizeof(*env));
	env->path = src->path;
	env->line_offset = src->body_line;
	env->lang = b->cfg.langs[src->lang].tag;
	env->strings = b->cfg.langs[src->lang].strings;
	env->fact = job_fact;
	env->fact_names = b->cfg.fact_names;
	env->n_facts = b->cfg.n_facts;
	env->fact_for_phone = job_fact_for_phone;
	env->resolve_link = job_resolve_link;
	env->ctx = job;
}

void build_output_path(const struct build *b, const char *url, const char *suffix,
		       struct buf *out)
{
	buf_adds(out, url + strlen(b->cfg.root) + 1);
	buf_adds(out, suffix);
}

static void keep_page_facts(struct page *p, const struct md_result *r)
{
	size_t i;
	p->anchors = xcalloc(r->n_headings + 1, sizeof(*p->anchors));
	for (i = 0; i < r->n_headings; i++) {
		p->anchors[i] = xstrdup(r->headings[i].id);
		if (r->headings[i].level == 2)
			p->n_h2++;
	}
	p->n_anchors = r->n_headings;
	p->facts_used = xcalloc(r->n_facts_used + 1, sizeof(*p->facts_used));
	for (i = 0; i < r->n_facts_used; i++)
		p->facts_used[i] = xstrdup(r->facts_used[i]);
	p->n_facts_used = r->n_facts_used;
	p->n_footnotes = r->n_footnotes;
}

/* The Markdown body of src as rendered into html, for the lint. */
void build_lint_body(const struct page *src, const char *html, struct lint_body *body)
{
	body->html = html;
	body->len = strlen(html);
	body->src_path = src->path;
	body->src_text = src->text + src->body_offset;
	body->src_len = src->len - src->body_offset;
	body->body_line = src->body_line;
	body->reported = 0;
}

/* Lints a written page in language lang made from template tmpl; findings
 * in its Markdown bodies (n, in page order; 0 for pages without any) point
 * at their source. */
void build_lint_written(struct build *b, int lang, const char *tmpl,
			 const struct lint_body *bodies, size_t n, const struct buf *page,
			 const char *out_path, struct diags *d)
{
	struct lint_input in;
	struct buf tpath = BUF_INIT;
	buf_addf(&tpath, "%s/%s.mustache", b->opt->templates_dir, tmpl);
	memset(&in, 0, sizeof(in));
	in.html = page->ptr;
	in.len = page->len;
	in.out_path = out_path;
	in.template_path = tpath.ptr;
	in.lang = b->cfg.langs[lang].tag;
	in.bodies = bodies;
	in.n_bodies = n;
	lint_page(b->linter, &in, d);
	buf_release(&tpath);
}

/* Renders, lints and (unless the previous build's file was kept) writes
 * one of p's two pages; findings go to d. */
static int render_one(struct worker *w, struct page *p, enum page_kind kind, const char *html,
		      int kept, struct diags *d)
{
	struct build *b = w->b;
	struct buf out = BUF_INIT, path = BUF_INIT;
	struct value *ctx = render_page_context(&b->shared, p, kind, html, &w->arena);
	const char *tmpl = kind == PAGE_PRINT ? "print" : p->is_home ? "home" : "page";
	int ret = -1;
	if (mustache_render(b->templates, tmpl, ctx, b->opt->strict, &out, d))
		goto out;
	build_output_path(b, p->url, kind == PAGE_PRINT ? "print/index.html" : "index.html", &path);
	{
		/* A fallback copy is in its source's language. */
		const struct page *src = p->fallback_of ? p->fallback_of : p;
		struct lint_body body;
		build_lint_body(src, html, &body);
		/* The page and its large print hold the same body: the page
		 * reports what is found in it. */
		body.reported = kind == PAGE_PRINT;
		build_lint_written(b, src->lang, tmpl, &body, 1, &out, path.ptr, d);
	}
	ret = kept ? 0 : output_write(&b->out, path.ptr, out.ptr, out.len, d);
out:
	buf_release(&out);
	buf_release(&path);
	return ret;
}

/* The reading level of p's body, and a warning when it is harder than the
 * language's target (site.yaml reading_level, else the scale's default). */
static void measure_reading(struct build *b, struct page *p, const struct md_result *r,
			    struct diags *d)
{
	double target;
	if (readability_measure(r->text, r->text_len, b->cfg.langs[p->lang].tag, &p->read) ||
	    !p->read.scale)
		return;
	target = b->cfg.reading_target[p->lang];
	if (!target)
		target = readability_default_target(p->read.scale);
	if (!readability_over_target(&p->read, target))
		return;
	diag(d, RULE_READING_LEVEL, p->path, p->body_line + 1, 1,
	     "hard to read: %s %.1f, the target is %s %g (WCAG 2.2 SC 3.1.5)",
	     !strcmp(p->read.scale, READABILITY_SCALE_FK) ? "grade" : "INFLESZ", p->read.score,
	     !strcmp(p->read.scale, READABILITY_SCALE_FK) ? "at most" : "at least", target);
	diag_note(d, "use shorter sentences and common words; a list item counts as a sentence");
}

/* Counts the renders that will read each page's text: its own, its
 * fallback copies', and the brochure's. */
static void count_text_users(struct build *b)
{
	size_t i;
	b->text_users = xcalloc(b->site.n_pages + 1, sizeof(*b->text_users));
	for (i = 0; i < b->site.n_pages; i++) {
		const struct page *p = b->site.pages[i];
		const struct page *src = p->fallback_of ? p->fallback_of : p;
		int users = 1 + (b->has_brochure && p->group->position != INT_MAX);
		atomic_fetch_add(&b->text_users[src->index], users);
	}
}

/* One render less will read src's text: the last one frees it. */
void build_text_done(struct build *b, const struct page *src)
{
	struct page *owner = b->site.pages[src->index];
	if (atomic_fetch_sub(&b->text_users[src->index], 1) == 1) {
		free(owner->text);
		owner->text = NULL;
	}
}

static void render_page(struct worker *w, struct page *p)
{
	struct build *b = w->b;
	const struct page *src = p->fallback_of ? p->fallback_of : p;
	struct page_job job = { b, p };
	struct md_env env;
	struct md_result r;
	struct buf record = BUF_INIT;
	/* What p's render finds, kept in its page cache record. A fallback
	 * copy's Markdown problems are its source's: report them once. */
	struct diags found = { 0 }, quiet = { 0 };
	struct diags *d = p->fallback_of ? &quiet : &found;
	int kept[2] = { 0, 0 };
	p->cache_key = build_page_key(b, p, &w->arena);
	if (!build_reuse_render(b, p, kept, &w->diags)) {
		build_text_done(b, src);
		return;
	}
	found.strict = w->diags.strict;
	if (build_need_text(b, src, &w->diags)) {
		build_text_done(b, src);
		return;
	}
	build_page_env(b, src, &job, &env);
	/* Anchors are kept even when the page has errors, so that links to
	 * it are not reported as broken too. */
	int failed = markdown_render(src->text + src->body_offset, src->len - src->body_offset,
				     &env, &w->arena, &r, d);
	keep_page_facts(p, &r);
	if (!failed && !p->fallback_of)
		measure_reading(b, p, &r, d);
	if (!failed) {
		render_one(w, p, PAGE_WEB, r.html, kept[PAGE_WEB], &found);
		render_one(w, p, PAGE_PRINT, r.html, kept[PAGE_PRINT], &found);
	}
	page_cache_format(p, &found, &record);
	p->cache_record = buf_detach(&record, &p->cache_record_len);
	diags_take(&w->diags, &found);
	diags_release(&found);
	diags_release(&quiet);
	build_text_done(b, src);
}

/* The pages that belong to no language, the sitemap and the theme's assets. */
static int render_site_files(struct build *b, struct diags *d)
{
	struct arena a = ARENA_INIT;
	struct buf out = BUF_INIT;
	struct value *ctx = render_site_context(&b->shared, &a);
	int ret = 0;
	if (mustache_render(b->templates, "root", ctx, b->opt->strict, &out, d))
		ret = -1;
	build_lint_written(b, 0, "root", NULL, 0, &out, "index.html", d);
	if (output_write(&b->out, "index.html", out.ptr, out.len, d))
		ret = -1;
	buf_reset(&out);
	if (mustache_render(b->templates, "404", ctx, b->opt->strict, &out, d))
		ret = -1;
	build_lint_written(b, 0, "404", NULL, 0, &out, "404.html", d);
	if (output_write(&b->out, "404.html", out.ptr, out.len, d))
		ret = -1;
	for (size_t l = 0; b->has_brochure && l < b->cfg.n_langs; l++)
		if (build_brochure(b, (int)l, &a, d))
			ret = -1;
	buf_reset(&out);
	if (sitemap_write(&b->site, &out) ||
	    output_write(&b->out, "sitemap.xml", out.ptr, out.len, d))
		ret = -1;
	buf_release(&out);
	arena_release(&a);
	return ret;
}

/* Copies templates/assets/ (one level of subfolders) to assets/. */
static int copy_assets(struct build *b, const char *sub, int depth, struct diags *d)
{
	struct buf dir = BUF_INIT, path = BUF_INIT, rel = BUF_INIT, data = BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int ret = 0;
	buf_addf(&dir, "%s/assets%s", b->opt->templates_dir, sub);
	dp = opendir(dir.ptr);
	if (!dp) {
		buf_release(&dir);
		return 0;
	}
	while ((e = readdir(dp)) != NULL) {
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.ptr, e->d_name);
		buf_reset(&rel);
		buf_addf(&rel, "assets%s/%s", sub, e->d_name);
		if (stat(path.ptr, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < 2) {
				struct buf next = BUF_INIT;
				buf_addf(&next, "%s/%s", sub, e->d_name);
				ret |= copy_assets(b, next.ptr, depth + 1, d);
				buf_release(&next);
			}
			continue;
		}
		/* Not a FIFO or a device: those would hang the build or never end. */
		if (source_read_bytes(path.ptr, ASSET_MAX_SIZE, &data, &b->stamps, d)) {
			ret = -1;
			continue;
		}
		if (strlen(e->d_name) > 4 && !strcmp(e->d_name + strlen(e->d_name) - 4, ".css"))
			lint_css_contrast(data.ptr, data.len, path.ptr, d);
		if (output_write(&b->out, rel.ptr, data.ptr, data.len, d))
			ret = -1;
	}
	closedir(dp);
	buf_release(&dir);
	buf_release(&path);
	buf_release(&rel);
	buf_release(&data);
	return ret;
}

static int load_site(struct build *b, struct diags *d)
{
	size_t l, jobs = (size_t)b->opt->jobs;
	int ret = 0;
	if (config_load_stamped(&b->cfg, b->opt->source_dir, &b->stamps, d))
		return -1;
	b->n_config_stamps = b->stamps.n;
	b->real_source = realpath(b->opt->source_dir, NULL);
	if (!b->real_source) {
		diag(d, RULE_IO, b->opt->source_dir, 0, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	site_init(&b->site, &b->cfg);
	for (l = 0; l < b->cfg.n_langs; l++)
		if (discover_language(b, (int)l, d))
			ret = -1;
	if (ret)
		return -1;
	if (build_nothing_changed(b)) {
		b->unchanged = 1;
		return 0;
	}
	b->meta_arenas = xcalloc(jobs, sizeof(*b->meta_arenas));
	b->n_loaded = b->site.n_pages;
	b->source_records = xcalloc(b->n_loaded + 1, sizeof(*b->source_records));
	b->source_keys = xcalloc(b->n_loaded + 1, sizeof(*b->source_keys));
	cache_read(b->opt->out_dir, b->stamps.options, &b->inputs);
	page_cache_read(&b->sources, b->opt->out_dir, SOURCE_CACHE_FILE, b->stamps.options);
	run_pages(b, b->site.n_pages, load_page, d);
	cache_table_release(&b->inputs);
	page_cache_release(&b->sources);
	b->n_loaded_stamps = b->stamps.n;
	if (ret || d->errors)
		return -1;
	if (site_link(&b->site, d))
		return -1;
	format_dates(b);
	return 0;
}

void build_stats_release(struct build_stats *st)
{
	size_t i;
	for (i = 0; i < st->n_source_hashes; i++)
		free(st->source_hashes[i]);
	free(st->source_hashes);
	memset(st, 0, sizeof(*st));
}

int build_site(const struct build_options *o, struct build_stats *st, struct diags *d)
{
	struct build b;
	size_t i;
	int ret = -1, output_open = 0, failed;
	memset(&b, 0, sizeof(b));
	memset(st, 0, sizeof(*st));
	pthread_mutex_init(&b.text_lock, NULL);
	b.opt = o;
	{
		struct buf opts = BUF_INIT;
		struct stat self;
		UVersionInfo icu;
		char icu_text[U_MAX_VERSION_STRING_LENGTH];
		u_getVersion(icu);
		u_versionToString(icu, icu_text);
		/* The libraries decide bytes too (a page's reading level is ICU's). */
		buf_addf(&opts, "carepress %s strict=%d release=%d cmark-gfm=%s libxml2=%s icu=%s yaml=%s",
			 CAREPRESS_VERSION, o->strict, o->release, cmark_version_string(),
			 xmlParserVersion, icu_text, yaml_get_version_string());
		/* A new carepress binary (same version or not) may write other bytes. */
		if (!stat("/proc/self/exe", &self))
			buf_addf(&opts, " exe=%lld.%ld/%lld/%llu", (long long)self.st_mtim.tv_sec,
				 (long)self.st_mtim.tv_nsec, (long long)self.st_size,
				 (unsigned long long)self.st_ino);
		stamps_init(&b.stamps, hash_bytes(opts.ptr, opts.len));
		buf_release(&opts);
	}
	if (load_site(&b, d))
		goto out;
	if (b.unchanged) {
		/* Up to date, but a killed build may have left its staging dir. */
		output_remove_stale(o->out_dir);
		st->unchanged = 1;
		st->pages = b.site.n_pages;
		st->languages = b.cfg.n_langs;
		ret = 0;
		goto out;
	}
	if (load_templates(&b, d))
		goto out;
	{
		struct arena la = ARENA_INIT;
		struct lint_lang *ll = xcalloc(b.cfg.n_langs, sizeof(*ll));
		for (i = 0; i < b.cfg.n_langs; i++)
			lint_lang_from_strings(&ll[i], b.cfg.langs[i].tag, b.cfg.langs[i].strings, &la);
		b.linter = linter_new(ll, b.cfg.n_langs);
		free(ll);
		arena_release(&la);
	}
	if (output_begin(&b.out, o->out_dir, d))
		goto out;
	output_open = 1;
	render_shared_init(&b.shared, &b.site);
	build_site_key(&b);
	page_cache_read(&b.cache, o->out_dir, PAGE_CACHE_FILE, b.site_key);
	count_text_users(&b);
	run_pages(&b, b.site.n_pages, render_page, d);
	translate_check(&b.site, o->release, d);
	failed = site_check_anchors(&b.site, d);
	failed |= render_site_files(&b, d);
	failed |= copy_assets(&b, "", 0, d);
	/* Every input is read and every page rendered: the caches are
	 * complete, and their memory is the report's. */
	failed |= build_write_caches(&b, d);
	/* The renders freed the sources as they were done with them; the
	 * report needs the memory they held. */
	memory_give_back();
	/* Last of the checks: the report lists every finding before it. */
	failed |= build_report(&b, d);
	if (failed)
		goto out;
	if (diags_failed(d))
		goto out;
	st->pages = b.site.n_pages;
	st->languages = b.cfg.n_langs;
	st->source_hashes = xcalloc(b.site.n_pages + 1, sizeof(*st->source_hashes));
	for (i = 0; i < b.site.n_pages; i++) {
		struct page *p = b.site.pages[i];
		if (p->fallback_of || p != translate_source(&b.site, p->group))
			continue;
		{
			struct buf line = BUF_INIT;
			buf_addf(&line, "%s %s", p->body_hash, p->path);
			st->source_hashes[st->n_source_hashes++] = buf_detach(&line, NULL);
		}
	}
	st->files = b.out.n_written;
	st->files_changed = b.out.n_written - b.out.n_linked;
	output_open = 0;
	if (output_commit(&b.out, d))
		goto out;
	ret = 0;
out:
	if (output_open)
		output_abort(&b.out);
	render_shared_release(&b.shared);
	if (b.templates)
		mustache_free(b.templates);
	if (b.linter)
		linter_free(b.linter);
	site_release(&b.site);
	if (b.meta_arenas)
		for (i = 0; i < (size_t)o->jobs; i++)
			arena_release(&b.meta_arenas[i]);
	free(b.meta_arenas);
	free(b.text_users);
	free(b.common);
	page_cache_release(&b.cache);
	for (i = 0; i < b.n_loaded; i++)
		buf_release(&b.source_records[i]);
	free(b.source_records);
	free(b.source_keys);
	pthread_mutex_destroy(&b.text_lock);
	free(b.real_source);
	config_release(&b.cfg);
	stamps_release(&b.stamps);
	return ret;
}
