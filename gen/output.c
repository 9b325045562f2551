/* output.c - staged, atomic, incremental writing of the output dir, over the
 * spare tree so that a rebuild's work follows what changed (output.h). Never
 * prints: returns diagnostics. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "output.h"
#include "util.h"

#define STAGING_TAG ".carepress-"
/* The spare is .<base>.carepress-spare: five letters after the tag where a
 * staging dir has mkdtemp's six, so no staging dir takes its name and the
 * sweep of stale staging dirs never removes it. */
#define SPARE_NAME "spare"
/* In the spare, the list of every path it holds, a line each:
 * "<kind> <inode> <path>" (kind: path_kind_tag; inode: a file's, else 0). */
#define SPARE_LIST ".carepress-spare"
#define SPARE_LIST_HEADER "carepress-spare 1\n"
/* The commit reads each folder of the output dir with getdents64 into a
 * buffer of this size (a folder of carepress's takes one call and the end). */
#define DIR_BUF_SIZE (32 * 1024)
/* Tries at creating one staged file: its folders made, then what the spare
 * had in the way removed (a file where a folder goes, then the file). */
#define CREATE_TRIES 3

/* What a path of the spare is, in its list: a file (carepress's or its
 * user's), a folder that may be empty, or anything else (a symlink, a FIFO).
 * Others are removed as soon as the spare is claimed: a symlink where the
 * build makes a folder would take its writes out of the staging dir. */
enum path_kind { PATH_FILE, PATH_FOLDER, PATH_OTHER, PATH_KIND_MAX };
static const char path_kind_tag[PATH_KIND_MAX] = { 'f', 'd', 'o' };

struct output_path {
	char *path;     /* relative to the tree, owned */
	enum path_kind kind;
	uint64_t ino;   /* a file's inode, as listed or found; 0 if unknown */
};

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

/* Adds v in decimal and a space; signed if sign (v as an int64_t). */
static void add_decimal(struct buf *b, uint64_t v, int sign)
{
	if (sign)
		buf_add_int(b, (int64_t)v);
	else
		buf_add_uint(b, v);
	buf_addc(b, ' ');
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

/* Adds path (kind, ino) to *v, which holds *n of *cap. */
static void paths_add(struct output_path **v, size_t *n, size_t *cap, const char *path,
		      enum path_kind kind, uint64_t ino)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xrealloc(*v, st_mult(*cap, sizeof(**v)));
	}
	(*v)[*n].path = xstrdup(path);
	(*v)[*n].kind = kind;
	(*v)[*n].ino = ino;
	(*n)++;
}

static void paths_free(struct output_path *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

/* A path a list may name: relative, without "." or ".." parts, so that no
 * list makes carepress remove anything outside its tree. */
static int safe_path(const char *rel)
{
	const char *p = rel;
	if (*rel == '/' || !*rel)
		return 0;
	for (;;) {
		size_t n = strcspn(p, "/");
		if (!n || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!p[n])
			return 1;
		p += n + 1;
	}
}

/* Reads the claimed spare's list (staging/SPARE_LIST) into o->spare_paths,
 * removing at once the paths that are neither files nor folders, then the
 * list and the old manifest. Returns 0, or -1 if it is no spare list or a
 * path cannot be removed. */
static int read_spare_list(struct output *o)
{
	struct buf list = BUF_INIT, path = BUF_INIT;
	char *line = NULL;
	size_t cap = 0, cap_spare = 0, i;
	ssize_t n;
	FILE *fp;
	int ret = -1;
	buf_addf(&list, "%s/" SPARE_LIST, o->staging);
	fp = fopen(list.ptr, "r");
	if (!fp)
		goto out;
	if (getline(&line, &cap, fp) < 0 || strcmp(line, SPARE_LIST_HEADER))
		goto out;
	while ((n = getline(&line, &cap, fp)) > 0) {
		int kind = 0;
		uint64_t ino;
		char *rel;
		if (line[n - 1] != '\n' || line[1] != ' ' || line[2] < '0' || line[2] > '9')
			goto out;
		line[n - 1] = '\0';
		while (kind < PATH_KIND_MAX && path_kind_tag[kind] != line[0])
			kind++;
		ino = strtoull(line + 2, &rel, 10);
		if (kind == PATH_KIND_MAX || *rel++ != ' ' || !safe_path(rel))
			goto out;
		if (kind != PATH_OTHER) {
			paths_add(&o->spare_paths, &o->n_spare, &cap_spare, rel, kind, ino);
			continue;
		}
		buf_reset(&path);
		buf_addf(&path, "%s/%s", o->staging, rel);
		if (unlink(path.ptr) && errno != ENOENT)
			goto out;
	}
	if (ferror(fp) || unlink(list.ptr))
		goto out;
	buf_reset(&path);
	buf_addf(&path, "%s/" OUTPUT_MANIFEST, o->staging);
	if (unlink(path.ptr) && errno != ENOENT)
		goto out;
	/* A path listed twice (a file the failed build that gave the spare back
	 * wrote again) is what its last line says. */
	for (i = 0; i < o->n_spare; i++)
		hash_put(&o->spare_index, o->spare_paths[i].path, &o->spare_paths[i]);
	ret = 0;
out:
	if (fp)
		fclose(fp);
	free(line);
	buf_release(&list);
	buf_release(&path);
	return ret;
}

/* Takes the spare as the staging dir. It is renamed first, over the empty
 * dir mkdtemp made: from then on a killed build leaves an ordinary stale
 * staging dir, which the next build removes unread. A spare without a list
 * carepress can read is not used: the staging dir is made empty again.
 * Returns 0, or -1 if the staging dir cannot be made again. */
static int claim_spare(struct output *o)
{
	if (rename(o->spare, o->staging))
		return 0; /* no spare (or not a folder): the staging dir stays empty */
	if (!read_spare_list(o)) {
		o->from_spare = 1;
		return 0;
	}
	paths_free(o->spare_paths, o->n_spare);
	o->spare_paths = NULL;
	o->n_spare = 0;
	hash_release(&o->spare_index);
	remove_tree(o->staging);
	return mkdir(o->staging, 0700);
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
	buf_addf(&staging, "%s/.%s" STAGING_TAG SPARE_NAME, parent.ptr, base.ptr);
	o->spare = buf_detach(&staging, NULL);
	/* A spare is the old output of an output dir that is there. */
	if (!o->dir_exists)
		remove_tree(o->spare);
	buf_addf(&staging, "%s/.%s" STAGING_TAG "XXXXXX", parent.ptr, base.ptr);
	if (mkdtemp(staging.ptr))
		o->staging = buf_detach(&staging, NULL);
	if (!o->staging || (o->dir_exists && claim_spare(o))) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot create a staging directory in '%s': %s",
		     parent.ptr, strerror(errno));
		goto out;
	}
	chmod(o->staging, 0755);
	if (o->dir_exists)
		read_manifest(o);
	ret = 0;
out:
	buf_release(&parent);
	buf_release(&base);
	buf_release(&staging);
	if (ret) {
		free(o->dir);
		free(o->spare);
		free(o->staging);
		paths_free(o->spare_paths, o->n_spare);
		hash_release(&o->spare_index);
		o->dir = o->spare = o->staging = NULL;
		o->spare_paths = NULL;
		o->n_spare = 0;
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

/* Notes that staging may hold what no list names (a write that failed
 * half-way) or no longer hold what one does, so it cannot become the
 * spare. */
static void mark_unlisted(struct output *o)
{
	pthread_mutex_lock(&o->lock);
	o->unlisted = 1;
	pthread_mutex_unlock(&o->lock);
}

/* 1 if this build wrote a file below the folder rel. */
static int written_below(struct output *o, const char *rel)
{
	size_t i, n = strlen(rel);
	int found = 0;
	pthread_mutex_lock(&o->lock);
	for (i = 0; !found && i < o->n_written; i++)
		found = !strncmp(o->written[i].path, rel, n) && o->written[i].path[n] == '/';
	pthread_mutex_unlock(&o->lock);
	return found;
}

/* In a claimed spare, removes what the old tree has where staging path
 * (rel) is to be made: the old file, a folder where a file goes, a file
 * where a folder goes. Never what this build wrote: two outputs at one
 * path are an error, as in an empty staging dir. Returns 0, or -1 with
 * errno. */
static int remove_in_the_way(struct output *o, char *path, const char *rel)
{
	size_t off = strlen(path) - strlen(rel);
	char *p = path + off;
	struct stat st;
	int in_folder;
	if (output_has(o, rel)) {
		errno = EEXIST;
		return -1;
	}
	if (!unlink(path) || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != ENOTDIR)
		return -1;
	in_folder = errno == ENOTDIR;
	/* Files of the spare go, which its list still names: it cannot be given
	 * back (an inode it names may be freed and taken by another file). */
	mark_unlisted(o);
	if (!in_folder) {
		if (!written_below(o, rel))
			return remove_tree(path);
		errno = EEXIST;
		return -1;
	}
	/* A file of the old tree where rel needs a folder: the first part of
	 * rel that is not a folder. */
	while ((p = strchr(p, '/')) != NULL) {
		int folder, ret;
		*p = '\0';
		ret = lstat(path, &st);
		folder = !ret && S_ISDIR(st.st_mode);
		if (!ret && !folder) {
			if (output_has(o, path + off)) {
				errno = ENOTDIR;
				ret = -1;
			} else {
				ret = unlink(path);
			}
		}
		*p++ = '/';
		if (!folder)
			return ret;
	}
	errno = ENOTDIR;
	return -1;
}

/* Called when making the staged file path (rel) failed, with errno: makes
 * room for another try, making its folders (ENOENT) or, in a claimed spare,
 * removing what the old tree has in the way. Returns 0 to try again, or -1
 * with errno. */
static int make_room(struct output *o, char *path, const char *rel)
{
	if (errno == ENOENT)
		return make_parents(path);
	if (!o->from_spare || (errno != EEXIST && errno != ENOTDIR))
		return -1;
	return remove_in_the_way(o, path, rel);
}

/* Links the output dir's file from (st: its lstat) at staging path to
 * (rel). A claimed spare often has it there already, the same file: its
 * list says so, with no stat (the spare is carepress's; find_clash catches
 * what this build removed from it since). */
static int stage_link(struct output *o, const char *from, const struct stat *st, char *to,
		      const char *rel)
{
	const struct output_path *there = hash_get(&o->spare_index, rel);
	int tries;
	if (there && there->kind == PATH_FILE && there->ino == (uint64_t)st->st_ino)
		return 0;
	for (tries = 1; link(from, to); tries++) {
		if (tries == CREATE_TRIES || make_room(o, to, rel)) {
			mark_unlisted(o);
			return -1;
		}
	}
	return 0;
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
	    !stage_link(o, from.ptr, &st, to, rel)) {
		*written = st;
		ret = 0;
	}
	buf_release(&from);
	return ret;
}

/* Writes len bytes to the new file open as fd and closes it; *st is then
 * its stat. Returns 0, or -1 with errno. */
static int write_close(int fd, const void *data, size_t len, struct stat *st)
{
	const char *p = data;
	int err = 0;
	while (len && !err) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno != EINTR)
				err = errno;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	if (!err && fstat(fd, st))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	errno = err;
	return err ? -1 : 0;
}

/* Writes a new file (never an existing one); *st is then its stat. */
static int write_file(const char *path, const void *data, size_t len, struct stat *st)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	return fd < 0 ? -1 : write_close(fd, data, len, st);
}

/* Opens the new staged file path (rel) for writing. Returns the descriptor,
 * or -1 with errno. */
static int create_staged(struct output *o, char *path, const char *rel)
{
	int fd, tries = 1;
	while ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		if (tries++ == CREATE_TRIES || make_room(o, path, rel))
			return -1;
	return fd;
}

/* Records rel (hash h, len bytes) as written; st is the staged file's stat.
 * Returns 0, or -1 (errno EEXIST) if rel was written already. */
static int add_written(struct output *o, const char *rel, uint64_t h, size_t len,
		       const struct stat *st, int linked)
{
	int ret = 0;
	pthread_mutex_lock(&o->lock);
	if (hash_get(&o->written_index, rel)) {
		errno = EEXIST;
		ret = -1;
		goto out;
	}
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
out:
	pthread_mutex_unlock(&o->lock);
	return ret;
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
	int linked, fd, ret = -1;
	check_rel(rel);
	buf_addf(&path, "%s/%s", o->staging, rel);
	linked = !link_unchanged(o, rel, path.ptr, h, len, &st);
	if ((!linked && ((fd = create_staged(o, path.ptr, rel)) < 0 ||
			 write_close(fd, data, len, &st))) ||
	    add_written(o, rel, h, len, &st, linked)) {
		diag(d, RULE_IO, path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		mark_unlisted(o);
		goto out;
	}
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
		ret = add_written(o, rel, e->hash, e->size, &st, 1);
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
	f->fd = create_staged(o, f->path.ptr, rel);
	if (f->fd < 0) {
		diag(d, RULE_IO, f->path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		mark_unlisted(o);
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
		mark_unlisted(o);
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
	if (add_written(o, f->rel, h, len, &st, linked)) {
		diag(d, RULE_IO, f->path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		mark_unlisted(o);
		goto out;
	}
	ret = 0;
out:
	buf_release(&f->path);
	free(f->rel);
	free(f);
	return ret;
}
/* The commit's walk of the output dir. */
struct walk {
	struct output *o;
	struct buf rel;     /* the path visited, relative to the output dir */
	struct buf list;    /* the output dir's spare list, as found */
	int listed;         /* 0 once a path cannot be listed (a newline in it) */
};

/* Adds "<kind> <ino> <path>" to a spare list. Returns 0, or -1 if path holds
 * a newline, which no line can. */
static int list_add(struct buf *list, enum path_kind kind, uint64_t ino, const char *path)
{
	if (strchr(path, '\n'))
		return -1;
	buf_addc(list, path_kind_tag[kind]);
	buf_addc(list, ' ');
	add_decimal(list, ino, 0);
	buf_adds(list, path);
	buf_addc(list, '\n');
	return 0;
}

/* The kind of entry e of the folder open as fd, from its d_type (a stat
 * only where the file system gives none). */
static enum path_kind entry_kind(int fd, const struct dirent64 *e)
{
	struct stat st;
	unsigned char type = e->d_type;
	if (type == DT_UNKNOWN && !fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
	return type == DT_DIR ? PATH_FOLDER : type == DT_REG ? PATH_FILE : PATH_OTHER;
}

/* Records what w found at w->rel: in the spare list, and in o->found if
 * carepress did not write it (user). */
static void walk_found(struct walk *w, enum path_kind kind, uint64_t ino, int user)
{
	if (list_add(&w->list, kind, ino, w->rel.ptr))
		w->listed = 0;
	if (user)
		paths_add(&w->o->found, &w->o->n_found, &w->o->cap_found, w->rel.ptr, kind, ino);
}

/* Visits entry e (its path in w->rel) of the folder open as fd. */
static int visit_entry(struct walk *w, int fd, const struct dirent64 *e);

/* Lists the folder open as fd (its path in w->rel, "" or ending in '/') and
 * what is below it in w->list, and adds what carepress did not write to
 * w->o->found: files not in the manifest, and the folder itself if empty.
 * Names, types and inodes only (getdents64, no stat per entry): this is the
 * one walk over the whole output a build makes. Closes fd. Returns 0, or -1
 * with errno. */
static int walk_folder(struct walk *w, int fd)
{
	char *ents = xmalloc(DIR_BUF_SIZE);
	size_t len = w->rel.len, off;
	ssize_t n;
	int ret = 0, empty = 1, err;
	while (!ret && (n = getdents64(fd, ents, DIR_BUF_SIZE)) > 0) {
		for (off = 0; !ret && off < (size_t)n; ) {
			const struct dirent64 *e = (const struct dirent64 *)(ents + off);
			off += e->d_reclen;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			empty = 0;
			buf_truncate(&w->rel, len);
			buf_adds(&w->rel, e->d_name);
			ret = visit_entry(w, fd, e);
		}
	}
	if (n < 0)
		ret = -1;
	err = errno;
	buf_truncate(&w->rel, len);
	if (!ret && empty && len) {
		buf_truncate(&w->rel, len - 1);
		walk_found(w, PATH_FOLDER, 0, 1);
	}
	free(ents);
	close(fd);
	errno = err;
	return ret;
}

static int visit_entry(struct walk *w, int fd, const struct dirent64 *e)
{
	enum path_kind kind = entry_kind(fd, e);
	if (kind == PATH_FOLDER) {
		int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		buf_addc(&w->rel, '/');
		return sub < 0 ? -1 : walk_folder(w, sub);
	}
	if (strcmp(w->rel.ptr, OUTPUT_MANIFEST))
		walk_found(w, kind, kind == PATH_FILE ? (uint64_t)e->d_ino : 0,
			   kind != PATH_FILE || !hash_get(&w->o->old_index, w->rel.ptr));
	return 0;
}

/* Walks the output dir: what it holds besides carepress's files into
 * o->found (indexed), and its spare list into w->list. Returns 0, or -1 with
 * a diagnostic. */
static int walk_output(struct output *o, struct walk *w, struct diags *d)
{
	int fd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t i;
	w->o = o;
	w->listed = 1;
	buf_adds(&w->list, SPARE_LIST_HEADER);
	if (fd < 0 || walk_folder(w, fd)) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot read output directory: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < o->n_found; i++)
		hash_put(&o->found_index, o->found[i].path, &o->found[i]);
	return 0;
}

/* Removes the folders above the staged path (a buf holding staging/rel)
 * while they are empty: carepress writes no empty folder (an empty one is
 * its user's). Returns 0, or -1 with errno. */
static int remove_empty_parents(const struct output *o, struct buf *path)
{
	size_t root = strlen(o->staging);
	char *slash;
	while ((slash = strrchr(path->ptr, '/')) != NULL && (size_t)(slash - path->ptr) > root) {
		buf_truncate(path, (size_t)(slash - path->ptr));
		if (rmdir(path->ptr))
			return errno == ENOTEMPTY || errno == EEXIST ? 0 : -1;
	}
	return 0;
}

/* 1 if a and b are the same folder, or the same file (inode). */
static int same_path(const struct output_path *a, const struct output_path *b)
{
	return a->kind == b->kind &&
	       (a->kind == PATH_FOLDER || (a->kind == PATH_FILE && a->ino == b->ino));
}

/* Removes from a claimed spare every path this build did not write and the
 * output dir does not hold the same (its user's files and empty folders),
 * and the folders that leaves empty. Returns 0, or -1 with a diagnostic. */
static int prune_spare(struct output *o, struct diags *d)
{
	struct buf path = BUF_INIT;
	size_t i;
	int ret = 0;
	for (i = 0; !ret && i < o->n_spare; i++) {
		const struct output_path *s = &o->spare_paths[i];
		const struct output_path *kept = hash_get(&o->found_index, s->path);
		int gone;
		/* A path listed twice is what its last line says. */
		if (hash_get(&o->spare_index, s->path) != s || (kept && same_path(kept, s)) ||
		    hash_get(&o->written_index, s->path))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", o->staging, s->path);
		gone = s->kind == PATH_FOLDER ? !rmdir(path.ptr) : !unlink(path.ptr);
		/* Not there, or a folder this build wrote files in. */
		if (!gone && (errno == ENOENT || errno == ENOTDIR || errno == EISDIR ||
			      errno == ENOTEMPTY || errno == EEXIST))
			continue;
		if (!gone || remove_empty_parents(o, &path)) {
			diag(d, RULE_IO, path.ptr, 0, 0, "cannot remove the previous build's file: %s",
			     strerror(errno));
			ret = -1;
		}
	}
	buf_release(&path);
	return ret;
}

/* Keeps in the new tree what carepress did not write (o->found): every file
 * hard-linked from the output dir, every empty folder made again (carepress
 * writes no empty folder, so an empty one is its user's; a folder with files
 * comes back with them). What a claimed spare holds the same takes no work.
 * A file this build wrote at the same path is an error: carepress never
 * overwrites a file it did not write. Returns 0, or -1 with diagnostics. */
static int carry_over(struct output *o, struct diags *d)
{
	struct buf from = BUF_INIT, to = BUF_INIT;
	size_t i;
	int ret = 0;
	for (i = 0; i < o->n_found; i++) {
		const struct output_path *p = &o->found[i], *s = hash_get(&o->spare_index, p->path);
		int folder = p->kind == PATH_FOLDER;
		int clash = !folder && hash_get(&o->written_index, p->path);
		if (!clash && s && same_path(p, s))
			continue;
		buf_reset(&from);
		buf_reset(&to);
		buf_addf(&from, "%s/%s", o->dir, p->path);
		buf_addf(&to, "%s/%s%s", o->staging, p->path, folder ? "/" : "");
		if (clash)
			errno = EEXIST;
		else if (folder ? !make_parents(to.ptr) : !link_with_parents(from.ptr, to.ptr))
			continue;
		if (folder) {
			diag(d, RULE_IO, from.ptr, 0, 0, "cannot keep this folder: %s", strerror(errno));
		} else if (errno == EEXIST) {
			diag(d, RULE_IO, from.ptr, 0, 0,
			     "carepress would replace this file, which it did not write");
			diag_note(d, "move it out of the output directory");
		} else {
			diag(d, RULE_IO, from.ptr, 0, 0, "cannot keep this file: %s", strerror(errno));
		}
		ret = -1;
	}
	buf_release(&from);
	buf_release(&to);
	return ret;
}

/* A file this build wrote that is a folder of another: two outputs that
 * clash. An empty staging dir refuses the second, but in a claimed spare
 * that this build changed against its list (o->unlisted), a file taken for
 * there by its list may not be. Returns 0, or -1 with a diagnostic. */
static int find_clash(struct output *o, struct diags *d)
{
	struct buf folder = BUF_INIT;
	const char *slash;
	size_t i;
	int ret = 0;
	for (i = 0; !ret && i < o->n_written; i++) {
		const char *path = o->written[i].path;
		for (slash = strchr(path, '/'); !ret && slash; slash = strchr(slash + 1, '/')) {
			buf_reset(&folder);
			buf_add(&folder, path, (size_t)(slash - path));
			if (hash_get(&o->written_index, folder.ptr)) {
				buf_reset(&folder);
				buf_addf(&folder, "%s/%s", o->staging, path);
				diag(d, RULE_IO, folder.ptr, 0, 0, "cannot write file: %s",
				     strerror(ENOTDIR));
				ret = -1;
			}
		}
	}
	buf_release(&folder);
	return ret;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct output_entry *)a)->path, ((const struct output_entry *)b)->path);
}

/* Writes the manifest, "<hash> <size> <mtime_ns> <ino> <path>" a line (hash
 * in 16 hex digits), formatted by hand: with printf, writing one of 8,000
 * outputs took 8 ms, not 5. */
static int write_manifest(struct output *o, struct diags *d)
{
	static const char hex[] = "0123456789abcdef";
	struct buf text = BUF_INIT, path = BUF_INIT;
	struct stat st;
	size_t i;
	int ret = 0, k;
	/* Sorted: threads finish in any order, the manifest must not. */
	qsort(o->written, o->n_written, sizeof(*o->written), entry_cmp);
	buf_adds(&text, "carepress-manifest 2\n");
	for (i = 0; i < o->n_written; i++) {
		const struct output_entry *e = &o->written[i];
		char h[17];
		for (k = 0; k < 16; k++)
			h[k] = hex[(e->hash >> (60 - 4 * k)) & 15];
		h[16] = ' ';
		buf_add(&text, h, sizeof(h));
		add_decimal(&text, e->size, 0);
		add_decimal(&text, (uint64_t)e->mtime_ns, 1);
		add_decimal(&text, e->ino, 0);
		buf_adds(&text, e->path);
		buf_addc(&text, '\n');
	}
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
	hash_release(&o->found_index);
	hash_release(&o->spare_index);
	paths_free(o->spare_paths, o->n_spare);
	paths_free(o->found, o->n_found);
	pthread_mutex_destroy(&o->lock);
	free(o->dir);
	free(o->staging);
	free(o->spare);
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

/* Makes the tree at o->staging the spare: list (every path it holds) is
 * written in it, then it takes the spare's name, so that a spare always has
 * its list. A tree that cannot be listed (listed is 0) or kept is removed. */
static void keep_spare(struct output *o, const struct buf *list, int listed)
{
	struct buf path = BUF_INIT;
	struct stat st;
	buf_addf(&path, "%s/" SPARE_LIST, o->staging);
	if (!listed || write_file(path.ptr, list->ptr, list->len, &st) ||
	    rename(o->staging, o->spare))
		remove_tree(o->staging);
	buf_release(&path);
}

int output_commit(struct output *o, struct diags *d)
{
	struct walk w = { NULL, BUF_INIT, BUF_INIT, 0 };
	int ret = -1;
	/* The manifest first: the walk of the output dir comes as late as it
	 * can, just before the swap. */
	if ((o->unlisted && find_clash(o, d)) || write_manifest(o, d) ||
	    (o->dir_exists && (walk_output(o, &w, d) || prune_spare(o, d) || carry_over(o, d))))
		goto fail;
	if (o->dir_exists && swap_dirs(o)) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot replace output directory: %s", strerror(errno));
		goto fail;
	} else if (!o->dir_exists && rename(o->staging, o->dir)) {
		diag(d, RULE_IO, o->dir, 0, 0, "cannot create output directory: %s", strerror(errno));
		goto fail;
	}
	/* The staging path now holds the old output, as the walk found it (or
	 * nothing). */
	if (o->dir_exists)
		keep_spare(o, &w.list, w.listed);
	output_release(o);
	ret = 0;
	goto out;
fail:
	/* What the walk found is carried over in part: no list says what. */
	o->unlisted = 1;
	output_abort(o);
out:
	buf_release(&w.rel);
	buf_release(&w.list);
	return ret;
}

void output_abort(struct output *o)
{
	struct buf list = BUF_INIT;
	size_t i;
	/* A claimed spare is given back, with what this build wrote: the next
	 * build, after the fix, has no more to do than this one had. */
	int listed = o->from_spare && !o->unlisted;
	if (o->staging) {
		buf_adds(&list, SPARE_LIST_HEADER);
		for (i = 0; listed && i < o->n_spare; i++)
			listed = !list_add(&list, o->spare_paths[i].kind, o->spare_paths[i].ino,
					   o->spare_paths[i].path);
		for (i = 0; listed && i < o->n_written; i++)
			listed = !list_add(&list, PATH_FILE, o->written[i].ino, o->written[i].path);
		keep_spare(o, &list, listed);
	}
	buf_release(&list);
	output_release(o);
}
