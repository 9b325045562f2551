/* sitemap.h - public/sitemap.xml (written with libxml2's xmlTextWriter):
 * every published page with its lastmod and xhtml:link alternates for its
 * real translations (never for a fallback copy). */
#ifndef CAREPRESS_SITEMAP_H
#define CAREPRESS_SITEMAP_H

#include "buf.h"
#include "site.h"

/* Appends the sitemap of s to out. Returns 0, or -1 if libxml2 fails. */
int sitemap_write(const struct site *s, struct buf *out);

/* Appends the absolute URL of a root-relative url ("/care/en/x/") under
 * base_url ("https://h/care") to out: scheme and host + url. */
void site_absolute_url(const struct config *c, const char *url, struct buf *out);

#endif
