/* sitemap.c - sitemap.xml with hreflang alternates. */
#include <string.h>
#include <libxml/xmlwriter.h>
#include "sitemap.h"

void site_absolute_url(const struct config *c, const char *url, struct buf *out)
{
	size_t host_len = strlen(c->base_url) - strlen(c->root);
	buf_add(out, c->base_url, host_len);
	buf_adds(out, url);
}

static int write_url(xmlTextWriterPtr w, const struct site *s, const struct page *p)
{
	const struct config *c = s->cfg;
	const struct page_group *g = p->group;
	struct buf loc = BUF_INIT;
	size_t l;
	int rc = 0;
	site_absolute_url(c, p->url, &loc);
	rc |= xmlTextWriterStartElement(w, BAD_CAST "url") < 0;
	rc |= xmlTextWriterWriteElement(w, BAD_CAST "loc", BAD_CAST loc.ptr) < 0;
	if (p->meta.updated)
		rc |= xmlTextWriterWriteElement(w, BAD_CAST "lastmod", BAD_CAST p->meta.updated) < 0;
	for (l = 0; !p->fallback_of && l < c->n_langs; l++) {
		const struct page *t = g->by_lang[l];
		if (!t || t->fallback_of)
			continue;
		buf_reset(&loc);
		site_absolute_url(c, t->url, &loc);
		rc |= xmlTextWriterStartElement(w, BAD_CAST "xhtml:link") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "rel", BAD_CAST "alternate") < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "hreflang", BAD_CAST c->langs[l].tag) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST loc.ptr) < 0;
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	buf_release(&loc);
	return rc ? -1 : 0;
}

int sitemap_write(const struct site *s, struct buf *out)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w;
	size_t g, l;
	int rc = 0;
	if (!xb)
		return -1;
	w = xmlNewTextWriterMemory(xb, 0);
	if (!w) {
		xmlBufferFree(xb);
		return -1;
	}
	xmlTextWriterSetIndent(w, 1);
	rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, BAD_CAST "urlset") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns",
		BAD_CAST "http://www.sitemaps.org/schemas/sitemap/0.9") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns:xhtml",
		BAD_CAST "http://www.w3.org/1999/xhtml") < 0;
	/* Group order, then language order: stable from build to build. */
	for (g = 0; g < s->n_groups; g++)
		for (l = 0; l < s->cfg->n_langs; l++)
			if (s->groups[g]->by_lang[l])
				rc |= write_url(w, s, s->groups[g]->by_lang[l]);
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (!rc)
		buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return rc ? -1 : 0;
}
