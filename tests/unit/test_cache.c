/* test_cache.c - the input stamps an earlier build kept: a file is trusted
 * by its stat alone only when nothing about it moved and it is older than
 * that build's start by the racy margin; any other cache trusts nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "cache.h"

struct fx {
	char dir[64], file[96];
	struct stamps stamps;
	struct cache_table t;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	FILE *fp;
	struct timespec old[2] = { { 978307200, 0 }, { 978307200, 0 } }; /* 2001 */
	strcpy(f->dir, "/tmp/test-cache-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->file, sizeof(f->file), "%s/page.md", f->dir);
	fp = fopen(f->file, "w");
	assert_non_null(fp);
	fputs("---\ntitle: A\n---\nText.\n", fp);
	fclose(fp);
	assert_int_equal(utimensat(AT_FDCWD, f->file, old, 0), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[96];
	cache_table_release(&f->t);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Writes dir's cache as a build with these options would, stamping the file. */
static void write_cache(struct fx *f, uint64_t options)
{
	struct buf text = BUF_INIT;
	char path[96];
	FILE *fp;
	stamps_init(&f->stamps, options);
	assert_int_equal(stamps_add_file(&f->stamps, f->file), 0);
	stamps_format(&f->stamps, &text);
	stamps_release(&f->stamps);
	snprintf(path, sizeof(path), "%s/" CACHE_FILE, f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite(text.ptr, 1, text.len, fp);
	fclose(fp);
	buf_release(&text);
}

static const struct stamp *trusted(struct fx *f, uint64_t options)
{
	struct stat st;
	cache_table_release(&f->t);
	cache_read(f->dir, options, &f->t);
	assert_int_equal(stat(f->file, &st), 0);
	return cache_trusted(&f->t, f->file, &st);
}

static void test_unchanged_file_trusted(void **state)
{
	struct fx *f = *state;
	const struct stamp *st;
	write_cache(f, 7);
	st = trusted(f, 7);
	assert_non_null(st);
	assert_string_equal(st->path, f->file);
	assert_int_equal(st->size, 23);
}

/* Other options (another carepress, --strict): nothing is trusted. */
static void test_other_options_trust_nothing(void **state)
{
	struct fx *f = *state;
	write_cache(f, 7);
	assert_null(trusted(f, 8));
}

/* A file written in that build's racy margin (the same clock tick could
 * hide an edit) is not trusted by its stat. */
static void test_racy_file_not_trusted(void **state)
{
	struct fx *f = *state;
	struct timespec now[2];
	clock_gettime(CLOCK_REALTIME, &now[0]);
	now[1] = now[0];
	assert_int_equal(utimensat(AT_FDCWD, f->file, now, 0), 0);
	write_cache(f, 7);
	assert_null(trusted(f, 7));
}

/* Any change a stat shows: mtime, size, inode. */
static void test_changed_file_not_trusted(void **state)
{
	struct fx *f = *state;
	struct timespec later[2] = { { 978307201, 0 }, { 978307201, 0 } };
	char moved[112];
	FILE *fp;
	write_cache(f, 7);
	assert_int_equal(utimensat(AT_FDCWD, f->file, later, 0), 0);
	assert_null(trusted(f, 7));
	write_cache(f, 7);
	fp = fopen(f->file, "a");
	fputs("More.\n", fp);
	fclose(fp);
	assert_int_equal(utimensat(AT_FDCWD, f->file, later, 0), 0);
	assert_null(trusted(f, 7));
	/* The same name, size and mtime, another file. */
	write_cache(f, 7);
	snprintf(moved, sizeof(moved), "%s.new", f->file);
	assert_int_equal(link(f->file, moved), 0);
	assert_int_equal(unlink(f->file), 0);
	fp = fopen(f->file, "w");
	fputs("---\ntitle: A\n---\nText.\nMore.\n", fp);
	fclose(fp);
	assert_int_equal(utimensat(AT_FDCWD, f->file, later, 0), 0);
	assert_null(trusted(f, 7));
}

/* A damaged cache trusts nothing, and no cache is none. */
static void test_damaged_cache_trusts_nothing(void **state)
{
	struct fx *f = *state;
	char path[96];
	FILE *fp;
	write_cache(f, 7);
	snprintf(path, sizeof(path), "%s/" CACHE_FILE, f->dir);
	fp = fopen(path, "a");
	fputs("not a stamp\n", fp);
	fclose(fp);
	assert_null(trusted(f, 7));
	assert_int_equal(unlink(path), 0);
	assert_null(trusted(f, 7));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unchanged_file_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_options_trust_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_racy_file_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_file_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_cache_trusts_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
