/* locale.h - language-aware formatting with ICU: long dates ("November 24,
 * 2026", "24 de noviembre de 2026"). One formatter per language, made once;
 * use from one thread at a time (the serial site-graph stage). */
#ifndef CAREPRESS_LOCALE_H
#define CAREPRESS_LOCALE_H

#include "buf.h"

struct date_formatter;

/* Opens a long-date formatter for a BCP 47 tag; never NULL (ICU falls back
 * to the root locale for tags it does not know). */
struct date_formatter *date_formatter_new(const char *tag);
void date_formatter_free(struct date_formatter *f);
/* Appends iso (YYYY-MM-DD, a valid date) as a long date. Returns 0, or -1 if
 * ICU fails (out unchanged). */
int date_format_long(struct date_formatter *f, const char *iso, struct buf *out);

#endif
