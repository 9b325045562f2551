/* site.c - the site graph: slugs, URLs, translation groups, links, anchors. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "site.h"
#include "slug.h"
#include "util.h"

void site_init(struct site *s, const struct config *cfg)
{
	size_t i;
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->by_name = xcalloc(cfg->n_langs, sizeof(*s->by_name));
	s->by_url = xcalloc(cfg->n_langs, sizeof(*s->by_url));
	for (i = 0; i < cfg->n_langs; i++) {
		struct hash empty = HASH_INIT;
		s->by_name[i] = empty;
		s->by_url[i] = empty;
	}
}

static void page_free(struct page *p)
{
	size_t i;
	free(p->text);
	for (i = 0; i < p->n_anchors; i++)
		free((char *)p->anchors[i]);
	free(p->anchors);
	for (i = 0; i < p->n_refs; i++)
		free((char *)p->refs[i].anchor);
	free(p->refs);
	for (i = 0; i < p->n_facts_used; i++)
		free((char *)p->facts_used[i]);
	free(p->facts_used);
	free(p->cache_record);
	free(p);
}

void site_release(struct site *s)
{
	size_t i;
	for (i = 0; i < s->n_pages; i++)
		page_free(s->pages[i]);
	free(s->pages);
	free(s->groups);
	if (s->cfg) {
		for (i = 0; i < s->cfg->n_langs; i++) {
			hash_release(&s->by_name[i]);
			hash_release(&s->by_url[i]);
		}
	}
	free(s->by_name);
	free(s->by_url);
	hash_release(&s->group_index);
	arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

struct page *site_new_page(struct site *s, int lang, const char *name, const char *path)
{
	struct page *p = xcalloc(1, sizeof(*p));
	p->index = s->n_pages;
	p->lang = lang;
	p->name = arena_strdup(&s->arena, name);
	p->path = arena_strdup(&s->arena, path);
	if (s->n_pages == s->cap_pages) {
		s->cap_pages = s->cap_pages ? s->cap_pages * 2 : 64;
		s->pages = xrealloc(s->pages, st_mult(s->cap_pages, sizeof(*s->pages)));
	}
	s->pages[s->n_pages++] = p;
	return p;
}

const struct page *site_translation(const struct page_group *g, int lang)
{
	return g->by_lang[lang];
}

/* Slugs become one path segment of a URL: lowercase letters, digits and
 * single hyphens only, so no slug can reach outside its language folder. */
static int slug_is_safe(const char *s)
{
	const char *p;
	if (!*s || *s == '-')
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

static int assign_slug(struct site *s, struct page *p, struct diags *d)
{
	struct buf b = BUF_INIT;
	const char *lang = s->cfg->langs[p->lang].tag;
	if (!strcmp(p->name, "index")) {
		p->is_home = 1;
		p->slug = "";
		p->url = arena_printf(&s->arena, "%s/%s/", s->cfg->root, lang);
		return 0;
	}
	if (p->meta.slug) {
		if (!slug_is_safe(p->meta.slug)) {
			diag(d, RULE_SLUG, p->path, p->meta.slug_line, p->meta.slug_col,
			     "slug '%s' may only use a-z, 0-9 and '-'", p->meta.slug);
			diag_note(d, "a slug is one part of the page's address; no '/', '..' or spaces");
			return -1;
		}
		p->slug = p->meta.slug;
	} else {
		if (slug_from_text(p->meta.title, strlen(p->meta.title), &b) || !b.len) {
			diag(d, RULE_SLUG, p->path, p->meta.title_line, 1,
			     "cannot make a slug from the title '%s'", p->meta.title);
			diag_note(d, "add 'slug: some-name' to the front matter");
			buf_release(&b);
			return -1;
		}
		p->slug = arena_strndup(&s->arena, b.ptr, b.len);
		buf_release(&b);
	}
	p->url = arena_printf(&s->arena, "%s/%s/%s/", s->cfg->root, lang, p->slug);
	return 0;
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct page_group *a = *(struct page_group *const *)pa;
	const struct page_group *b = *(struct page_group *const *)pb;
	if (a->position != b->position)
		return a->position < b->position ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->key, b->key);
}

static struct page_group *group_for(struct site *s, const char *key)
{
	struct page_group *g = hash_get(&s->group_index, key);
	size_t i;
	if (g)
		return g;
	g = arena_alloc(&s->arena, sizeof(*g));
	g->key = key;
	g->by_lang = arena_alloc(&s->arena, st_mult(s->cfg->n_langs, sizeof(*g->by_lang)));
	g->position = INT_MAX;
	g->order = INT_MAX;
	for (i = 0; i < s->cfg->n_order; i++)
		if (!strcmp(s->cfg->order[i], key)) {
			g->position = (int)i;
			break;
		}
	hash_put(&s->group_index, key, g);
	return g;
}

/* Publishes page src at lang's address, in src's language (fallback policy). */
static void add_fallback(struct site *s, struct page_group *g, const struct page *src, int lang)
{
	struct page *p = site_new_page(s, lang, src->name, src->path);
	p->key = src->key;
	p->meta = src->meta;
	memcpy(p->body_hash, src->body_hash, sizeof(p->body_hash));
	p->len = src->len;
	p->body_offset = src->body_offset;
	p->body_line = src->body_line;
	p->slug = src->slug;
	p->is_home = src->is_home;
	p->url = p->is_home ? arena_printf(&s->arena, "%s/%s/", s->cfg->root, s->cfg->langs[lang].tag)
			    : arena_printf(&s->arena, "%s/%s/%s/", s->cfg->root,
					   s->cfg->langs[lang].tag, p->slug);
	p->group = g;
	p->fallback_of = src;
	g->by_lang[lang] = p;
	hash_put(&s->by_name[lang], p->name, p);
	hash_put(&s->by_url[lang], p->url, p);
}

/* Reports that src has no translation in language lang. Translations pair
 * by key (front matter key, else the file name), so the file of the same
 * name may well exist there with another key: say so, not that it is
 * missing. */
static void report_missing(const struct site *s, const struct page *src, int lang,
			   struct diags *d)
{
	const struct config *c = s->cfg;
	const struct page *same_name = hash_get(&s->by_name[lang], src->name);
	const char *name = c->langs[lang].name;
	int line = src->meta.key ? src->meta.key_line : 1;
	int col = src->meta.key ? src->meta.key_col : 1;
	if (src->meta.key)
		diag(d, RULE_TRANSLATION_MISSING, src->path, line, col,
		     "page '%s' has no %s translation (no page in %s/%s has key '%s')", src->key,
		     name, c->source_dir, c->langs[lang].tag, src->key);
	else if (same_name)
		diag(d, RULE_TRANSLATION_MISSING, src->path, line, col,
		     "page '%s' has no %s translation (%s has key '%s', not '%s')", src->key, name,
		     same_name->path, same_name->key, src->key);
	else
		diag(d, RULE_TRANSLATION_MISSING, src->path, line, col,
		     "page '%s' has no %s translation (%s/%s/%s.md is missing)", src->key, name,
		     c->source_dir, c->langs[lang].tag, src->name);
	if (same_name)
		diag_note(d, "if %s is its translation, give both pages the same 'key:'",
			  same_name->path);
	else
		diag_note(d, "translate it, or set 'fallback: true' in site.yaml to publish "
			  "the %s page there with a notice", c->langs[src->lang].name);
}

static int check_groups(struct site *s, struct diags *d)
{
	const struct config *c = s->cfg;
	size_t i, l, n_real = s->n_pages;
	int ret = 0;
	for (i = 0; i < s->n_groups; i++) {
		struct page_group *g = s->groups[i];
		const struct page *src = NULL;
		for (l = 0; l < c->n_langs && !src; l++)
			src = g->by_lang[l];
		for (l = 0; l < c->n_langs; l++) {
			if (g->by_lang[l])
				continue;
			if (c->fallback) {
				if (src->url) /* else its slug error is reported */
					add_fallback(s, g, src, (int)l);
				continue;
			}
			report_missing(s, src, (int)l, d);
			ret = -1;
		}
	}
	(void)n_real;
	for (i = 0; i < c->n_required; i++) {
		struct page_group *g = hash_get(&s->group_index, c->required[i]);
		for (l = 0; l < c->n_langs; l++) {
			if (g && g->by_lang[l] && !g->by_lang[l]->fallback_of)
				continue;
			diag(d, RULE_TRANSLATION_MISSING, c->site_path, c->required_pos[i].line,
			     c->required_pos[i].col, "required page '%s' is missing in %s (%s/%s/%s.md)",
			     c->required[i], c->langs[l].name, c->source_dir, c->langs[l].tag,
			     c->required[i]);
			if (!g)
				diag_note(d, "no language has %s.md: check the name in required_pages",
					  c->required[i]);
			else if (c->fallback)
				diag_note(d, "a required page is never published from another "
					  "language, even with 'fallback: true': translate it");
			ret = -1;
		}
	}
	for (i = 0; i < c->n_order; i++)
		if (!hash_get(&s->group_index, c->order[i])) {
			diag(d, RULE_CONFIG, c->site_path, c->order_pos[i].line, c->order_pos[i].col,
			     "'pages' lists '%s', but no language has %s.md", c->order[i], c->order[i]);
			ret = -1;
		}
	for (i = 0; i < c->n_footer; i++)
		if (!hash_get(&s->group_index, c->footer[i])) {
			diag(d, RULE_CONFIG, c->site_path, c->footer_pos[i].line, c->footer_pos[i].col,
			     "'footer_links' lists '%s', but no language has %s.md", c->footer[i],
			     c->footer[i]);
			ret = -1;
		}
	return ret;
}

int site_link(struct site *s, struct diags *d)
{
	size_t i, n = s->n_pages;
	int ret = 0;
	for (i = 0; i < n; i++) {
		struct page *p = s->pages[i], *other;
		struct page_group *g;
		/* A page whose slug fails still joins its group: it exists. */
		if (assign_slug(s, p, d))
			ret = -1;
		else if ((other = hash_put(&s->by_url[p->lang], p->url, p)) != NULL) {
			diag(d, RULE_SLUG, p->path, p->meta.slug ? p->meta.slug_line : p->meta.title_line,
			     1, "page address '%s' is taken by %s too", p->url, other->path);
			diag_note(d, "give one of them a different 'slug:'");
			ret = -1;
		}
		hash_put(&s->by_name[p->lang], p->name, p);
		p->key = p->meta.key ? p->meta.key : p->name;
		g = group_for(s, p->key);
		if (g->by_lang[p->lang]) {
			diag(d, RULE_SLUG, p->path, 1, 1, "translation key '%s' is used by %s too",
			     p->key, g->by_lang[p->lang]->path);
			ret = -1;
			continue;
		}
		g->by_lang[p->lang] = p;
		p->group = g;
		if (p->meta.has_order && p->meta.order < g->order)
			g->order = p->meta.order;
	}
	s->n_groups = s->group_index.n;
	s->groups = xmalloc(st_mult(s->n_groups + 1, sizeof(*s->groups)));
	for (i = 0, n = 0; i < s->group_index.cap; i++)
		if (s->group_index.slots[i].key)
			s->groups[n++] = s->group_index.slots[i].value;
	qsort(s->groups, s->n_groups, sizeof(*s->groups), group_cmp);
	if (check_groups(s, d))
		ret = -1;
	return ret;
}

void site_add_ref(struct page *from, const struct page *target, const char *anchor, int line,
		    int col)
{
	struct anchor_ref *r;
	if (from->n_refs == from->cap_refs) {
		from->cap_refs = from->cap_refs ? from->cap_refs * 2 : 8;
		from->refs = xrealloc(from->refs, st_mult(from->cap_refs, sizeof(*from->refs)));
	}
	r = &from->refs[from->n_refs++];
	r->target = target;
	r->anchor = xstrdup(anchor);
	r->line = line;
	r->col = col;
}

/* Resolves a relative path to a Markdown file against content/<lang>/;
 * writes the language index and page name, or returns -1 if the path leaves
 * the content directory or is not of the form <lang>/<name>.md. */
static int resolve_md_path(const struct site *s, int from_lang, const char *path, size_t len,
			   int *lang, struct buf *name, int *outside)
{
	const char *seg[2];
	size_t seglen[2];
	int depth = 1; /* we start in content/<lang>/ */
	size_t pos = 0;
	seg[0] = s->cfg->langs[from_lang].tag;
	seglen[0] = strlen(seg[0]);
	seg[1] = NULL;
	seglen[1] = 0;
	*outside = 0;
	while (pos < len) {
		const char *p = path + pos;
		size_t n = strcspn(p, "/");
		if (n > len - pos)
			n = len - pos;
		if ((n == 1 && p[0] == '.') || n == 0) {
			/* stays */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (depth == 0) {
				*outside = 1;
				return -1;
			}
			depth--;
		} else {
			if (depth >= 2)
				return -1;
			seg[depth] = p;
			seglen[depth] = n;
			depth++;
		}
		pos += n + 1;
	}
	if (depth != 2 || seglen[1] < 4 || memcmp(seg[1] + seglen[1] - 3, ".md", 3))
		return -1;
	{
		char tag[64];
		if (seglen[0] >= sizeof(tag))
			return -1;
		memcpy(tag, seg[0], seglen[0]);
		tag[seglen[0]] = '\0';
		*lang = config_lang(s->cfg, tag);
		if (*lang < 0)
			return -1;
	}
	buf_add(name, seg[1], seglen[1] - 3);
	return 0;
}

int site_link_target(const struct site *s, const struct page *from, const char *dest,
		     int line, int col, const struct page **out, struct diags *d)
{
	const char *hash = strchr(dest, '#');
	size_t path_len = hash ? (size_t)(hash - dest) : strlen(dest);
	const struct page *target = NULL;
	struct buf name = BUF_INIT;
	int ret = -1;
	if (path_len == 0) {
		target = from;
	} else if (dest[0] == '/') {
		size_t root_len = strlen(s->cfg->root), l;
		const char *p = dest;
		struct buf url = BUF_INIT;
		if (root_len && !strncmp(p, s->cfg->root, root_len))
			p += root_len;
		buf_adds(&url, s->cfg->root);
		buf_add(&url, p, path_len - (size_t)(p - dest));
		if (url.len && url.ptr[url.len - 1] != '/')
			buf_addc(&url, '/');
		for (l = 0; l < s->cfg->n_langs && !target; l++)
			target = hash_get(&s->by_url[l], url.ptr);
		buf_release(&url);
	} else {
		int lang, outside;
		if (!resolve_md_path(s, from->lang, dest, path_len, &lang, &name, &outside)) {
			target = hash_get(&s->by_name[lang], name.ptr);
		} else if (outside) {
			diag(d, RULE_PATH, from->path, line, col,
			     "link '%s' points outside the content directory", dest);
			goto out;
		}
	}
	if (!target) {
		diag(d, RULE_LINK_PAGE, from->path, line, col, "link to a page that does not exist: '%s'",
		     dest);
		diag_note(d, "link to another page's file, such as 'urgent-care.md', or to its address "
			  "'/%s/slug/'", s->cfg->langs[from->lang].tag);
		goto out;
	}
	*out = target;
	ret = 0;
out:
	buf_release(&name);
	return ret;
}

int site_resolve_link(struct site *s, struct page *from, const char *dest, int line, int col,
		      struct buf *href, struct diags *d)
{
	const char *hash = strchr(dest, '#');
	const struct page *target;
	if (site_link_target(s, from, dest, line, col, &target, d))
		return -1;
	if (target != from || !hash)
		buf_adds(href, target->url);
	if (hash) {
		buf_adds(href, hash);
		site_add_ref(from, target, hash + 1, line, col);
	}
	return 0;
}

int site_check_anchors(struct site *s, struct diags *d)
{
	size_t i, j, k;
	int ret = 0;
	for (i = 0; i < s->n_pages; i++) {
		struct page *p = s->pages[i];
		if (p->fallback_of)
			continue; /* its source reports its links */
		for (j = 0; j < p->n_refs; j++) {
			const struct anchor_ref *r = &p->refs[j];
			int found = 0;
			for (k = 0; k < r->target->n_anchors && !found; k++)
				found = !strcmp(r->target->anchors[k], r->anchor);
			if (!found) {
				const char *hint = did_you_mean(r->anchor, r->target->anchors,
								r->target->n_anchors);
				diag(d, RULE_LINK_ANCHOR, p->path, r->line, r->col,
				     "link to '#%s', which %s does not have", r->anchor, r->target->path);
				if (hint)
					diag_note(d, "did you mean '#%s'?", hint);
				d->v[d->n - 1].earlier = p->reused && r->target->reused;
				ret = -1;
			}
		}
	}
	return ret;
}
