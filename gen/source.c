/* source.c - read content files and bring them to UTF-8/NFC/LF. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include "cache.h"
#include "hash.h"
#include "source.h"
#include "util.h"

size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int source_char_allowed(unsigned cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp >= 0x7F && cp <= 0x9F)
		return 0;
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return 0;
	return !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
}

void source_char_describe(unsigned cp, struct buf *out)
{
	if (cp < 0x20 || cp == 0x7F)
		buf_addf(out, "control character 0x%02X", cp);
	else if (cp <= 0x9F)
		buf_addf(out, "control character U+%04X", cp);
	else if (cp >= 0xD800 && cp <= 0xDFFF)
		buf_addf(out, "surrogate U+%04X", cp);
	else if (cp > 0x10FFFF)
		buf_addf(out, "code point 0x%X beyond Unicode", cp);
	else
		buf_addf(out, "noncharacter U+%04X", cp);
}

/* Refuses code point cp (not allowed) at line:col of path. Returns -1. */
static int refuse_char(const char *path, int line, int col, unsigned cp, struct diags *d)
{
	struct buf what = BUF_INIT;
	source_char_describe(cp, &what);
	diag(d, RULE_ENCODING, path, line, col, "%s in text file", what.ptr);
	if (cp >= 0x80 && cp <= 0x9F)
		diag_note(d, "remove it; C1 control characters come from text converted from "
			  "Windows-1252 as if it were Latin-1: retype the character");
	else if (cp < 0x80)
		diag_note(d, "remove it; control characters (often pasted from a terminal or a "
			  "PDF) are not text, and XML and HTML do not allow them");
	else
		diag_note(d, "remove it; noncharacters are not text, and XML and HTML do not "
			  "allow them");
	buf_release(&what);
	return -1;
}

/* 1 if code point cp is known to be unchanged by NFC in any context
 * (NFC_Quick_Check=Yes and not a composing mark): everything below U+0300
 * (Latin letters with accents come precomposed) and the general punctuation
 * that the guides use (dashes, quotes, bullets, ellipsis). Anything else
 * goes through ICU. */
static int nfc_stable(unsigned cp)
{
	return cp < 0x300 || (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205E) ||
	       cp == 0x2122 || cp == 0x20AC;
}

unsigned utf8_decode(const unsigned char *s, size_t len)
{
	unsigned cp = len == 1 ? s[0] : len == 2 ? s[0] & 0x1F : len == 3 ? s[0] & 0x0F
						       : s[0] & 0x07;
	size_t i;
	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

/* Checks bytes and folds line ends in place; sets *non_ascii when some
 * character may change under NFC. 0 or -1. */
static int check_and_fold(const char *path, struct buf *text, int *non_ascii, struct diags *d)
{
	unsigned char *s = (unsigned char *)text->ptr;
	size_t i = 0, o = 0, n = text->len, line_start = 0;
	int line = 1;
	*non_ascii = 0;
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		i = line_start = 3;
	while (i < n) {
		unsigned char c;
		/* A run of printable ASCII, most of any page: nothing to check,
		 * and nothing to move until a CR LF has been folded. */
		size_t run = i;
		while (run < n && s[run] >= 0x20 && s[run] < 0x7F)
			run++;
		if (run > i) {
			if (o != i)
				memmove(s + o, s + i, run - i);
			o += run - i;
			i = run;
			if (i == n)
				break;
		}
		c = s[i];
		if (c == 0) {
			diag(d, RULE_ENCODING, path, line, (int)(i - line_start) + 1,
			     "NUL byte in text file");
			diag_note(d, "remove it; content must be UTF-8 text");
			return -1;
		}
		if (c == '\r') {
			s[o++] = '\n';
			i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
			line++;
			line_start = i;
			continue;
		}
		if (c == '\n') {
			s[o++] = c;
			line++;
			line_start = ++i;
			continue;
		}
		if (c >= 0x80) {
			size_t len = utf8_valid_len(s + i, n - i);
			unsigned cp;
			if (!len) {
				diag(d, RULE_ENCODING, path, line, (int)(i - line_start) + 1,
				     "invalid UTF-8 byte 0x%02X at byte offset %zu", c, i);
				diag_note(d, "save the file as UTF-8");
				return -1;
			}
			cp = utf8_decode(s + i, len);
			if (!source_char_allowed(cp))
				return refuse_char(path, line, (int)(i - line_start) + 1, cp, d);
			if (!*non_ascii && !nfc_stable(cp))
				*non_ascii = 1;
			memmove(s + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return refuse_char(path, line, (int)(i - line_start) + 1, c, d);
		s[o++] = c;
		i++;
	}
	buf_truncate(text, o);
	return 0;
}

/* Below U+0300 every character is NFC's "yes" with combining class 0. */
#define NFC_PLAIN_BELOW 0x300

/* 1 if text (valid UTF-8: check_and_fold passed it) is certainly in NFC,
 * by UAX #15's quick check done on the UTF-8 itself: every character's
 * NFC_Quick_Check is Yes and nonzero combining classes never decrease.
 * 0 means "maybe not": the caller normalizes. Most pages (English, and
 * Spanish with its precomposed letters) answer here without a conversion
 * to UTF-16. */
static int quick_nfc(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	uint8_t last_ccc = 0;
	while (p < end) {
		UChar32 c;
		uint8_t ccc;
		if (*p < 0x80) {
			p++;
			last_ccc = 0;
			continue;
		}
		if (*p < 0xE0) {
			c = (UChar32)(*p & 0x1F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if (*p < 0xF0) {
			c = (UChar32)(*p & 0x0F) << 12 | (UChar32)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			p += 3;
		} else {
			c = (UChar32)(*p & 0x07) << 18 | (UChar32)(p[1] & 0x3F) << 12 |
			    (UChar32)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
			p += 4;
		}
		if (c < NFC_PLAIN_BELOW) {
			last_ccc = 0;
			continue;
		}
		ccc = u_getCombiningClass(c);
		if ((ccc && last_ccc > ccc) || u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) != UNORM_YES)
			return 0;
		last_ccc = ccc;
	}
	return 1;
}

static int to_nfc(const char *path, struct buf *text, struct diags *d)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	UChar *u16 = NULL, *norm = NULL;
	int32_t u16_len = 0, norm_len;
	int ret = -1;
	if (U_FAILURE(err) || text->len > INT32_MAX / 2)
		goto icu_error;
	if (quick_nfc(text->ptr, text->len))
		return 0;
	u_strFromUTF8(NULL, 0, &u16_len, text->ptr, (int32_t)text->len, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		goto icu_error;
	err = U_ZERO_ERROR;
	u16 = xmalloc(st_mult((size_t)u16_len + 1, sizeof(UChar)));
	u_strFromUTF8(u16, u16_len + 1, NULL, text->ptr, (int32_t)text->len, &err);
	if (U_FAILURE(err))
		goto icu_error;
	if (unorm2_isNormalized(nfc, u16, u16_len, &err) && U_SUCCESS(err)) {
		ret = 0;
		goto out;
	}
	err = U_ZERO_ERROR;
	norm_len = unorm2_normalize(nfc, u16, u16_len, NULL, 0, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		goto icu_error;
	err = U_ZERO_ERROR;
	norm = xmalloc(st_mult((size_t)norm_len + 1, sizeof(UChar)));
	unorm2_normalize(nfc, u16, u16_len, norm, norm_len + 1, &err);
	if (U_FAILURE(err))
		goto icu_error;
	{
		int32_t out_len = 0;
		u_strToUTF8(NULL, 0, &out_len, norm, norm_len, &err);
		if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
			goto icu_error;
		err = U_ZERO_ERROR;
		buf_reset(text);
		buf_grow(text, (size_t)out_len);
		u_strToUTF8(text->ptr, out_len + 1, NULL, norm, norm_len, &err);
		if (U_FAILURE(err))
			goto icu_error;
		text->len = (size_t)out_len;
		text->ptr[text->len] = '\0';
	}
	ret = 0;
	goto out;
icu_error:
	diag(d, RULE_ENCODING, path, 0, 0, "cannot normalize text to NFC: %s", u_errorName(err));
out:
	free(u16);
	free(norm);
	return ret;
}

int source_normalize(const char *path, struct buf *text, struct diags *d)
{
	int non_ascii;
	if (check_and_fold(path, text, &non_ascii, d))
		return -1;
	return non_ascii ? to_nfc(path, text, d) : 0;
}

int source_check_link(const char *root, const char *source_dir, const char *path,
		      struct diags *d)
{
	char *real = realpath(path, NULL), target[PATH_MAX];
	int err = errno;
	size_t n = strlen(root);
	ssize_t len;
	struct stat st;
	if (real) {
		int inside = !strncmp(real, root, n) && (real[n] == '/' || real[n] == '\0');
		free(real);
		if (inside)
			return 0;
		diag(d, RULE_PATH, path, 0, 0, "symbolic link points outside the content directory");
		diag_note(d, "copy it into %s instead of linking to it", source_dir);
		return -1;
	}
	/* Only a link is this check's to report: a missing or unreadable file
	 * is reported by whoever reads it, with the same errno. */
	if (lstat(path, &st) || !S_ISLNK(st.st_mode))
		return 0;
	len = readlink(path, target, sizeof(target) - 1);
	target[len < 0 ? 0 : len] = '\0';
	if (err == ELOOP) {
		diag(d, RULE_IO, path, 0, 0,
		     "symbolic link loop: '%s' leads to too many symbolic links", target);
		diag_note(d, "point the link at a file in %s, not at itself or at a link back",
			  source_dir);
	} else if (err == ENOENT || err == ENOTDIR) {
		diag(d, RULE_IO, path, 0, 0, "dangling symbolic link: '%s' does not exist", target);
		diag_note(d, "point the link at an existing file in %s, or remove it", source_dir);
	} else {
		diag(d, RULE_IO, path, 0, 0, "cannot follow symbolic link to '%s': %s", target,
		     strerror(err));
	}
	return -1;
}

int source_read(const char *path, size_t limit, struct buf *out, struct diags *d)
{
	return source_read_stamped(path, limit, out, NULL, d);
}

/* What a file that is not a regular file is, for a message. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a named pipe";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "a special file";
}

/* Opens path for reading only if it is a regular file. O_NONBLOCK, because
 * opening a named pipe waits for a writer: the build would hang on a FIFO
 * called x.md. It is cleared once the file is known to be regular. Returns
 * the stream and fills *st, or NULL after adding a diagnostic. */
static FILE *open_regular(const char *path, struct stat *st, struct diags *d)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags;
	FILE *fp;
	if (fd < 0) {
		diag(d, RULE_IO, path, 0, 0, "cannot read file: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, st)) {
		diag(d, RULE_IO, path, 0, 0, "cannot read file: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st->st_mode)) {
		diag(d, RULE_IO, path, 0, 0, "%s, not a regular file", file_kind(st->st_mode));
		diag_note(d, "content, settings and templates must be files; remove it or put "
			  "the file in its place");
		close(fd);
		return NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) || !(fp = fdopen(fd, "rb"))) {
		diag(d, RULE_IO, path, 0, 0, "cannot read file: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	return fp;
}

int source_read_stamped(const char *path, size_t limit, struct buf *out, struct stamps *stamps,
			struct diags *d)
{
	return source_read_bytes(path, limit, out, stamps, d) ? -1 : source_normalize(path, out, d);
}

int source_read_bytes(const char *path, size_t limit, struct buf *out, struct stamps *stamps,
		      struct diags *d)
{
	struct stat st;
	FILE *fp = open_regular(path, &st, d);
	size_t n;
	if (!fp)
		return -1;
	if ((size_t)st.st_size > limit) {
		diag(d, RULE_FILE_SIZE, path, 0, 0, "file is %lld bytes, over the limit of %zu",
		     (long long)st.st_size, limit);
		diag_note(d, "split the page, or raise max_file_size in site.yaml");
		fclose(fp);
		return -1;
	}
	buf_reset(out);
	buf_grow(out, (size_t)st.st_size);
	n = fread(out->ptr, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		diag(d, RULE_IO, path, 0, 0, "cannot read file: %s", strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	out->len = n;
	out->ptr[n] = '\0';
	if (stamps)
		stamps_add(stamps, path, (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
			   (int64_t)st.st_size, (uint64_t)st.st_ino, hash_bytes(out->ptr, out->len));
	return 0;
}
