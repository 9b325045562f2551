/* render.c - build the Mustache context of each page. */
#include <string.h>
#include "buf.h"
#include "render.h"
#include "sitemap.h"
#include "util.h"

void fill_placeholder(struct buf *out, const char *s, const char *name, const char *value)
{
	size_t n = strlen(name);
	const char *p;
	while ((p = strchr(s, '{')) != NULL) {
		if (!strncmp(p + 1, name, n) && p[1 + n] == '}') {
			buf_add(out, s, (size_t)(p - s));
			buf_adds(out, value);
			s = p + n + 2;
		} else {
			buf_add(out, s, (size_t)(p - s) + 1);
			s = p + 1;
		}
	}
	buf_adds(out, s);
}

static struct value *lang_value(struct arena *a, const struct language *l)
{
	struct value *v = value_new(a, VALUE_MAP);
	value_map_set_string(a, v, "tag", l->tag);
	value_map_set_string(a, v, "name", l->name);
	value_map_set_string(a, v, "dir", l->dir);
	return v;
}

void render_shared_init(struct render_shared *rs, const struct site *s)
{
	const struct config *c = s->cfg;
	struct arena *a = &rs->arena;
	size_t l, i;
	memset(rs, 0, sizeof(*rs));
	rs->site = s;
	rs->footer_links = arena_alloc(a, st_mult(c->n_langs, sizeof(*rs->footer_links)));
	rs->languages = value_new(a, VALUE_LIST);
	for (l = 0; l < c->n_langs; l++) {
		struct value *lv = lang_value(a, &c->langs[l]);
		rs->footer_links[l] = value_new(a, VALUE_LIST);
		for (i = 0; i < c->n_footer; i++) {
			const struct page_group *g = hash_get(&s->group_index, c->footer[i]);
			const struct page *p = g ? g->by_lang[l] : NULL;
			struct value *item;
			if (!p)
				continue;
			item = value_new(a, VALUE_MAP);
			value_map_set_string(a, item, "title", p->meta.title);
			value_map_set_string(a, item, "url", p->url);
			value_list_push(a, rs->footer_links[l], item);
		}
		value_map_set_string(a, lv, "home_url", arena_printf(a, "%s/%s/", c->root, c->langs[l].tag));
		value_map_set(a, lv, "strings", (struct value *)c->langs[l].strings);
		value_list_push(a, rs->languages, lv);
	}
}

void render_shared_release(struct render_shared *rs)
{
	arena_release(&rs->arena);
	memset(rs, 0, sizeof(*rs));
}

static void add_common(const struct render_shared *rs, struct value *ctx, int lang,
		       struct arena *a)
{
	const struct config *c = rs->site->cfg;
	struct value *site = value_new(a, VALUE_MAP);
	value_map_set_string(a, ctx, "root", c->root);
	value_map_set_string(a, ctx, "generator", "carepress " CAREPRESS_VERSION);
	value_map_set_string(a, site, "base_url", c->base_url);
	value_map_set(a, ctx, "site", site);
	value_map_set(a, ctx, "lang", lang_value(a, &c->langs[lang]));
	value_map_set(a, ctx, "strings", (struct value *)c->langs[lang].strings);
	value_map_set(a, ctx, "languages", rs->languages);
}

static const char *absolute(const struct config *c, const char *url, struct arena *a)
{
	struct buf b = BUF_INIT;
	const char *s;
	site_absolute_url(c, url, &b);
	s = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return s;
}

struct value *render_page_context(const struct render_shared *rs, const struct page *p,
				  enum page_kind kind, const char *content, struct arena *a)
{
	const struct site *s = rs->site;
	const struct config *c = s->cfg;
	const struct page *src = p->fallback_of ? p->fallback_of : p;
	struct value *ctx = value_new(a, VALUE_MAP), *page = value_new(a, VALUE_MAP);
	struct value *alternates = value_new(a, VALUE_LIST), *nav = value_new(a, VALUE_LIST);
	const char *print_url = arena_printf(a, "%sprint/", p->url);
	size_t l, i;
	/* A fallback copy is in its source's language; its notice is in the
	 * language of the address it is published at. */
	add_common(rs, ctx, src->lang, a);
	value_map_set_string(a, page, "key", p->key);
	value_map_set_string(a, page, "title", p->meta.title);
	value_map_set_string(a, page, "description", p->meta.description);
	value_map_set_string(a, page, "url", kind == PAGE_PRINT ? print_url : p->url);
	value_map_set_string(a, page, "canonical", absolute(c, src->url, a));
	value_map_set_string(a, page, "content", content);
	value_map_set_string(a, page, "print_url", print_url);
	value_map_set_string(a, page, "web_url", p->url);
	value_map_set(a, page, "is_home", value_new_bool(a, p->is_home));
	if (p->meta.updated) {
		value_map_set_string(a, page, "updated_iso", p->meta.updated);
		if (p->updated_text)
			value_map_set_string(a, page, "updated_text", p->updated_text);
	}
	if (p->fallback_of) {
		struct buf notice = BUF_INIT;
		fill_placeholder(&notice, config_string(c, p->lang, "untranslated"), "language",
				 c->langs[p->lang].name);
		value_map_set_string(a, page, "notice", arena_strndup(a, notice.ptr, notice.len));
		value_map_set_string(a, page, "notice_lang", c->langs[p->lang].tag);
		value_map_set_string(a, page, "notice_dir", c->langs[p->lang].dir);
		buf_release(&notice);
	}
	value_map_set(a, ctx, "page", page);
	for (l = 0; l < c->n_langs; l++) {
		const struct page *t = p->group->by_lang[l];
		struct value *alt;
		if (!t || t->fallback_of)
			continue;
		alt = lang_value(a, &c->langs[l]);
		value_map_set_string(a, alt, "url", kind == PAGE_PRINT ?
				     arena_printf(a, "%sprint/", t->url) : t->url);
		value_map_set_string(a, alt, "canonical", absolute(c, t->url, a));
		value_map_set(a, alt, "is_current", value_new_bool(a, t == p));
		value_list_push(a, alternates, alt);
		if (alternates->n == 1)
			value_map_set_string(a, ctx, "x_default", absolute(c, t->url, a));
	}
	value_map_set(a, ctx, "alternates", alternates);
	for (i = 0; i < c->n_order; i++) {
		const struct page_group *g = hash_get(&s->group_index, c->order[i]);
		const struct page *t = g ? g->by_lang[p->lang] : NULL;
		struct value *item;
		if (!t)
			continue;
		item = value_new(a, VALUE_MAP);
		value_map_set_string(a, item, "title", t->meta.title);
		value_map_set_string(a, item, "url", t->url);
		value_map_set(a, item, "is_current", value_new_bool(a, t == p));
		value_list_push(a, nav, item);
	}
	value_map_set(a, ctx, "nav", nav);
	value_map_set(a, ctx, "footer_links", rs->footer_links[p->lang]);
	return ctx;
}

struct value *render_brochure_context(const struct render_shared *rs, int lang,
				      struct value *pages, struct arena *a)
{
	const struct config *c = rs->site->cfg;
	const struct page_group *home = hash_get(&rs->site->group_index, "index");
	const struct page *h = home ? home->by_lang[lang] : NULL;
	struct value *ctx = value_new(a, VALUE_MAP), *br = value_new(a, VALUE_MAP);
	add_common(rs, ctx, lang, a);
	value_map_set(a, ctx, "footer_links", rs->footer_links[lang]);
	value_map_set_string(a, br, "title", h ? h->meta.title : config_string(c, lang, "site_name"));
	value_map_set_string(a, br, "description", h ? h->meta.description : "");
	value_map_set_string(a, br, "url", arena_printf(a, "%s/%s/brochure/", c->root,
							  c->langs[lang].tag));
	value_map_set(a, br, "pages", pages);
	value_map_set(a, ctx, "brochure", br);
	return ctx;
}

struct value *render_site_context(const struct render_shared *rs, struct arena *a)
{
	struct value *ctx = value_new(a, VALUE_MAP);
	add_common(rs, ctx, 0, a);
	value_map_set(a, ctx, "footer_links", rs->footer_links[0]);
	return ctx;
}
