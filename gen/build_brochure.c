/* build_brochure.c - the brochure's stage: the pages of site.yaml's order,
 * one document a language, each page's body rendered again with its ids
 * prefixed and its headings one level down. */
#include <limits.h>
#include <string.h>
#include "build_internal.h"
#include "sitemap.h"
#include "util.h"

static const char *brochure_anchor(const struct page *p, struct arena *a)
{
	return arena_printf(a, "p-%s", p->key);
}

/* Links inside the brochure go to the section of the page they name; links
 * to pages outside it go to the web page, in full (it is printed). */
static int brochure_link(void *ctx, const char *dest, int line, int col, struct buf *href,
			 struct diags *d)
{
	struct page_job *j = ctx;
	const struct site *s = &j->b->site;
	const char *hash = strchr(dest, '#');
	const struct page *target;
	if (site_link_target(s, j->page, dest, line, col, &target, d))
		return -1;
	if (target->group->position != INT_MAX) {
		buf_addf(href, "#p-%s", target->key);
		if (hash)
			buf_addf(href, "-%s", hash + 1);
		return 0;
	}
	site_absolute_url(s->cfg, target->url, href);
	if (hash)
		buf_adds(href, hash);
	return 0;
}

/* The brochure of lang is done with its pages' texts. */
static void release_brochure_texts(struct build *b, int lang)
{
	size_t i;
	for (i = 0; i < b->site.n_groups; i++) {
		const struct page *p = b->site.groups[i]->by_lang[lang];
		if (p && p->group->position != INT_MAX)
			build_text_done(b, p->fallback_of ? p->fallback_of : p);
	}
}

int build_brochure(struct build *b, int lang, struct arena *a, struct diags *d)
{
	const struct config *c = &b->cfg;
	struct value *pages = value_new(a, VALUE_LIST);
	struct buf out = BUF_INIT, path = BUF_INIT;
	struct diags quiet = { 0 }; /* the pages reported their problems already */
	struct lint_body *bodies = NULL;
	size_t i, n_bodies = 0, cap_bodies = 0;
	int ret = 0;
	for (i = 0; i < b->site.n_groups; i++) {
		struct page *p = b->site.groups[i]->by_lang[lang];
		const struct page *src;
		struct page_job job;
		struct md_env env;
		struct md_result r;
		struct value *item;
		if (!p || p->group->position == INT_MAX)
			continue;
		src = p->fallback_of ? p->fallback_of : p;
		if (build_need_text(b, src, d)) {
			ret = -1;
			continue;
		}
		job.b = b;
		job.page = p;
		build_page_env(b, src, &job, &env);
		env.resolve_link = brochure_link;
		env.id_prefix = arena_printf(a, "%s-", brochure_anchor(p, a));
		env.heading_shift = 1;
		if (markdown_render(src->text + src->body_offset, src->len - src->body_offset, &env,
				    a, &r, &quiet))
			continue;
		item = value_new(a, VALUE_MAP);
		value_map_set_string(a, item, "key", p->key);
		value_map_set_string(a, item, "title", p->meta.title);
		if (p->updated_text)
			value_map_set_string(a, item, "updated_text", p->updated_text);
		value_map_set_string(a, item, "anchor", brochure_anchor(p, a));
		value_map_set_string(a, item, "content", r.html);
		value_list_push(a, pages, item);
		/* The lint places what it finds in a page's part at its Markdown. */
		if (n_bodies == cap_bodies) {
			struct lint_body *grown;
			cap_bodies = cap_bodies ? cap_bodies * 2 : 16;
			grown = arena_alloc(a, st_mult(cap_bodies, sizeof(*grown)));
			if (n_bodies)
				memcpy(grown, bodies, n_bodies * sizeof(*bodies));
			bodies = grown;
		}
		build_lint_body(src, r.html, &bodies[n_bodies++]);
	}
	diags_release(&quiet);
	if (!pages->n) {
		release_brochure_texts(b, lang);
		return 0;
	}
	buf_addf(&path, "%s/brochure/index.html", c->langs[lang].tag);
	if (mustache_render(b->templates, "brochure",
			    render_brochure_context(&b->shared, lang, pages, a), b->opt->strict,
			    &out, d))
		ret = -1;
	build_lint_written(b, lang, "brochure", bodies, n_bodies, &out, path.ptr, d);
	release_brochure_texts(b, lang);
	if (output_write(&b->out, path.ptr, out.ptr, out.len, d))
		ret = -1;
	buf_release(&out);
	buf_release(&path);
	return ret;
}
