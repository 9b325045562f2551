/* test_source.c - unit tests for source.c: what every later stage may assume
 * about text (no BOM, LF only, NFC) and the encoding errors an author sees,
 * with the line:col that points at the bad byte. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "diag.h"
#include "source.h"
#include "util.h"

/* Per test: a buffer, diagnostics and a temp dir, released by teardown even
 * when an assertion fails. */
struct fx {
	struct buf text;
	struct diags d;
	char dir[64];
	char path[256]; /* the last file write_file made */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct buf empty = BUF_INIT;
	f->text = empty;
	strcpy(f->dir, "/tmp/carepress-test-source-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	buf_release(&f->text);
	diags_release(&f->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Normalizes len bytes of s in f->text; returns source_normalize's result. */
static int normalize(struct fx *f, const char *s, size_t len)
{
	buf_reset(&f->text);
	buf_add(&f->text, s, len);
	return source_normalize("page.md", &f->text, &f->d);
}

#define NORMALIZE(f, lit) normalize((f), (lit), sizeof(lit) - 1)

/* Writes len bytes to dir/name; returns its path (f->path). */
static const char *write_file(struct fx *f, const char *name, const char *data, size_t len)
{
	FILE *fp;
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, name);
	fp = fopen(f->path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return f->path;
}

/* Asserts one encoding error at line:col whose message names the byte (a
 * macro, so a failure names the line of the test). */
#define assert_encoding_error(f, line_, col_, message_)                 \
	do {                                                            \
		assert_int_equal((f)->d.n, 1);                          \
		assert_int_equal((f)->d.errors, 1);                     \
		assert_int_equal((f)->d.v[0].rule, RULE_ENCODING);      \
		assert_string_equal((f)->d.v[0].file, "page.md");       \
		assert_int_equal((f)->d.v[0].line, (line_));            \
		assert_int_equal((f)->d.v[0].col, (col_));              \
		assert_string_equal((f)->d.v[0].message, (message_));   \
		assert_non_null((f)->d.v[0].note);                      \
	} while (0)

static void test_ascii_unchanged(void **state)
{
	struct fx *f = *state;
	assert_int_equal(NORMALIZE(f, "---\ntitle: A\n---\nBody.\n"), 0);
	assert_string_equal(f->text.ptr, "---\ntitle: A\n---\nBody.\n");
	assert_int_equal(f->text.len, 23);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(NORMALIZE(f, ""), 0);
	assert_int_equal(f->text.len, 0);
	assert_string_equal(f->text.ptr, "");
}

static void test_bom_dropped(void **state)
{
	struct fx *f = *state;
	assert_int_equal(NORMALIZE(f, "\xEF\xBB\xBF---\ntitle: A\n"), 0);
	assert_string_equal(f->text.ptr, "---\ntitle: A\n");
	assert_int_equal(f->text.len, 13);
	/* Only at the start: a U+FEFF later is text (a zero-width no-break space). */
	assert_int_equal(NORMALIZE(f, "a\xEF\xBB\xBF"), 0);
	assert_string_equal(f->text.ptr, "a\xEF\xBB\xBF");
	/* A file that is only a BOM is empty. */
	assert_int_equal(NORMALIZE(f, "\xEF\xBB\xBF"), 0);
	assert_int_equal(f->text.len, 0);
}

static void test_line_ends_folded(void **state)
{
	struct fx *f = *state;
	assert_int_equal(NORMALIZE(f, "a\r\nb\rc\nd\r\r\ne\r"), 0);
	assert_string_equal(f->text.ptr, "a\nb\nc\nd\n\ne\n");
	assert_int_equal(f->text.len, 11);
	assert_int_equal(f->text.ptr[f->text.len], '\0');
	assert_int_equal(f->d.n, 0);
}

static void test_nul_byte(void **state)
{
	struct fx *f = *state;
	assert_int_equal(NORMALIZE(f, "---\ntitle: A\nab\0cd\n"), -1);
	assert_encoding_error(f, 3, 3, "NUL byte in text file");
	diags_release(&f->d);
	/* Lines counted across CRLF and lone CR. */
	assert_int_equal(NORMALIZE(f, "a\r\nb\rcd\0"), -1);
	assert_encoding_error(f, 3, 3, "NUL byte in text file");
	diags_release(&f->d);
	/* First byte of the file. */
	assert_int_equal(NORMALIZE(f, "\0abc"), -1);
	assert_encoding_error(f, 1, 1, "NUL byte in text file");
}

static void test_control_characters(void **state)
{
	struct fx *f = *state;
	/* ESC pasted from a terminal, at its byte column. */
	assert_int_equal(NORMALIZE(f, "---\ntitle: A\n---\n\nPress \x1B to go back.\n"), -1);
	assert_encoding_error(f, 5, 7, "control character 0x1B in text file");
	assert_string_equal(f->d.v[0].note, "remove it; control characters (often pasted from a "
			    "terminal or a PDF) are not text, and XML and HTML do not allow them");
	diags_release(&f->d);
	/* Form feed, vertical tab and DEL too; lines counted across CRLF. */
	assert_int_equal(NORMALIZE(f, "a\r\n\x0C"), -1);
	assert_encoding_error(f, 2, 1, "control character 0x0C in text file");
	diags_release(&f->d);
	assert_int_equal(NORMALIZE(f, "ab\x0B"), -1);
	assert_encoding_error(f, 1, 3, "control character 0x0B in text file");
	diags_release(&f->d);
	assert_int_equal(NORMALIZE(f, "\xC3\xA9\x7F"), -1);
	assert_encoding_error(f, 1, 3, "control character 0x7F in text file");
	diags_release(&f->d);
	/* C1 controls (U+0080 to U+009F) are two bytes in UTF-8. */
	assert_int_equal(NORMALIZE(f, "x\nit\xC2\x92s"), -1);
	assert_encoding_error(f, 2, 3, "control character U+0092 in text file");
	assert_string_equal(f->d.v[0].note, "remove it; C1 control characters come from text "
			    "converted from Windows-1252 as if it were Latin-1: retype the character");
	diags_release(&f->d);
	/* Tab, LF and CR are text. */
	assert_int_equal(NORMALIZE(f, "a\tb\r\nc\n"), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_noncharacters(void **state)
{
	struct fx *f = *state;
	static const struct { const char *text; const char *message; } bad[] = {
		{ "ab\xEF\xBF\xBF", "noncharacter U+FFFF in text file" },
		{ "ab\xEF\xBF\xBE", "noncharacter U+FFFE in text file" },
		{ "ab\xEF\xB7\x90", "noncharacter U+FDD0 in text file" },
		{ "ab\xEF\xB7\xAF", "noncharacter U+FDEF in text file" },
		{ "ab\xF0\x9F\xBF\xBE", "noncharacter U+1FFFE in text file" },
		{ "ab\xF4\x8F\xBF\xBF", "noncharacter U+10FFFF in text file" },
	};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(normalize(f, bad[i].text, strlen(bad[i].text)), -1);
		assert_encoding_error(f, 1, 3, bad[i].message);
		diags_release(&f->d);
	}
	/* Their neighbours are characters. */
	assert_int_equal(NORMALIZE(f, "\xEF\xB7\x8F \xEF\xB7\xB0 \xEF\xBF\xBD \xF0\x9F\xBF\xBD"), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_char_allowed(void **state)
{
	struct buf what = BUF_INIT;
	(void)state;
	assert_true(source_char_allowed('\t'));
	assert_true(source_char_allowed('\n'));
	assert_true(source_char_allowed('\r'));
	assert_true(source_char_allowed(' '));
	assert_true(source_char_allowed(0xA0));
	assert_true(source_char_allowed(0xFFFD));
	assert_true(source_char_allowed(0x10FFFD));
	assert_false(source_char_allowed(0));
	assert_false(source_char_allowed(0x1B));
	assert_false(source_char_allowed(0x7F));
	assert_false(source_char_allowed(0x9F));
	assert_false(source_char_allowed(0xD800));
	assert_false(source_char_allowed(0xFFFF));
	assert_false(source_char_allowed(0x110000));
	source_char_describe(0x1B, &what);
	buf_adds(&what, ", ");
	source_char_describe(0x85, &what);
	buf_adds(&what, ", ");
	source_char_describe(0xDFFF, &what);
	buf_adds(&what, ", ");
	source_char_describe(0x2FFFF, &what);
	assert_string_equal(what.ptr, "control character 0x1B, control character U+0085, "
				      "surrogate U+DFFF, noncharacter U+2FFFF");
	buf_release(&what);
}

static void test_invalid_byte_0xff(void **state)
{
	struct fx *f = *state;
	assert_int_equal(NORMALIZE(f, "title: ok\nPrice: 5\xFF euros\n"), -1);
	assert_encoding_error(f, 2, 9, "invalid UTF-8 byte 0xFF at byte offset 18");
	assert_string_equal(f->d.v[0].note, "save the file as UTF-8");
}

static void test_invalid_overlong(void **state)
{
	struct fx *f = *state;
	/* C0 80 is an overlong NUL (a classic filter bypass). */
	assert_int_equal(NORMALIZE(f, "x\n\xC3\xA9t\xC0\x80"), -1);
	/* é is two bytes: the bad byte is the 4th byte of line 2. */
	assert_encoding_error(f, 2, 4, "invalid UTF-8 byte 0xC0 at byte offset 5");
	diags_release(&f->d);
	/* E0 80 AF: an overlong three-byte '/'. */
	assert_int_equal(NORMALIZE(f, "ab\xE0\x80\xAF"), -1);
	assert_encoding_error(f, 1, 3, "invalid UTF-8 byte 0xE0 at byte offset 2");
	diags_release(&f->d);
	/* F0 8F BF BF: an overlong four-byte U+FFFF. */
	assert_int_equal(NORMALIZE(f, "\xF0\x8F\xBF\xBF"), -1);
	assert_encoding_error(f, 1, 1, "invalid UTF-8 byte 0xF0 at byte offset 0");
}

static void test_invalid_surrogate_and_range(void **state)
{
	struct fx *f = *state;
	assert_int_equal(NORMALIZE(f, "a\r\n\xED\xA0\x80"), -1);
	assert_encoding_error(f, 2, 1, "invalid UTF-8 byte 0xED at byte offset 3");
	diags_release(&f->d);
	/* F4 90 80 80 is U+110000, past the last code point. */
	assert_int_equal(NORMALIZE(f, "ab\n\n  \xF4\x90\x80\x80"), -1);
	assert_encoding_error(f, 3, 3, "invalid UTF-8 byte 0xF4 at byte offset 6");
	diags_release(&f->d);
	/* A continuation byte with no lead, and a sequence cut by the end. */
	assert_int_equal(NORMALIZE(f, "\x80"), -1);
	assert_encoding_error(f, 1, 1, "invalid UTF-8 byte 0x80 at byte offset 0");
	diags_release(&f->d);
	assert_int_equal(NORMALIZE(f, "caf\xC3"), -1);
	assert_encoding_error(f, 1, 4, "invalid UTF-8 byte 0xC3 at byte offset 3");
	diags_release(&f->d);
	/* A lead byte followed by ASCII. */
	assert_int_equal(NORMALIZE(f, "\xC3(x"), -1);
	assert_encoding_error(f, 1, 1, "invalid UTF-8 byte 0xC3 at byte offset 0");
}

static void test_column_after_bom(void **state)
{
	struct fx *f = *state;
	/* The BOM is not part of line 1: 'a' is column 1. */
	assert_int_equal(NORMALIZE(f, "\xEF\xBB\xBF" "ab\xFF"), -1);
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 3);
}

static void test_valid_multibyte(void **state)
{
	struct fx *f = *state;
	/* 2-, 3- and 4-byte sequences, the edges of the ranges (of characters:
	 * U+0080 is a C1 control and U+10FFFF a noncharacter, so the edges there
	 * are U+00A0 and U+10FFFD). */
	assert_int_equal(NORMALIZE(f, "\xC2\xA0 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 "
				      "\xEF\xBF\xBD \xF0\x90\x80\x80 \xF4\x8F\xBF\xBD \xF0\x9F\x98\x80"), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_nfc(void **state)
{
	struct fx *f = *state;
	/* e + COMBINING ACUTE ACCENT becomes é (U+00E9). */
	assert_int_equal(NORMALIZE(f, "Cafe\xCC\x81 y ma\xC3\xB1" "ana\r\n"), 0);
	assert_string_equal(f->text.ptr, "Caf\xC3\xA9 y ma\xC3\xB1" "ana\n");
	assert_int_equal(f->text.len, strlen("Caf\xC3\xA9 y ma\xC3\xB1" "ana\n"));
	/* n + COMBINING TILDE becomes ñ; already-NFC text is untouched. */
	assert_int_equal(NORMALIZE(f, "Espan\xCC\x83ol"), 0);
	assert_string_equal(f->text.ptr, "Espa\xC3\xB1ol");
	assert_int_equal(NORMALIZE(f, "\xE4\xB8\xAD\xE6\x96\x87"), 0);
	assert_string_equal(f->text.ptr, "\xE4\xB8\xAD\xE6\x96\x87");
	/* Marks out of canonical order: dot below (220) goes before acute
	 * (230), then composes with the a (U+1EA1). */
	assert_int_equal(NORMALIZE(f, "a\xCC\x81\xCC\xA3"), 0);
	assert_string_equal(f->text.ptr, "\xE1\xBA\xA1\xCC\x81");
	/* Singletons: EN QUAD is EN SPACE, ANGSTROM SIGN is \u00C5. */
	assert_int_equal(NORMALIZE(f, "\xE2\x80\x80\xE2\x84\xAB"), 0);
	assert_string_equal(f->text.ptr, "\xE2\x80\x82\xC3\x85");
	/* Curly quotes, a dash and an emoji are NFC as they are. */
	assert_int_equal(NORMALIZE(f, "\xE2\x80\x9Cok\xE2\x80\x9D \xE2\x80\x94 \xF0\x9F\x98\x80"), 0);
	assert_string_equal(f->text.ptr, "\xE2\x80\x9Cok\xE2\x80\x9D \xE2\x80\x94 \xF0\x9F\x98\x80");
	/* Hangul jamo compose to one syllable (U+D55C). */
	assert_int_equal(NORMALIZE(f, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"), 0);
	assert_string_equal(f->text.ptr, "\xED\x95\x9C");
	assert_int_equal(f->d.n, 0);
}

/* source.c's quick NFC check takes every character below U+0300 as NFC
 * "yes" with combining class 0 without asking ICU: ICU agrees. */
static void test_nfc_plain_range(void **state)
{
	UChar32 c;
	(void)state;
	for (c = 0; c < 0x300; c++) {
		assert_int_equal(u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK), UNORM_YES);
		assert_int_equal(u_getCombiningClass(c), 0);
	}
	assert_int_not_equal(u_getIntPropertyValue(0x300, UCHAR_NFC_QUICK_CHECK), UNORM_YES);
}

static void test_utf8_valid_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid_len((const unsigned char *)"a", 1), 1);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xC3\xA9", 2), 2);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xE2\x82\xAC", 3), 3);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xF0\x9F\x98\x80", 4), 4);
	/* Truncated by n even when more bytes follow in memory. */
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xE2\x82\xAC", 2), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xC0\x80", 2), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xC1\xBF", 2), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xE0\x9F\xBF", 3), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xED\xA0\x80", 3), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xED\xBF\xBF", 3), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xF4\x90\x80\x80", 4), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xF5\x80\x80\x80", 4), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xFF", 1), 0);
	assert_int_equal(utf8_valid_len((const unsigned char *)"\xC3\x28", 2), 0);
}

static void test_read_normalizes(void **state)
{
	struct fx *f = *state;
	static const char data[] = "\xEF\xBB\xBF---\r\ntitle: Cafe\xCC\x81\r\n---\r\n";
	const char *path = write_file(f, "a.md", data, sizeof(data) - 1);
	/* The old contents of out are replaced. */
	buf_adds(&f->text, "stale contents");
	assert_int_equal(source_read(path, 1024, &f->text, &f->d), 0);
	assert_string_equal(f->text.ptr, "---\ntitle: Caf\xC3\xA9\n---\n");
	assert_int_equal(f->d.n, 0);
}

static void test_read_encoding_error_names_file(void **state)
{
	struct fx *f = *state;
	static const char data[] = "---\ntitle: A\n---\n\nBad \xFF here\n";
	const char *path = write_file(f, "bad.md", data, sizeof(data) - 1);
	int ret = source_read(path, 1024, &f->text, &f->d);
	assert_int_equal(ret, -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_ENCODING);
	assert_string_equal(f->d.v[0].file, path);
	assert_int_equal(f->d.v[0].line, 5);
	assert_int_equal(f->d.v[0].col, 5);
	assert_string_equal(f->d.v[0].message, "invalid UTF-8 byte 0xFF at byte offset 22");
}

static void test_read_size_limit(void **state)
{
	struct fx *f = *state;
	const char *path = write_file(f, "big.md", "0123456789A", 11);
	assert_int_equal(source_read(path, 10, &f->text, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_FILE_SIZE);
	assert_int_equal(f->d.v[0].severity, SEV_ERROR);
	assert_string_equal(f->d.v[0].file, path);
	assert_string_equal(f->d.v[0].message, "file is 11 bytes, over the limit of 10");
	assert_string_equal(f->d.v[0].note, "split the page, or raise max_file_size in site.yaml");
	diags_release(&f->d);
	/* Exactly at the limit is fine. */
	assert_int_equal(source_read(path, 11, &f->text, &f->d), 0);
	assert_string_equal(f->text.ptr, "0123456789A");
	assert_int_equal(f->d.n, 0);
}

static void test_read_missing_file(void **state)
{
	struct fx *f = *state;
	char path[128];
	snprintf(path, sizeof(path), "%s/nope.md", f->dir);
	assert_int_equal(source_read(path, 1024, &f->text, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, path);
	assert_int_equal(f->d.v[0].line, 0);
	assert_string_equal(f->d.v[0].message, "cannot read file: No such file or directory");
}

static void test_read_directory(void **state)
{
	struct fx *f = *state;
	assert_int_equal(source_read(f->dir, 1024, &f->text, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].message, "a directory, not a regular file");
}

/* Opening a named pipe for reading waits for a writer: source_read must
 * refuse it without opening it that way. alarm() turns a hang into a
 * failure (SIGALRM ends the test program). */
static void test_read_fifo_does_not_block(void **state)
{
	struct fx *f = *state;
	char path[128];
	snprintf(path, sizeof(path), "%s/pipe.md", f->dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	alarm(10);
	assert_int_equal(source_read(path, 1024, &f->text, &f->d), -1);
	alarm(0);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, path);
	assert_int_equal(f->d.v[0].line, 0);
	assert_string_equal(f->d.v[0].message, "a named pipe, not a regular file");
	assert_string_equal(f->d.v[0].note, "content, settings and templates must be files; "
			    "remove it or put the file in its place");
}

static void test_read_empty_file(void **state)
{
	struct fx *f = *state;
	const char *path = write_file(f, "empty.md", "", 0);
	buf_adds(&f->text, "old");
	assert_int_equal(source_read(path, 1024, &f->text, &f->d), 0);
	assert_int_equal(f->text.len, 0);
	assert_string_equal(f->text.ptr, "");
}

/* Where a path leads: inside (0), outside (-1, [path]), a dangling link or
 * a loop (-1, [io]); a path that does not exist is left to the reader. */
static void test_check_link(void **state)
{
	struct fx *f = *state;
	char root[PATH_MAX], link[300], plain[300];
	assert_non_null(realpath(f->dir, root));
	write_file(f, "a.md", "x", 1);
	snprintf(plain, sizeof(plain), "%s/a.md", f->dir);
	snprintf(link, sizeof(link), "%s/in.md", f->dir);
	assert_int_equal(symlink("a.md", link), 0);
	assert_int_equal(source_check_link(root, "content", plain, &f->d), 0);
	assert_int_equal(source_check_link(root, "content", link, &f->d), 0);
	snprintf(plain, sizeof(plain), "%s/missing.md", f->dir);
	assert_int_equal(source_check_link(root, "content", plain, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	snprintf(link, sizeof(link), "%s/out.md", f->dir);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	assert_int_equal(source_check_link(root, "content", link, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_PATH);
	assert_string_equal(f->d.v[0].message, "symbolic link points outside the content directory");
	assert_string_equal(f->d.v[0].note, "copy it into content instead of linking to it");
	snprintf(link, sizeof(link), "%s/gone.md", f->dir);
	assert_int_equal(symlink("nowhere/gone.md", link), 0);
	assert_int_equal(source_check_link(root, "content", link, &f->d), -1);
	assert_int_equal(f->d.v[1].rule, RULE_IO);
	assert_string_equal(f->d.v[1].file, link);
	assert_string_equal(f->d.v[1].message, "dangling symbolic link: 'nowhere/gone.md' does not exist");
	snprintf(link, sizeof(link), "%s/loop.md", f->dir);
	assert_int_equal(symlink("loop.md", link), 0);
	assert_int_equal(source_check_link(root, "content", link, &f->d), -1);
	assert_int_equal(f->d.v[2].rule, RULE_IO);
	assert_string_equal(f->d.v[2].message,
			    "symbolic link loop: 'loop.md' leads to too many symbolic links");
	assert_int_equal(f->d.n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ascii_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_ends_folded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_noncharacters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_char_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_byte_0xff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_overlong, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_surrogate_and_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_column_after_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_valid_multibyte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc, setup, teardown),
		cmocka_unit_test(test_nfc_plain_range),
		cmocka_unit_test_setup_teardown(test_utf8_valid_len, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_normalizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_encoding_error_names_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_size_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_fifo_does_not_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_link, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
