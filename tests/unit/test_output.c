/* test_output.c - unit tests for output.c in a temp dir: the staged, atomic,
 * incremental output. The old site or the new one, never a mix; unchanged
 * files keep their inode and mtime; files carepress did not write are kept
 * and never overwritten. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "diag.h"
#include "output.h"
#include "util.h"

struct fx {
	struct output o;
	struct diags d;
	char parent[64];
	char out[96];     /* parent/public */
	char path[256];
	char *text;       /* last read_text result */
	char *saved;      /* a copy a test keeps */
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	strcpy(f->parent, "/tmp/carepress-test-output-XXXXXX");
	if (!mkdtemp(f->parent))
		return -1;
	snprintf(f->out, sizeof(f->out), "%s/public", f->parent);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	/* A test that stopped between begin and commit leaves o open. */
	if (f->o.dir)
		output_abort(&f->o);
	diags_release(&f->d);
	free(f->text);
	free(f->saved);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->parent);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* "<out>/<rel>" in f->path. */
static const char *out_path(struct fx *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->out, rel);
	return f->path;
}

/* Returns the contents of path (owned by f, valid until the next call), or
 * NULL if it cannot be read. */
static const char *read_text(struct fx *f, const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");
	free(f->text);
	f->text = NULL;
	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	f->text = buf_detach(&b, NULL);
	return f->text;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static int exists(const char *path)
{
	struct stat st;
	return !lstat(path, &st);
}

static ino_t inode_of(const char *path)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	return st.st_ino;
}

#define SPARE ".public.carepress-spare"

/* Number of entries in parent named .public.carepress-* (staging dirs), not
 * counting the spare. */
static int staging_dirs(struct fx *f)
{
	DIR *dp = opendir(f->parent);
	struct dirent *e;
	int n = 0;
	assert_non_null(dp);
	while ((e = readdir(dp)) != NULL)
		n += !strncmp(e->d_name, ".public.carepress-", 18) && strcmp(e->d_name, SPARE);
	closedir(dp);
	return n;
}

/* "<parent>/.public.carepress-spare/<rel>" in f->path. */
static const char *spare_path(struct fx *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/" SPARE "%s%s", f->parent, *rel ? "/" : "", rel);
	return f->path;
}

static void put(struct fx *f, const char *rel, const char *text)
{
	assert_int_equal(output_write(&f->o, rel, text, strlen(text), &f->d), 0);
}

/* One whole build that writes the NULL-terminated rel/text pairs. */
static void build(struct fx *f, const char *const *files)
{
	size_t i;
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	for (i = 0; files[i]; i += 2)
		put(f, files[i], files[i + 1]);
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_int_equal(f->d.n, 0);
}

static void test_first_build_creates_dir(void **state)
{
	struct fx *f = *state;
	assert_false(exists(f->out));
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_int_equal(f->o.dir_exists, 0);
	assert_int_equal(staging_dirs(f), 1);
	/* Nothing is visible at the output path until commit. */
	put(f, "index.html", "<h1>Home</h1>\n");
	put(f, "en/urgent-care/index.html", "<h1>Urgent</h1>\n");
	assert_false(exists(f->out));
	assert_true(output_has(&f->o, "index.html"));
	assert_true(output_has(&f->o, "en/urgent-care/index.html"));
	assert_false(output_has(&f->o, "en/index.html"));
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(read_text(f, out_path(f, "index.html")), "<h1>Home</h1>\n");
	assert_string_equal(read_text(f, out_path(f, "en/urgent-care/index.html")),
			    "<h1>Urgent</h1>\n");
	assert_int_equal(staging_dirs(f), 0);
	/* The manifest lists what was written, sorted, with hash, size, mtime
	 * and inode. */
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	assert_non_null(f->text);
	assert_true(!strncmp(f->text, "carepress-manifest 2\n", 21));
	{
		char path[64];
		unsigned long long ino;
		long long mtime;
		struct stat st;
		const char *line = strchr(f->text, '\n') + 1;
		assert_int_equal(sscanf(line, "%*16x 16 %lld %llu %63s", &mtime, &ino, path), 3);
		assert_string_equal(path, "en/urgent-care/index.html");
		assert_int_equal(lstat(out_path(f, path), &st), 0);
		assert_true(ino == (unsigned long long)st.st_ino);
		assert_true(mtime == (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
	}
	assert_non_null(strstr(f->text, " index.html\n"));
	assert_true(strstr(f->text, "en/urgent-care") < strstr(f->text, " index.html"));
	assert_null(strstr(f->text, OUTPUT_MANIFEST));
	/* commit released o. */
	assert_null(f->o.dir);
}

static void test_trailing_slash_in_dir(void **state)
{
	struct fx *f = *state;
	char dir[128];
	snprintf(dir, sizeof(dir), "%s//", f->out);
	assert_int_equal(output_begin(&f->o, dir, &f->d), 0);
	assert_string_equal(f->o.dir, f->out);
	put(f, "a.html", "a");
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_string_equal(read_text(f, out_path(f, "a.html")), "a");
}

static void test_unchanged_file_hard_linked(void **state)
{
	struct fx *f = *state;
	static const char *const files[] = { "index.html", "home", "en/a/index.html", "page a",
					     NULL };
	struct timespec times[2];
	struct stat st;
	ino_t ino_home, ino_a;
	build(f, files);
	/* Back-date one file so a rewrite would be visible in its mtime. */
	times[0].tv_sec = times[1].tv_sec = 978307200; /* 2001-01-01 */
	times[0].tv_nsec = times[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, out_path(f, "en/a/index.html"), times, 0), 0);
	ino_home = inode_of(out_path(f, "index.html"));
	ino_a = inode_of(out_path(f, "en/a/index.html"));

	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_int_equal(f->o.dir_exists, 1);
	assert_int_equal(f->o.n_old, 2);
	put(f, "index.html", "home");
	put(f, "en/a/index.html", "page a");
	assert_int_equal(f->o.n_linked, 2);
	assert_int_equal(f->o.n_written, 2);
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_true(inode_of(out_path(f, "index.html")) == ino_home);
	assert_true(inode_of(out_path(f, "en/a/index.html")) == ino_a);
	assert_int_equal(lstat(out_path(f, "en/a/index.html"), &st), 0);
	assert_int_equal(st.st_mtime, 978307200);
	/* The old tree is the spare now: the file's other link. */
	assert_int_equal(st.st_nlink, 2);
	assert_true(inode_of(spare_path(f, "en/a/index.html")) == ino_a);
	assert_int_equal(staging_dirs(f), 0);
}

static void test_changed_file_rewritten(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a.html", "old text", "b.html", "same", NULL };
	static const char *const v2[] = { "a.html", "new text", "b.html", "same", NULL };
	ino_t ino_a, ino_b;
	build(f, v1);
	ino_a = inode_of(out_path(f, "a.html"));
	ino_b = inode_of(out_path(f, "b.html"));
	build(f, v2);
	assert_string_equal(read_text(f, out_path(f, "a.html")), "new text");
	assert_true(inode_of(out_path(f, "a.html")) != ino_a);
	assert_true(inode_of(out_path(f, "b.html")) == ino_b);
	/* Same size, different bytes: rewritten too. */
	{
		static const char *const v3[] = { "a.html", "NEW TEXT", "b.html", "same", NULL };
		build(f, v3);
		assert_string_equal(read_text(f, out_path(f, "a.html")), "NEW TEXT");
	}
}

/* A kept file is the previous build's, linked; a file the previous build
 * did not write, or one edited since, cannot be kept (the build makes it). */
static void test_keep_previous_file(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a.html", "page a", "b.html", "page b", NULL };
	ino_t ino_a;
	build(f, v1);
	ino_a = inode_of(out_path(f, "a.html"));
	{
		FILE *fp = fopen(out_path(f, "b.html"), "r+");
		assert_non_null(fp);
		fputs("PAGE", fp);
		fclose(fp);
	}
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_int_equal(output_keep(&f->o, "a.html"), 0);
	assert_int_equal(output_keep(&f->o, "b.html"), -1);
	assert_int_equal(output_keep(&f->o, "c.html"), -1);
	assert_true(output_has(&f->o, "a.html"));
	assert_false(output_has(&f->o, "b.html"));
	put(f, "b.html", "page b");
	assert_int_equal(f->o.n_linked, 1);
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_true(inode_of(out_path(f, "a.html")) == ino_a);
	assert_string_equal(read_text(f, out_path(f, "b.html")), "page b");
	assert_true(output_intact(f->out));
}

/* Overwrites the start of the file at path, as someone editing it by hand
 * who keeps its size. */
static void edit_by_hand(const char *path)
{
	FILE *fp = fopen(path, "r+");
	assert_non_null(fp);
	fputs("SAME", fp);
	fclose(fp);
}

/* An output someone edited (same size) is not taken for carepress's own:
 * neither linked into the next build nor called intact. An edit that puts
 * the mtime back is caught while the file is racy (as git's index): its
 * mtime is not older than the manifest's, so its bytes are hashed. */
static void test_edited_output_rewritten(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a.html", "same text", NULL };
	struct timespec times[2];
	struct stat st;
	build(f, v1);
	assert_true(output_intact(f->out));
	edit_by_hand(out_path(f, "a.html"));
	assert_false(output_intact(f->out));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "a.html")), "same text");
	assert_true(output_intact(f->out));

	/* The mtime put back, in the manifest's own tick. */
	assert_int_equal(lstat(out_path(f, "a.html"), &st), 0);
	edit_by_hand(out_path(f, "a.html"));
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, out_path(f, "a.html"), times, 0), 0);
	assert_int_equal(utimensat(AT_FDCWD, out_path(f, OUTPUT_MANIFEST), times, 0), 0);
	assert_false(output_intact(f->out));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "a.html")), "same text");
}

/* A file written a piece at a time: its folders made, its bytes as given;
 * the same bytes in the next build are the old file (linked, mtime kept),
 * other bytes a new one; and the manifest hashes it as output_write would. */
static void test_file_written_in_pieces(void **state)
{
	struct fx *f = *state;
	static const char *const whole[] = { "report/big.json", "{\"a\": [1, 2, 3]}\n", NULL };
	struct output_file *of;
	ino_t ino;
	char first_manifest[512];
	build(f, whole);
	ino = inode_of(out_path(f, "report/big.json"));
	snprintf(first_manifest, sizeof(first_manifest), "%s",
		 read_text(f, out_path(f, OUTPUT_MANIFEST)));
	/* The same bytes in three pieces: the old file is kept. */
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	of = output_open(&f->o, "report/big.json", &f->d);
	assert_non_null(of);
	output_put(of, "{\"a\": ", 6);
	output_put(of, "[1, 2, ", 7);
	output_put(of, "3]}\n", 4);
	assert_int_equal(output_close(of, &f->d), 0);
	assert_int_equal(f->o.n_linked, 1);
	assert_true(output_has(&f->o, "report/big.json"));
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_true(inode_of(out_path(f, "report/big.json")) == ino);
	assert_string_equal(read_text(f, out_path(f, OUTPUT_MANIFEST)), first_manifest);
	/* Other bytes: a new file, nothing left of the staging. */
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	of = output_open(&f->o, "report/big.json", &f->d);
	assert_non_null(of);
	output_put(of, "{}\n", 3);
	assert_int_equal(output_close(of, &f->d), 0);
	assert_int_equal(f->o.n_linked, 0);
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_string_equal(read_text(f, out_path(f, "report/big.json")), "{}\n");
	assert_true(inode_of(out_path(f, "report/big.json")) != ino);
	assert_int_equal(staging_dirs(f), 0);
	/* A file that cannot be made is a diagnostic, not a crash. */
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	put(f, "a.html", "x");
	assert_null(output_open(&f->o, "a.html/b.json", &f->d));
	assert_int_equal(f->d.n, 1);
	assert_non_null(strstr(f->d.v[0].message, "cannot write file"));
	output_abort(&f->o);
}

static void test_file_no_longer_written_disappears(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a.html", "a", "old/b.html", "b", NULL };
	static const char *const v2[] = { "a.html", "a", NULL };
	build(f, v1);
	assert_true(exists(out_path(f, "old/b.html")));
	build(f, v2);
	assert_true(exists(out_path(f, "a.html")));
	assert_false(exists(out_path(f, "old/b.html")));
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	assert_null(strstr(f->text, "old/b.html"));
}

static void test_user_files_kept(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", NULL };
	static const char *const v2[] = { "index.html", "home 2", "en/index.html", "en", NULL };
	ino_t ino;
	build(f, v1);
	/* Files the site owner put there: carepress never wrote them. */
	write_text(out_path(f, "google1234.html"), "verification");
	assert_int_equal(mkdir(out_path(f, "en"), 0755), 0);
	write_text(out_path(f, "en/notes.txt"), "mine");
	assert_int_equal(mkdir(out_path(f, "deep"), 0755), 0);
	assert_int_equal(mkdir(out_path(f, "deep/er"), 0755), 0);
	write_text(out_path(f, "deep/er/x.bin"), "x");
	ino = inode_of(out_path(f, "google1234.html"));
	build(f, v2);
	assert_string_equal(read_text(f, out_path(f, "google1234.html")), "verification");
	assert_true(inode_of(out_path(f, "google1234.html")) == ino);
	assert_string_equal(read_text(f, out_path(f, "en/notes.txt")), "mine");
	assert_string_equal(read_text(f, out_path(f, "deep/er/x.bin")), "x");
	assert_string_equal(read_text(f, out_path(f, "en/index.html")), "en");
	/* Still not carepress's: not in the manifest, kept again next time. */
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	assert_null(strstr(f->text, "google1234.html"));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "google1234.html")), "verification");
	assert_false(exists(out_path(f, "en/index.html")));
	assert_true(exists(out_path(f, "en/notes.txt")));
}

/* An empty folder is the site owner's too (carepress writes none): it is
 * kept, also inside a folder of carepress's, and inside another one. */
static void test_user_empty_folders_kept(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", "en/a/index.html", "a", NULL };
	static const char *const v2[] = { "index.html", "home 2", NULL };
	struct stat st;
	build(f, v1);
	assert_int_equal(mkdir(out_path(f, "uploads"), 0755), 0);
	assert_int_equal(mkdir(out_path(f, "en/a/drafts"), 0755), 0);
	assert_int_equal(mkdir(out_path(f, "deep"), 0755), 0);
	assert_int_equal(mkdir(out_path(f, "deep/er"), 0755), 0);
	build(f, v2);
	assert_int_equal(stat(out_path(f, "uploads"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(stat(out_path(f, "en/a/drafts"), &st), 0);
	assert_int_equal(stat(out_path(f, "deep/er"), &st), 0);
	/* The page carepress no longer writes is gone; the owner's folder in it
	 * is not. */
	assert_false(exists(out_path(f, "en/a/index.html")));
	build(f, v2);
	assert_int_equal(stat(out_path(f, "en/a/drafts"), &st), 0);
	assert_int_equal(staging_dirs(f), 0);
}

static void test_abort_leaves_old_output(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", "a/b.html", "b", NULL };
	build(f, v1);
	f->saved = xstrdup(read_text(f, out_path(f, OUTPUT_MANIFEST)));
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_int_equal(staging_dirs(f), 1);
	put(f, "index.html", "a broken build");
	put(f, "new.html", "new");
	output_abort(&f->o);
	assert_null(f->o.dir);
	assert_int_equal(staging_dirs(f), 0);
	assert_string_equal(read_text(f, out_path(f, "index.html")), "home");
	assert_string_equal(read_text(f, out_path(f, "a/b.html")), "b");
	assert_false(exists(out_path(f, "new.html")));
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	assert_string_equal(f->text, f->saved);
}

static void test_stale_staging_removed(void **state)
{
	struct fx *f = *state;
	char stale[160], other[160], longer[160];
	static const char *const v1[] = { "index.html", "home", NULL };
	/* A build killed mid-way left its staging dir (with files) behind. */
	snprintf(stale, sizeof(stale), "%s/.public.carepress-Ab3dE9", f->parent);
	assert_int_equal(mkdir(stale, 0755), 0);
	snprintf(f->path, sizeof(f->path), "%s/sub", stale);
	assert_int_equal(mkdir(f->path, 0755), 0);
	snprintf(f->path, sizeof(f->path), "%s/sub/index.html", stale);
	write_text(f->path, "half");
	/* Not ours: another output's staging dir, and a name of another form. */
	snprintf(other, sizeof(other), "%s/.site.carepress-Ab3dE9", f->parent);
	assert_int_equal(mkdir(other, 0755), 0);
	snprintf(longer, sizeof(longer), "%s/.public.carepress-Ab3dE9x", f->parent);
	assert_int_equal(mkdir(longer, 0755), 0);
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_false(exists(stale));
	assert_true(exists(other));
	assert_true(exists(longer));
	put(f, "index.html", "home");
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	/* And with an existing output dir too. */
	assert_int_equal(mkdir(stale, 0755), 0);
	build(f, v1);
	assert_false(exists(stale));
}

static void test_output_path_is_a_file(void **state)
{
	struct fx *f = *state;
	write_text(f->out, "not a directory");
	assert_int_equal(output_begin(&f->o, f->out, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_int_equal(f->d.v[0].severity, SEV_ERROR);
	assert_string_equal(f->d.v[0].file, f->out);
	assert_string_equal(f->d.v[0].message, "output path is not a directory");
	assert_string_equal(f->d.v[0].note, "remove it or choose another directory with --out");
	/* Untouched, and no staging dir made. */
	assert_string_equal(read_text(f, f->out), "not a directory");
	assert_int_equal(staging_dirs(f), 0);
}

/* output_begin's contract: 0, or -1 with diagnostics. Its caller (build.c)
 * does not release o after -1, so a failed begin must leave nothing behind
 * (today it keeps o->dir, a leak on every `carepress build --out FILE`). */
static void test_failed_begin_leaves_nothing_to_release(void **state)
{
	struct fx *f = *state;
	write_text(f->out, "not a directory");
	assert_int_equal(output_begin(&f->o, f->out, &f->d), -1);
	assert_null(f->o.dir);
	assert_null(f->o.staging);
}

static void test_output_dir_errors(void **state)
{
	struct fx *f = *state;
	char dir[160];
	assert_int_equal(output_begin(&f->o, ".", &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].message,
			    "the output directory must be named, not '.' or '..'");
	if (f->o.dir)
		output_abort(&f->o);
	diags_release(&f->d);
	snprintf(dir, sizeof(dir), "%s/..", f->parent);
	assert_int_equal(output_begin(&f->o, dir, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	if (f->o.dir)
		output_abort(&f->o);
	diags_release(&f->d);
	/* The parent does not exist. */
	snprintf(dir, sizeof(dir), "%s/no/such/public", f->parent);
	assert_int_equal(output_begin(&f->o, dir, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	snprintf(f->path, sizeof(f->path), "cannot create a staging directory in '%s/no/such': "
		 "No such file or directory", f->parent);
	assert_string_equal(f->d.v[0].message, f->path);
}

static void test_user_file_where_build_writes(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", NULL };
	char msg[256];
	build(f, v1);
	/* The owner added notes.html by hand; the new build has a page there. */
	write_text(out_path(f, "notes.html"), "my notes");
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	put(f, "index.html", "home 2");
	put(f, "notes.html", "generated");
	assert_int_equal(output_commit(&f->o, &f->d), -1);
	assert_null(f->o.dir); /* released either way */
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_IO);
	assert_string_equal(f->d.v[0].file, out_path(f, "notes.html"));
	snprintf(msg, sizeof(msg), "carepress would replace this file, which it did not write");
	assert_string_equal(f->d.v[0].message, msg);
	assert_string_equal(f->d.v[0].note, "move it out of the output directory");
	/* The old output, exactly. */
	assert_string_equal(read_text(f, out_path(f, "notes.html")), "my notes");
	assert_string_equal(read_text(f, out_path(f, "index.html")), "home");
	assert_int_equal(staging_dirs(f), 0);
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	assert_null(strstr(f->text, "notes.html"));
}

/* The spare: after the second build the old output is kept beside the
 * output dir, and the next build is made over it: a file that did not change
 * is already there (no link made), a changed one is a new file (never the
 * old one changed: the output shares its inodes), and a file the build no
 * longer writes is removed from it. */
static void test_spare_kept_and_reused(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", "en/a/index.html", "a",
					   "en/b/index.html", "b", NULL };
	ino_t ino_home, ino_a;
	build(f, v1);
	assert_false(exists(spare_path(f, "")));
	ino_home = inode_of(out_path(f, "index.html"));
	ino_a = inode_of(out_path(f, "en/a/index.html"));
	build(f, v1);
	/* The first output, every file the second one's too (linked). */
	assert_true(exists(spare_path(f, ".carepress-spare")));
	assert_true(inode_of(spare_path(f, "en/a/index.html")) == ino_a);

	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_true(f->o.from_spare);
	assert_false(exists(spare_path(f, "")));
	assert_int_equal(staging_dirs(f), 1);
	/* The spare's list and manifest are gone from the staging dir. */
	snprintf(f->path, sizeof(f->path), "%s/.carepress-spare", f->o.staging);
	assert_false(exists(f->path));
	snprintf(f->path, sizeof(f->path), "%s/" OUTPUT_MANIFEST, f->o.staging);
	assert_false(exists(f->path));
	put(f, "index.html", "home 2");
	put(f, "en/a/index.html", "a");
	put(f, "en/c/index.html", "c");
	assert_int_equal(f->o.n_linked, 1);
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_int_equal(f->d.n, 0);

	assert_string_equal(read_text(f, out_path(f, "index.html")), "home 2");
	assert_true(inode_of(out_path(f, "index.html")) != ino_home);
	assert_true(inode_of(out_path(f, "en/a/index.html")) == ino_a);
	assert_string_equal(read_text(f, out_path(f, "en/c/index.html")), "c");
	/* b is gone, with its folder; the spare is the output before, whole. */
	assert_false(exists(out_path(f, "en/b")));
	assert_string_equal(read_text(f, spare_path(f, "index.html")), "home");
	assert_true(inode_of(spare_path(f, "index.html")) == ino_home);
	assert_string_equal(read_text(f, spare_path(f, "en/b/index.html")), "b");
	assert_false(exists(spare_path(f, "en/c")));
	assert_true(output_intact(f->out));
	assert_int_equal(staging_dirs(f), 0);
	/* And again: the spare is the output of v1 now, b comes back. */
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "index.html")), "home");
	assert_string_equal(read_text(f, out_path(f, "en/b/index.html")), "b");
	assert_false(exists(out_path(f, "en/c")));
	assert_true(output_intact(f->out));
}

/* A build killed at any step over the spare: after the claim the spare is
 * an ordinary stale staging dir, removed unread; the next build starts from
 * an empty staging dir and gives the right site. A spare without its list,
 * or with a list carepress cannot read, is not used; deleting the spare is
 * always safe. */
static void test_spare_killed_or_damaged(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", "en/a/index.html", "a", NULL };
	static const char *const v2[] = { "index.html", "home 2", NULL };
	char stale[160], cmd[300];
	build(f, v1);
	build(f, v1);
	/* Killed after the claim: the spare, renamed to a staging name. */
	snprintf(stale, sizeof(stale), "%s/.public.carepress-Kil1ed", f->parent);
	assert_int_equal(rename(spare_path(f, ""), stale), 0);
	build(f, v2);
	assert_false(exists(stale));
	assert_false(exists(out_path(f, "en/a")));
	assert_string_equal(read_text(f, out_path(f, "index.html")), "home 2");
	assert_true(exists(spare_path(f, "")));
	/* Its list removed, then a list of another form: not used. */
	assert_int_equal(unlink(spare_path(f, ".carepress-spare")), 0);
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_false(f->o.from_spare);
	assert_false(exists(spare_path(f, "")));
	put(f, "index.html", "home 2");
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	write_text(spare_path(f, ".carepress-spare"), "carepress-spare 1\nf 12 ../escape\n");
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "en/a/index.html")), "a");
	assert_true(exists(spare_path(f, "index.html")));
	/* Removed by hand. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", spare_path(f, ""));
	assert_int_equal(system(cmd), 0);
	build(f, v2);
	assert_false(exists(out_path(f, "en/a")));
	assert_true(output_intact(f->out));
	assert_int_equal(staging_dirs(f), 0);
}

/* What the spare holds where the build writes, of another kind: a file
 * where a folder goes now, a folder where a file goes. */
static void test_spare_file_becomes_folder(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "docs", "a file", "news/index.html", "n", NULL };
	static const char *const v2[] = { "docs/index.html", "a page", "news", "a file", NULL };
	build(f, v1);
	build(f, v1);
	build(f, v2);
	assert_string_equal(read_text(f, out_path(f, "docs/index.html")), "a page");
	assert_string_equal(read_text(f, out_path(f, "news")), "a file");
	assert_true(output_intact(f->out));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "docs")), "a file");
	assert_string_equal(read_text(f, out_path(f, "news/index.html")), "n");
	build(f, v2);
	assert_string_equal(read_text(f, out_path(f, "docs/index.html")), "a page");
	assert_true(output_intact(f->out));
	assert_int_equal(staging_dirs(f), 0);
}

/* In a claimed spare as in an empty staging dir: one path written twice,
 * and a file that is a folder of another, are errors. */
static void test_spare_clashing_outputs(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a", "file a", "b.html", "b", NULL };
	build(f, v1);
	build(f, v1);
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_true(f->o.from_spare);
	put(f, "b.html", "b");
	assert_int_equal(output_write(&f->o, "b.html", "b", 1, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_non_null(strstr(f->d.v[0].message, "File exists"));
	/* A failed write: the staging dir may hold what no list says, so it is
	 * not given back as the spare. */
	output_abort(&f->o);
	assert_false(exists(spare_path(f, "")));
	diags_release(&f->d);
	/* a kept as it is (no file operation), a/b.html written first. */
	build(f, v1);
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_true(f->o.from_spare);
	put(f, "a/b.html", "b");
	put(f, "a", "file a");
	assert_int_equal(output_commit(&f->o, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_non_null(strstr(f->d.v[0].message, "cannot write file"));
	assert_string_equal(read_text(f, out_path(f, "a")), "file a");
	assert_int_equal(staging_dirs(f), 0);
}

/* The user's files and folders, over the spare: one replaced by a newer
 * file is the newer one, one removed stays removed (the spare's copy is not
 * brought back), a symlink is carried over, and never written through. */
static void test_spare_and_user_files(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", NULL };
	static const char *const v2[] = { "index.html", "home", "docs/x.html", "x", NULL };
	char elsewhere[160];
	build(f, v1);
	write_text(out_path(f, "notes.txt"), "v1");
	write_text(out_path(f, "old.txt"), "old");
	assert_int_equal(mkdir(out_path(f, "uploads"), 0755), 0);
	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", f->parent);
	assert_int_equal(mkdir(elsewhere, 0755), 0);
	assert_int_equal(symlink("../elsewhere", out_path(f, "docs")), 0);
	build(f, v1);
	build(f, v1);
	/* notes.txt replaced (a new file), old.txt and uploads/ removed. */
	assert_int_equal(unlink(out_path(f, "notes.txt")), 0);
	write_text(out_path(f, "notes.txt"), "v2");
	assert_int_equal(unlink(out_path(f, "old.txt")), 0);
	assert_int_equal(rmdir(out_path(f, "uploads")), 0);
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "notes.txt")), "v2");
	assert_false(exists(out_path(f, "old.txt")));
	assert_false(exists(out_path(f, "uploads")));
	assert_true(exists(out_path(f, "docs")));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "notes.txt")), "v2");
	assert_false(exists(out_path(f, "old.txt")));
	assert_false(exists(out_path(f, "uploads")));
	/* The symlink is the user's: a build with docs/ fails, and writes
	 * nothing where it points (the spare holds it too). */
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	put(f, "index.html", "home");
	put(f, "docs/x.html", "x");
	assert_int_equal(output_commit(&f->o, &f->d), -1);
	assert_non_null(strstr(f->d.v[0].message, "would replace"));
	diags_release(&f->d);
	snprintf(f->path, sizeof(f->path), "%s/x.html", elsewhere);
	assert_false(exists(f->path));
	/* The user removes it: the build writes a folder there. */
	build(f, v1);
	assert_int_equal(unlink(out_path(f, "docs")), 0);
	build(f, v2);
	assert_string_equal(read_text(f, out_path(f, "docs/x.html")), "x");
	snprintf(f->path, sizeof(f->path), "%s/x.html", elsewhere);
	assert_false(exists(f->path));
	assert_true(output_intact(f->out));
}

/* A failed build gives back the spare it claimed, with what it wrote; the
 * next build uses it and publishes nothing of the failed one. */
static void test_abort_gives_back_spare(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "index.html", "home", "a/b.html", "b", NULL };
	static const char *const v2[] = { "index.html", "home 2", "a/b.html", "b", NULL };
	build(f, v1);
	build(f, v1);
	f->saved = xstrdup(read_text(f, out_path(f, OUTPUT_MANIFEST)));
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_true(f->o.from_spare);
	put(f, "index.html", "a broken build");
	put(f, "broken/new.html", "new");
	output_abort(&f->o);
	assert_int_equal(staging_dirs(f), 0);
	assert_string_equal(read_text(f, spare_path(f, "index.html")), "a broken build");
	assert_string_equal(read_text(f, out_path(f, "index.html")), "home");
	assert_string_equal(read_text(f, out_path(f, OUTPUT_MANIFEST)), f->saved);
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	assert_true(f->o.from_spare);
	put(f, "index.html", "home 2");
	put(f, "a/b.html", "b");
	assert_int_equal(output_commit(&f->o, &f->d), 0);
	assert_string_equal(read_text(f, out_path(f, "index.html")), "home 2");
	assert_false(exists(out_path(f, "broken")));
	assert_true(output_intact(f->out));
	build(f, v2);
	assert_false(exists(out_path(f, "broken")));
}

/* The output and the spare share the inodes of unchanged files: a file
 * edited by hand in place (same size) is edited in both, and the next
 * build writes it anew rather than keep either. */
static void test_spare_shares_edited_file(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a.html", "same text", "b.html", "b", NULL };
	build(f, v1);
	build(f, v1);
	build(f, v1);
	assert_true(inode_of(out_path(f, "a.html")) == inode_of(spare_path(f, "a.html")));
	edit_by_hand(out_path(f, "a.html"));
	assert_string_equal(read_text(f, spare_path(f, "a.html")), "SAME text");
	assert_false(output_intact(f->out));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "a.html")), "same text");
	assert_true(output_intact(f->out));
	build(f, v1);
	assert_string_equal(read_text(f, out_path(f, "a.html")), "same text");
	assert_true(output_intact(f->out));
}

/* A version 1 manifest (hash, size, path) is still read: by
 * output_read_manifest, and by a build, which keeps the files it names
 * whose bytes are unchanged. */
static void test_version1_manifest(void **state)
{
	struct fx *f = *state;
	static const char *const v1[] = { "a.html", "page a", "b.html", "page b", NULL };
	struct output_entry *e;
	size_t n;
	char line[128];
	uint64_t h;
	ino_t ino;
	build(f, v1);
	ino = inode_of(out_path(f, "a.html"));
	/* The same manifest in version 1's form. */
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	assert_int_equal(sscanf(f->text, "carepress-manifest 2\n%16" SCNx64, &h), 1);
	snprintf(line, sizeof(line), "carepress-manifest 1\n%016" PRIx64 " 6 a.html\n", h);
	assert_int_equal(unlink(out_path(f, OUTPUT_MANIFEST)), 0);
	write_text(out_path(f, OUTPUT_MANIFEST), line);
	assert_int_equal(output_read_manifest(f->out, &e, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].path, "a.html");
	assert_int_equal(e[0].size, 6);
	assert_true(e[0].hash == h);
	assert_int_equal(e[0].mtime_ns, 0);
	output_entries_free(e, n);
	assert_true(output_intact(f->out));
	assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
	put(f, "a.html", "page a");
	assert_int_equal(f->o.n_linked, 1);
	/* b.html is not in the manifest: the user's, which the build would
	 * replace. */
	put(f, "b.html", "page b");
	assert_int_equal(output_commit(&f->o, &f->d), -1);
	assert_non_null(strstr(f->d.v[0].message, "would replace"));
	assert_true(inode_of(out_path(f, "a.html")) == ino);
}

struct writer {
	struct output *o;
	int id;
	int failures;
	struct diags d; /* one per thread, as build.c does */
};

#define FILES_PER_THREAD 50

static void *write_many(void *arg)
{
	struct writer *w = arg;
	char rel[64], text[64];
	int i;
	for (i = 0; i < FILES_PER_THREAD; i++) {
		snprintf(rel, sizeof(rel), "t%d/d%d/f%d.html", w->id, i % 3, i);
		snprintf(text, sizeof(text), "thread %d file %d", w->id, i);
		if (output_write(w->o, rel, text, strlen(text), &w->d))
			w->failures++;
		/* Shared parents too: every thread writes into shared/. */
		snprintf(rel, sizeof(rel), "shared/t%d-f%d.html", w->id, i);
		if (output_write(w->o, rel, text, strlen(text), &w->d))
			w->failures++;
	}
	return NULL;
}

static void test_concurrent_writes(void **state)
{
	struct fx *f = *state;
	struct writer w[4];
	pthread_t tid[4];
	int t, i, round;
	char rel[64], text[64];
	for (round = 0; round < 2; round++) {
		assert_int_equal(output_begin(&f->o, f->out, &f->d), 0);
		memset(w, 0, sizeof(w));
		for (t = 0; t < 4; t++) {
			w[t].o = &f->o;
			w[t].id = t;
			assert_int_equal(pthread_create(&tid[t], NULL, write_many, &w[t]), 0);
		}
		for (t = 0; t < 4; t++) {
			assert_int_equal(pthread_join(tid[t], NULL), 0);
			assert_int_equal(w[t].failures, 0);
			assert_int_equal(w[t].d.n, 0);
			diags_release(&w[t].d);
		}
		assert_int_equal(f->o.n_written, 4 * 2 * FILES_PER_THREAD);
		/* The second round writes the same bytes: every file linked. */
		assert_int_equal(f->o.n_linked, round ? 4 * 2 * FILES_PER_THREAD : 0);
		for (t = 0; t < 4; t++) {
			snprintf(rel, sizeof(rel), "shared/t%d-f%d.html", t, FILES_PER_THREAD - 1);
			assert_true(output_has(&f->o, rel));
		}
		assert_int_equal(output_commit(&f->o, &f->d), 0);
		assert_int_equal(f->d.n, 0);
	}
	for (t = 0; t < 4; t++)
		for (i = 0; i < FILES_PER_THREAD; i++) {
			snprintf(rel, sizeof(rel), "t%d/d%d/f%d.html", t, i % 3, i);
			snprintf(text, sizeof(text), "thread %d file %d", t, i);
			assert_string_equal(read_text(f, out_path(f, rel)), text);
		}
	/* 400 entries and the header line. */
	read_text(f, out_path(f, OUTPUT_MANIFEST));
	for (i = 0, t = 0; f->text[i]; i++)
		t += f->text[i] == '\n';
	assert_int_equal(t, 4 * 2 * FILES_PER_THREAD + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_build_creates_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_slash_in_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_file_hard_linked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_file_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_output_rewritten, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_previous_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_written_in_pieces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_no_longer_written_disappears, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_user_files_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_empty_folders_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_leaves_old_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_staging_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_path_is_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_begin_leaves_nothing_to_release, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output_dir_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_file_where_build_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spare_kept_and_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spare_killed_or_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spare_file_becomes_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spare_clashing_outputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spare_and_user_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_gives_back_spare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spare_shares_edited_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version1_manifest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
