/* cache.c - input stamps and the no-op check. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cache.h"
#include "hash.h"
#include "util.h"

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

void stamps_init(struct stamps *s, uint64_t options)
{
	struct timespec now;
	memset(s, 0, sizeof(*s));
	clock_gettime(CLOCK_REALTIME, &now);
	s->started_ns = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
	s->options = options;
	pthread_mutex_init(&s->lock, NULL);
}

void stamps_release(struct stamps *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	pthread_mutex_destroy(&s->lock);
	memset(s, 0, sizeof(*s));
}

void stamps_add(struct stamps *s, const char *path, int64_t mtime, int64_t size, uint64_t ino,
		uint64_t hash)
{
	struct stamp *st;
	pthread_mutex_lock(&s->lock);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, st_mult(s->cap, sizeof(*s->v)));
	}
	st = &s->v[s->n++];
	st->path = xstrdup(path);
	st->mtime_ns = mtime;
	st->size = size;
	st->ino = ino;
	st->hash = hash;
	pthread_mutex_unlock(&s->lock);
}

/* Stats and hashes path through one descriptor. */
static int stamp_of(const char *path, struct stamp *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	struct buf data = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&data, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		buf_release(&data);
		return -1;
	}
	out->mtime_ns = mtime_ns(&st);
	out->size = (int64_t)st.st_size;
	out->ino = (uint64_t)st.st_ino;
	out->hash = hash_bytes(data.ptr, data.len);
	buf_release(&data);
	return 0;
}

int stamps_add_file(struct stamps *s, const char *path)
{
	struct stamp st;
	if (stamp_of(path, &st))
		return -1;
	stamps_add(s, path, st.mtime_ns, st.size, st.ino, st.hash);
	return 0;
}

static int stamp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct stamp *)a)->path, ((const struct stamp *)b)->path);
}

void stamps_format(struct stamps *s, struct buf *out)
{
	size_t i;
	qsort(s->v, s->n, sizeof(*s->v), stamp_cmp);
	buf_addf(out, "carepress-cache 1 %016" PRIx64 " %" PRId64 "\n", s->options, s->started_ns);
	for (i = 0; i < s->n; i++)
		buf_addf(out, "%" PRId64 " %" PRId64 " %" PRIu64 " %016" PRIx64 " %s\n",
			 s->v[i].mtime_ns, s->v[i].size, s->v[i].ino, s->v[i].hash, s->v[i].path);
}

/* 1 if the file at path is still what st says. */
static int still_same(const struct stamp *st, int64_t started)
{
	struct stat now;
	struct stamp again;
	if (stat(st->path, &now))
		return 0;
	if (mtime_ns(&now) == st->mtime_ns && (int64_t)now.st_size == st->size &&
	    (uint64_t)now.st_ino == st->ino && st->mtime_ns < started - CACHE_RACY_NS)
		return 1;
	/* The stat cannot tell: compare the bytes. */
	return !stamp_of(st->path, &again) && again.hash == st->hash && again.size == st->size;
}

/* Opens dir's cache if it was made with these options; *started is when
 * that build began. NULL if there is none. */
static FILE *open_cache(const char *dir, uint64_t options, int64_t *started)
{
	struct buf path = BUF_INIT;
	char line[200];
	uint64_t opt;
	FILE *fp;
	buf_addf(&path, "%s/" CACHE_FILE, dir);
	fp = fopen(path.ptr, "r");
	buf_release(&path);
	if (fp && (!fgets(line, sizeof(line), fp) ||
		   sscanf(line, "carepress-cache 1 %" SCNx64 " %" SCNd64, &opt, started) != 2 ||
		   opt != options)) {
		fclose(fp);
		fp = NULL;
	}
	return fp;
}

/* Parses one stamp line (its path points into line); -1 if it is not one. */
static int parse_stamp(char *line, struct stamp *st)
{
	int off = 0;
	char *nl = strchr(line, '\n');
	if (!nl || sscanf(line, "%" SCNd64 " %" SCNd64 " %" SCNu64 " %" SCNx64 " %n", &st->mtime_ns,
			  &st->size, &st->ino, &st->hash, &off) != 4 || !off)
		return -1;
	*nl = '\0';
	st->path = line + off;
	return 0;
}

int cache_unchanged(const char *dir, uint64_t options, char *const *paths, size_t n)
{
	char line[4200];
	int64_t started;
	size_t i = 0;
	int same = 0;
	FILE *fp = open_cache(dir, options, &started);
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		struct stamp st;
		if (i >= n || parse_stamp(line, &st) || strcmp(st.path, paths[i]) ||
		    !still_same(&st, started))
			goto out;
		i++;
	}
	same = i == n;
out:
	fclose(fp);
	return same;
}

void cache_read(const char *dir, uint64_t options, struct cache_table *t)
{
	char line[4200];
	size_t i;
	FILE *fp;
	memset(t, 0, sizeof(*t));
	stamps_init(&t->stamps, options);
	fp = open_cache(dir, options, &t->started_ns);
	while (fp && fgets(line, sizeof(line), fp)) {
		struct stamp st;
		if (parse_stamp(line, &st)) {
			/* A damaged cache trusts nothing. */
			stamps_release(&t->stamps);
			stamps_init(&t->stamps, options);
			break;
		}
		stamps_add(&t->stamps, st.path, st.mtime_ns, st.size, st.ino, st.hash);
	}
	if (fp)
		fclose(fp);
	for (i = 0; i < t->stamps.n; i++)
		hash_put(&t->by_path, t->stamps.v[i].path, &t->stamps.v[i]);
}

const struct stamp *cache_trusted(const struct cache_table *t, const char *path,
				  const struct stat *now)
{
	const struct stamp *st = hash_get(&t->by_path, path);
	if (!st || mtime_ns(now) != st->mtime_ns || (int64_t)now->st_size != st->size ||
	    (uint64_t)now->st_ino != st->ino || st->mtime_ns >= t->started_ns - CACHE_RACY_NS)
		return NULL;
	return st;
}

void cache_table_release(struct cache_table *t)
{
	hash_release(&t->by_path);
	stamps_release(&t->stamps);
	memset(t, 0, sizeof(*t));
}
