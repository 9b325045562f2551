/* locale.c - ICU long dates for the "Updated ..." line. */
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include "locale.h"
#include "util.h"

struct date_formatter {
	UDateFormat *fmt;
	UCalendar *cal;
};

struct date_formatter *date_formatter_new(const char *tag)
{
	struct date_formatter *f = xcalloc(1, sizeof(*f));
	UErrorCode err = U_ZERO_ERROR;
	char locale[ULOC_FULLNAME_CAPACITY];
	UChar utc[4];
	u_uastrcpy(utc, "UTC");
	uloc_forLanguageTag(tag, locale, sizeof(locale), NULL, &err);
	if (U_FAILURE(err)) {
		err = U_ZERO_ERROR;
		strcpy(locale, "root");
	}
	f->fmt = udat_open(UDAT_NONE, UDAT_LONG, locale, utc, -1, NULL, 0, &err);
	if (U_FAILURE(err))
		f->fmt = NULL;
	err = U_ZERO_ERROR;
	f->cal = ucal_open(utc, -1, locale, UCAL_GREGORIAN, &err);
	if (U_FAILURE(err))
		f->cal = NULL;
	return f;
}

void date_formatter_free(struct date_formatter *f)
{
	if (!f)
		return;
	if (f->fmt)
		udat_close(f->fmt);
	if (f->cal)
		ucal_close(f->cal);
	free(f);
}

int date_format_long(struct date_formatter *f, const char *iso, struct buf *out)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar text[128];
	char utf8[512];
	int32_t n, len;
	int y, m, d;
	if (!f->fmt || !f->cal || strlen(iso) < 10)
		return -1;
	y = atoi(iso);
	m = atoi(iso + 5);
	d = atoi(iso + 8);
	ucal_clear(f->cal);
	ucal_setDate(f->cal, y, m - 1, d, &err);
	n = udat_format(f->fmt, ucal_getMillis(f->cal, &err), text, 128, NULL, &err);
	if (U_FAILURE(err))
		return -1;
	u_strToUTF8(utf8, sizeof(utf8), &len, text, n, &err);
	if (U_FAILURE(err))
		return -1;
	buf_add(out, utf8, (size_t)len);
	return 0;
}
