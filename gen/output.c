/* output.c - staged, atomic, incremental writing of the output dir. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "output.h"
#include "util.h"

#define STAGING_TAG ".carepress-"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) ? -1 : 0;
	return unlink(path) ? -1 : 0;
}

int remove_tree(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Splits o->dir into its parent and base name. */
static void split_dir(const char *dir, struct buf *parent, struct buf *base)
{
	const char *slash = strrchr(dir, '/');
	if (!slash) {
		buf_adds(parent, ".");
		buf_adds(base, dir);
	} else {
		buf_add(parent, dir, slash == dir ? 1 : (size_t)(slash - dir));
		buf_adds(base, slash + 1);
	}
}

/* Staging dirs are named .<base>.carepress-XXXXXX in the parent: a killed
 * build leaves one behind, and only carepress makes names of that form. */
static void remove_stale_staging(const char *parent, const char *base)
{
	DIR *dp = opendir(parent);
	struct dirent *e;
	struct buf prefix = BUF_INIT, path = BUF_INIT;
	if (!dp)
		return;
	buf_addf(&prefix, ".%s" STAGING_TAG, base);
	while ((e = readdir(dp)) != NULL) {
		if (strncmp(e->d_name, prefix.ptr, prefix.len) || strlen(e->d_name) != prefix.len + 6)
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", parent, e->d_name);
		remove_tree(path.ptr);
	}
	closedir(dp);
	buf_release(&prefix);
	buf_release(&path);
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Version 2 adds each file's mtime and inode; version 1 is still read, so
 * that a site built by an older carepress knows which files are its own.
 * Returns 0, or -1 if there is no manifest or it is not one (o->old empty). */
static int read_manifest(struct output *o)
{
	struct buf path = BUF_INIT;
	char line[4200];
	struct stat st;
	FILE *fp;
	size_t cap = 0;
	int version;
	buf_addf(&path, "%s/" OUTPUT_MANIFEST, o->dir);
	fp = fopen(path.ptr, "r");
	buf_release(&path);
	if (!fp)
		return -1;
	if (!fgets(line, sizeof(line), fp) || fstat(fileno(fp), &st)) {
		fclose(fp);
		return -1;
	}
	version = !strcmp(line, "carepress-manifest 1\n") ? 1
		: !strcmp(line, "carepress-manifest 2\n") ? 2 : 0;
	if (!version) {
		fclose(fp);
		return -1;
	}
	o->old_written_ns = mtime_ns(&st);
	while (fgets(line, sizeof(line), fp)) {
		uint64_t h, ino = 0;
		int64_t mtime = 0;
		size_t size;
		int off = 0;
		char *nl = strchr(line, '\n');
		if (!nl)
			continue;
		if (version == 1 ? sscanf(line, "%" SCNx64 " %zu %n", &h, &size, &off) != 2
				 : sscanf(line, "%" SCNx64 " %zu %" SCNd64 " %" SCNu64 " %n", &h, &size,
					  &mtime, &ino, &off) != 4)
			continue;
		if (!off)
			continue;
		*nl = '\0';
		if (o->n_old == cap) {
			cap = cap ? cap * 2 : 256;
			o->old = xrealloc(o->old, st_mult(cap, sizeof(*o->old)));
		}
		o->old[o->n_old].path = xstrdup(line + off);
		o->old[o->n_old].hash = h;
		o->old[o->n_old].size = size;
		o->old[o->n_old].mtime_ns = mtime;
		o->old[o->n_old].ino = ino;
		o->n_old++;
	}
	fclose(fp);
	for (size_t i = 0; i < o->n_old; i++)
		hash_put(&o->old_index, o->old[i].path, &o->old[i]);
	return 0;
}

/* The hash the manifest keeps of an output's bytes. */
static uint64_t content_hash(const void *data, size_t len)
{
	struct hasher h;
	hasher_init(&h);
	hasher_add(&h, data, len);
	return hasher_end(&h);
}

/* The content hash of the file at path, read a piece at a time; -1 if it
 * cannot be read or is not size bytes. */
static int hash_file(const char *path, size_t size, uint64_t *h)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char piece[64 * 1024];
	struct hasher hs;
	ssize_t n;
	if (fd < 0)
		return -1;
	hasher_init(&hs);
	while ((n = read(fd, piece, sizeof(piece))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		hasher_add(&hs, piece, (size_t)n);
	}
	close(fd);
	if (n < 0 || hs.len != size)
		return -1;
	*h = hasher_end(&hs);
	return 0;
}

/* 1 if the file at path is still e as carepress wrote it (st: its lstat). */
static int still_written(const struct output *o, const struct output_entry *e, const char *path,
			 const struct stat *st)
{
	uint64_t h;
	if (!S_ISREG(st->st_mode) || (size_t)st->st_size != e->size)
		return 0;
	/* As git trusts its index: the same file, untouched since, and
	 * older than the manifest (a change in the manifest's clock tick would
	 * keep the mtime). */
	if (e->ino && (uint64_t)st->st_ino == e->ino && mtime_ns(st) == e->mtime_ns &&
	    e->mtime_ns < o->old_written_ns)
		return 1;
	return !hash_file(path, e->size, &h) && h == e->hash;
}

int output_read_manifest(const char *dir, struct output_entry **entries, size_t *n)
{
	struct output o;
	memset(&o, 0, sizeof(o));
	o.dir = (char *)dir;
	if (read_manifest(&o)) {
		hash_release(&o.old_index);
		return -1;
	}
	hash_release(&o.old_index);
	*entries = o.old;
	*n = o.n_old;
	return 0;
}

void output_entries_free(struct output_entry *entries, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(entries[i].path);
	free(entries);
}

void output_remove_stale(const char *dir)
{
	struct buf parent = BUF_INIT, base = BUF_INIT;
	size_t n = strlen(dir);
	char *trimmed;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	trimmed = xstrndup(dir, n);
	split_dir(trimmed, &parent, &base);
	free(trimmed);
	remove_stale_staging(parent.ptr, base.ptr);
	buf_release(&parent);
	buf_release(&base);
}

int output_intact(const char *dir)
{
	struct output o;
	struct buf path = BUF_INIT;
	size_t i;
	int ok;
	memset(&o, 0, sizeof(o));
	o.dir = (char *)dir;
	read_manifest(&o);
	ok = o.n_old > 0;
	for (i = 0; ok && i < o.n_old; i++) {
		struct stat st;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir, o.old[i].path);
		ok = !lstat(path.ptr, &st) && still_written(&o, &o.old[i], path.ptr, &st);
	}
	for (i = 0; i < o.n_old; i++)
		free(o.old[i].path);
	free(o.old);
	hash_release(&o.old_index);
	buf_release(&path);
	return ok;
}

int output_begin(struct output *o, const char *dir, struct diags *d)
{
	struct buf parent = BUF_INIT, base = BUF_INIT, staging = BUF_INIT;
	struct stat st;
	size_t n = strlen(dir);
	int ret = -1;
	memset(o, 0, sizeof(*o));
	pthread_mutex_init(&o->lock, NULL);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	o->dir = xstrndup(dir, n);
	split_dir(o->dir, &parent, &base);
	if (!strcmp(base.ptr, ".") || !strcmp(base.ptr, "..") || !base.len) {
		diag(d, RULE_IO, o->dir, 0, 0, "the output directory must be named, not '.' or '..'");
		goto out;
	}
	if (!lstat(o->dir, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			diag(d, RULE_IO, o->dir, 0, 0, "output path is not a directory");
			diag_note(d, "remove it or choose another directory with --out");
			goto out;
		}
		o->dir_exists = 1;
		if (access(o->dir, W_OK)) {
			diag(d, RULE_IO, o->dir, 0, 0, "output directory is not writable: %s",
			     strerror(errno));
			goto out;
		}
	} else if (errno != ENOENT) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot use output directory: %s", strerror(errno));
		goto out;
	}
	remove_stale_staging(parent.ptr, base.ptr);
	buf_addf(&staging, "%s/.%s" STAGING_TAG "XXXXXX", parent.ptr, base.ptr);
	if (!mkdtemp(staging.ptr)) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot create a staging directory in '%s': %s",
		     parent.ptr, strerror(errno));
		goto out;
	}
	chmod(staging.ptr, 0755);
	o->staging = buf_detach(&staging, NULL);
	if (o->dir_exists)
		read_manifest(o);
	ret = 0;
out:
	buf_release(&parent);
	buf_release(&base);
	buf_release(&staging);
	if (ret) {
		free(o->dir);
		o->dir = NULL;
		pthread_mutex_destroy(&o->lock);
	}
	return ret;
}

/* Makes the directories above path, deepest first: usually one mkdir, since
 * the upper ones exist after the first file of a folder. */
static int make_parents(char *path)
{
	char *slash = strrchr(path, '/');
	int ret;
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	ret = mkdir(path, 0755);
	if (ret && errno == ENOENT && !make_parents(path))
		ret = mkdir(path, 0755);
	if (ret && errno == EEXIST)
		ret = 0;
	*slash = '/';
	return ret;
}

/* Retries the link after making parent directories. */
static int link_with_parents(const char *from, char *to)
{
	if (!link(from, to))
		return 0;
	if (errno != ENOENT || make_parents(to))
		return -1;
	return link(from, to);
}

/* Links the old output's copy of rel into staging if it has these bytes. */
static int link_unchanged(struct output *o, const char *rel, char *to, uint64_t h,
			  size_t len, struct stat *written)
{
	const struct output_entry *e = hash_get(&o->old_index, rel);
	struct buf from = BUF_INIT;
	struct stat st;
	int ret = -1;
	if (!e || e->hash != h || e->size != len)
		return -1;
	buf_addf(&from, "%s/%s", o->dir, rel);
	if (!lstat(from.ptr, &st) && still_written(o, e, from.ptr, &st) &&
	    !link_with_parents(from.ptr, to)) {
		*written = st;
		ret = 0;
	}
	buf_release(&from);
	return ret;
}

/* Writes a new file; *st is then its stat. */
static int write_file(const char *path, const void *data, size_t len, struct stat *st)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fstat(fd, st)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Records rel (hash h, len bytes) as written; st is the staged file's stat. */
static void add_written(struct output *o, const char *rel, uint64_t h, size_t len,
			const struct stat *st, int linked)
{
	pthread_mutex_lock(&o->lock);
	o->n_linked += linked;
	if (o->n_written == o->cap_written) {
		o->cap_written = o->cap_written ? o->cap_written * 2 : 256;
		o->written = xrealloc(o->written, st_mult(o->cap_written, sizeof(*o->written)));
	}
	o->written[o->n_written].path = xstrdup(rel);
	o->written[o->n_written].hash = h;
	o->written[o->n_written].size = len;
	o->written[o->n_written].mtime_ns = mtime_ns(st);
	o->written[o->n_written].ino = (uint64_t)st->st_ino;
	hash_put(&o->written_index, o->written[o->n_written].path, o);
	o->n_written++;
	pthread_mutex_unlock(&o->lock);
}

static void check_rel(const char *rel)
{
	if (rel[0] == '/' || strstr(rel, "..") || !*rel)
		BUG("unsafe output path '%s'", rel);
}

int output_write(struct output *o, const char *rel, const void *data, size_t len,
		 struct diags *d)
{
	struct buf path = BUF_INIT;
	struct stat st;
	uint64_t h = content_hash(data, len);
	int linked, ret = -1;
	check_rel(rel);
	buf_addf(&path, "%s/%s", o->staging, rel);
	linked = !link_unchanged(o, rel, path.ptr, h, len, &st);
	if (!linked && write_file(path.ptr, data, len, &st) &&
	    (errno != ENOENT || make_parents(path.ptr) || write_file(path.ptr, data, len, &st))) {
		diag(d, RULE_IO, path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		goto out;
	}
	add_written(o, rel, h, len, &st, linked);
	ret = 0;
out:
	buf_release(&path);
	return ret;
}

int output_keep(struct output *o, const char *rel)
{
	const struct output_entry *e = hash_get(&o->old_index, rel);
	struct buf path = BUF_INIT;
	struct stat st;
	int ret;
	check_rel(rel);
	if (!e)
		return -1;
	buf_addf(&path, "%s/%s", o->staging, rel);
	ret = link_unchanged(o, rel, path.ptr, e->hash, e->size, &st);
	if (!ret)
		add_written(o, rel, e->hash, e->size, &st, 1);
	buf_release(&path);
	return ret;
}

struct output_file {
	struct output *o;
	char *rel;
	struct buf path;
	int fd;
	int error;              /* errno of the first failed write, or 0 */
	struct hasher hash;
};

struct output_file *output_open(struct output *o, const char *rel, struct diags *d)
{
	struct output_file *f = xcalloc(1, sizeof(*f));
	check_rel(rel);
	f->o = o;
	f->rel = xstrdup(rel);
	buf_addf(&f->path, "%s/%s", o->staging, rel);
	hasher_init(&f->hash);
	f->fd = open(f->path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (f->fd < 0 && errno == ENOENT && !make_parents(f->path.ptr))
		f->fd = open(f->path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (f->fd < 0) {
		diag(d, RULE_IO, f->path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		buf_release(&f->path);
		free(f->rel);
		free(f);
		return NULL;
	}
	return f;
}

void output_put(struct output_file *f, const void *data, size_t len)
{
	const char *p = data;
	hasher_add(&f->hash, data, len);
	while (len && !f->error) {
		ssize_t n = write(f->fd, p, len);
		if (n < 0) {
			if (errno != EINTR)
				f->error = errno;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
}

int output_close(struct output_file *f, struct diags *d)
{
	struct output *o = f->o;
	const struct output_entry *e;
	struct stat st;
	uint64_t h = hasher_end(&f->hash);
	size_t len = (size_t)f->hash.len;
	int linked = 0, ret = -1;
	if (!f->error && fstat(f->fd, &st))
		f->error = errno;
	if (close(f->fd) && !f->error)
		f->error = errno;
	if (f->error) {
		diag(d, RULE_IO, f->path.ptr, 0, 0, "cannot write file: %s", strerror(f->error));
		goto out;
	}
	/* The same bytes as before: the old file takes the new one's place
	 * (renamed over it), so its mtime is kept. */
	e = hash_get(&o->old_index, f->rel);
	if (e && e->hash == h && e->size == len) {
		struct buf from = BUF_INIT, tmp = BUF_INIT;
		struct stat old;
		buf_addf(&from, "%s/%s", o->dir, f->rel);
		buf_addf(&tmp, "%s" STAGING_TAG "link", f->path.ptr);
		if (!lstat(from.ptr, &old) && still_written(o, e, from.ptr, &old) &&
		    !link(from.ptr, tmp.ptr)) {
			if (!rename(tmp.ptr, f->path.ptr)) {
				st = old;
				linked = 1;
			} else {
				unlink(tmp.ptr);
			}
		}
		buf_release(&from);
		buf_release(&tmp);
	}
	add_written(o, f->rel, h, len, &st, linked);
	ret = 0;
out:
	buf_release(&f->path);
	free(f->rel);
	free(f);
	return ret;
}


/* nftw has no user pointer: the walk below runs on one thread at a time
 * (output_commit is serial), so it passes its state through these. */
static struct output *walk_output;
static struct diags *walk_diags;
static int walk_failed;
static struct buf walk_prev;    /* the path visited before this one */

/* Keeps in the new tree what carepress did not write: every file that is
 * not in the manifest (hard-linked), and every empty folder (made again:
 * carepress writes no empty folder, so an empty one is the user's; a folder
 * with files comes back with them). The walk is depth-first, children
 * before their folder: a folder whose last visited entry is not inside it
 * is empty. */
static int carry_over(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t dir_len = strlen(walk_output->dir), len = strlen(path);
	const char *rel = path + dir_len + (len > dir_len);
	int empty_dir = flag == FTW_DP && *rel &&
			(strncmp(walk_prev.ptr, path, len) || walk_prev.ptr[len] != '/');
	struct buf to = BUF_INIT;
	(void)ftw;
	(void)st;
	buf_reset(&walk_prev);
	buf_add(&walk_prev, path, len);
	if (empty_dir) {
		buf_addf(&to, "%s/%s/", walk_output->staging, rel);
		if (make_parents(to.ptr)) {
			diag(walk_diags, RULE_IO, path, 0, 0, "cannot keep this folder: %s",
			     strerror(errno));
			walk_failed = 1;
		}
		buf_release(&to);
		return 0;
	}
	if (flag != FTW_F && flag != FTW_SL)
		return 0;
	if (!strcmp(rel, OUTPUT_MANIFEST) || hash_get(&walk_output->old_index, rel))
		return 0;
	buf_addf(&to, "%s/%s", walk_output->staging, rel);
	if (link_with_parents(path, to.ptr)) {
		if (errno == EEXIST) {
			diag(walk_diags, RULE_IO, path, 0, 0,
			     "carepress would replace this file, which it did not write");
			diag_note(walk_diags, "move it out of the output directory");
		} else {
			diag(walk_diags, RULE_IO, path, 0, 0, "cannot keep this file: %s",
			     strerror(errno));
		}
		walk_failed = 1;
	}
	buf_release(&to);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct output_entry *)a)->path, ((const struct output_entry *)b)->path);
}

static int write_manifest(struct output *o, struct diags *d)
{
	struct buf text = BUF_INIT, path = BUF_INIT;
	struct stat st;
	size_t i;
	int ret = 0;
	/* Sorted: threads finish in any order, the manifest must not. */
	qsort(o->written, o->n_written, sizeof(*o->written), entry_cmp);
	buf_adds(&text, "carepress-manifest 2\n");
	for (i = 0; i < o->n_written; i++)
		buf_addf(&text, "%016" PRIx64 " %zu %" PRId64 " %" PRIu64 " %s\n", o->written[i].hash,
			 o->written[i].size, o->written[i].mtime_ns, o->written[i].ino,
			 o->written[i].path);
	buf_addf(&path, "%s/" OUTPUT_MANIFEST, o->staging);
	if (write_file(path.ptr, text.ptr, text.len, &st)) {
		diag(d, RULE_IO, path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		ret = -1;
	}
	buf_release(&text);
	buf_release(&path);
	return ret;
}

static void output_release(struct output *o)
{
	size_t i;
	for (i = 0; i < o->n_old; i++)
		free(o->old[i].path);
	for (i = 0; i < o->n_written; i++)
		free(o->written[i].path);
	free(o->old);
	free(o->written);
	hash_release(&o->old_index);
	hash_release(&o->written_index);
	pthread_mutex_destroy(&o->lock);
	free(o->dir);
	free(o->staging);
	memset(o, 0, sizeof(*o));
}

int output_has(struct output *o, const char *rel)
{
	int found;
	pthread_mutex_lock(&o->lock);
	found = hash_get(&o->written_index, rel) != NULL;
	pthread_mutex_unlock(&o->lock);
	return found;
}

/* Swaps staging and dir. Filesystems without RENAME_EXCHANGE get two
 * renames: a kill between them leaves no output dir, but never a mix. */
static int swap_dirs(struct output *o)
{
	struct buf aside = BUF_INIT;
	int ret;
	if (!renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->dir, RENAME_EXCHANGE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	buf_addf(&aside, "%s.old", o->staging);
	ret = rename(o->dir, aside.ptr);
	if (!ret && (ret = rename(o->staging, o->dir)) == 0)
		ret = rename(aside.ptr, o->staging);
	buf_release(&aside);
	return ret;
}

int output_commit(struct output *o, struct diags *d)
{
	int ret = -1, failed;
	if (o->dir_exists) {
		walk_output = o;
		walk_diags = d;
		walk_failed = 0;
		buf_reset(&walk_prev);
		failed = nftw(o->dir, carry_over, 16, FTW_PHYS | FTW_DEPTH);
		buf_release(&walk_prev);
		if (failed || walk_failed) {
			if (!walk_failed)
				diag(d, RULE_IO, o->dir, 0, 0, "cannot read output directory: %s",
				     strerror(errno));
			goto fail;
		}
	}
	if (write_manifest(o, d))
		goto fail;
	if (o->dir_exists) {
		if (swap_dirs(o)) {
			diag(d, RULE_IO, o->dir, 0, 0, "cannot replace output directory: %s",
			     strerror(errno));
			goto fail;
		}
	} else if (rename(o->staging, o->dir)) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot create output directory: %s", strerror(errno));
		goto fail;
	}
	/* The staging path now holds the old output (or nothing). */
	if (o->dir_exists)
		remove_tree(o->staging);
	ret = 0;
	output_release(o);
	return ret;
fail:
	output_abort(o);
	return ret;
}

void output_abort(struct output *o)
{
	if (o->staging)
		remove_tree(o->staging);
	output_release(o);
}
