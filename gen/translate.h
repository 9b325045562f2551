/* translate.h - language access checks: a translation must give the same
 * facts as its source (an error: a different phone number harms someone),
 * and should have as many sections and notes and record which version of
 * its source it was made from (warnings); with --release, every
 * translation must be reviewed and current. Reads the rendered pages'
 * facts, sections and body hashes; never prints. */
#ifndef CAREPRESS_TRANSLATE_H
#define CAREPRESS_TRANSLATE_H

#include "diag.h"
#include "site.h"

/* The page a group's translations were made from: the one whose front
 * matter says translation: source, else the first language's; NULL if
 * the group has only fallback copies. */
const struct page *translate_source(const struct site *s, const struct page_group *g);

/* Checks every translation against its source, after every page rendered
 * (facts used, sections, notes) and loaded (body hash); sets each
 * translation's outdated flag. A pair is compared only when neither page
 * has an error in d of its own: the facts and sections of a page that
 * failed to render are incomplete, so its translation would be reported
 * for the source's typo. release: --release (every translation reviewed
 * and made from the current source). Adds diagnostics to d; those about
 * a pair whose two renders came from the page cache (page.reused) are
 * marked earlier: the build that made them printed the same. */
void translate_check(struct site *s, int release, struct diags *d);

#endif
