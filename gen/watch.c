/* watch.c - recursive inotify watches and the settling of event bursts. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>
#include "buf.h"
#include "util.h"
#include "watch.h"

/* Directory depth below a root that is watched: content and templates are
 * two levels deep; the bound stops a runaway tree (or a bind-mount loop)
 * from taking every watch the user has. */
#define WATCH_MAX_DEPTH 16

/* How often a root that disappeared is looked for again. */
#define WATCH_RETRY_MS 500

/* What makes a rebuild: anything that changes a file's bytes, name or
 * presence. IN_ATTRIB too, so that `touch` forces one. */
#define WATCH_EVENTS (IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | \
		      IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

struct watch_dir {
	int wd;
	char *path;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct watch_dir *find_dir(struct watch *w, int wd)
{
	size_t i;
	for (i = 0; i < w->n_dirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void forget_dir(struct watch *w, int wd)
{
	struct watch_dir *d = find_dir(w, wd);
	if (!d)
		return;
	free(d->path);
	*d = w->dirs[--w->n_dirs];
}

/* Files that editors write beside the one being edited: vim's .x.swp and
 * 4913, emacs' #x# and .#x, backups x~. The build never reads them. */
static int scratch_name(const char *name)
{
	size_t len = strlen(name);
	return name[0] == '.' || name[0] == '#' || (len && name[len - 1] == '~') ||
	       !strcmp(name, "4913") ||
	       (len > 4 && (!strcmp(name + len - 4, ".swp") || !strcmp(name + len - 4, ".swx")));
}

/* Watches dir and, below it, every directory that is not hidden or a
 * symbolic link. Returns -1 (errno set) only if dir itself fails. */
static int add_tree(struct watch *w, const char *dir, int depth, int follow)
{
	struct dirent *e;
	struct watch_dir *known;
	DIR *dp;
	int wd = inotify_add_watch(w->fd, dir, WATCH_EVENTS | IN_ONLYDIR |
				   (follow ? 0 : IN_DONT_FOLLOW));
	if (wd < 0)
		return -1;
	known = find_dir(w, wd);
	if (known) {
		/* The same directory again (moved, or reached twice): keep the
		 * newer name. */
		free(known->path);
		known->path = xstrdup(dir);
	} else {
		if (w->n_dirs == w->cap_dirs) {
			w->cap_dirs = w->cap_dirs ? w->cap_dirs * 2 : 16;
			w->dirs = xrealloc(w->dirs, st_mult(w->cap_dirs, sizeof(*w->dirs)));
		}
		w->dirs[w->n_dirs].wd = wd;
		w->dirs[w->n_dirs].path = xstrdup(dir);
		w->n_dirs++;
	}
	if (depth >= WATCH_MAX_DEPTH || !(dp = opendir(dir)))
		return 0;
	while ((e = readdir(dp)) != NULL) {
		struct buf sub = BUF_INIT;
		if (e->d_name[0] == '.' || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
			continue;
		buf_addf(&sub, "%s/%s", dir, e->d_name);
		/* DT_UNKNOWN: IN_ONLYDIR refuses anything but a directory. */
		if (add_tree(w, sub.ptr, depth + 1, 0) && errno != ENOTDIR && errno != ENOENT)
			w->missed++;
		buf_release(&sub);
	}
	closedir(dp);
	return 0;
}

static void drop_watches(struct watch *w)
{
	size_t i;
	for (i = 0; i < w->n_dirs; i++)
		free(w->dirs[i].path);
	w->n_dirs = 0;
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

/* (Re)creates the inotify instance and every watch. A root that fails does
 * not stop the others from being watched. */
static int add_roots(struct watch *w, const char **failed)
{
	size_t i;
	int ret = 0, saved = 0;
	drop_watches(w);
	w->missed = 0;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		*failed = w->n_roots ? w->roots[0] : "";
		return -1;
	}
	for (i = 0; i < w->n_roots; i++)
		if (add_tree(w, w->roots[i], 0, 1) && !ret) {
			saved = errno;
			*failed = w->roots[i];
			ret = -1;
		}
	errno = saved;
	return ret;
}

int watch_init(struct watch *w, const char *const *roots, size_t n, const char **failed)
{
	size_t i;
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->roots = xcalloc(n ? n : 1, sizeof(*w->roots));
	for (i = 0; i < n; i++)
		w->roots[i] = xstrdup(roots[i]);
	w->n_roots = n;
	if (add_roots(w, failed)) {
		int saved = errno;
		watch_release(w);
		errno = saved;
		return -1;
	}
	return 0;
}

static int is_root(const struct watch *w, const char *path)
{
	size_t i;
	for (i = 0; i < w->n_roots; i++)
		if (!strcmp(w->roots[i], path))
			return 1;
	return 0;
}

/* Reads the queued events. Returns 1 if any of them is a change that counts,
 * 0 if none, -1 with errno on a read error. */
static int read_events(struct watch *w)
{
	char data[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changed = 0;
	for (;;) {
		ssize_t n = read(w->fd, data, sizeof(data));
		char *p;
		if (n < 0) {
			if (errno == EAGAIN)
				return changed;
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (p = data; p < data + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			struct watch_dir *dir = find_dir(w, ev->wd);
			const char *name = ev->len ? ev->name : "";
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events were lost: something changed, and new
				 * directories may have gone unwatched. */
				w->rescan = 1;
				changed = 1;
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				forget_dir(w, ev->wd);
				continue;
			}
			if (!dir || (*name && scratch_name(name)))
				continue;
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
				/* A root replaced (a checkout, a rename): watch
				 * whatever is at its name now. */
				if (is_root(w, dir->path))
					w->rescan = 1;
				changed = 1;
				continue;
			}
			if ((ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_FROM))
				w->rescan = 1; /* the paths below it are stale */
			if (*name) {
				struct buf path = BUF_INIT;
				buf_addf(&path, "%s/%s", dir->path, name);
				if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
					if (add_tree(w, path.ptr, 1, 0) && errno != ENOENT)
						w->missed++;
				} else if (!(ev->mask & IN_ISDIR)) {
					/* The last one: after an editor's atomic
					 * save, the file's own name. */
					free(w->changed);
					w->changed = buf_detach(&path, NULL);
				}
				buf_release(&path);
			}
			changed = 1;
		}
	}
}

int watch_wait(struct watch *w, int stop_fd, int quiet_ms, int max_ms)
{
	long long first = 0, last = 0;
	int pending = 0;
	free(w->changed);
	w->changed = NULL;
	for (;;) {
		struct pollfd pfd[2];
		int timeout = w->rescan ? WATCH_RETRY_MS : -1, r;
		if (pending) {
			long long t = now_ms(), end = last + quiet_ms;
			if (end > first + max_ms)
				end = first + max_ms;
			if (t >= end)
				break;
			timeout = (int)(end - t);
		}
		pfd[0].fd = stop_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = w->fd;
		pfd[1].events = POLLIN;
		r = poll(pfd, 2, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[0].revents)
			return 0;
		if (!r && !pending) {
			/* A root was missing at the last rescan: is it back? */
			const char *failed;
			if (!add_roots(w, &failed)) {
				w->rescan = 0;
				return 1;
			}
			continue;
		}
		if (pfd[1].revents) {
			r = read_events(w);
			if (r < 0)
				return -1;
			if (r) {
				last = now_ms();
				if (!pending)
					first = last;
				pending = 1;
			}
		}
	}
	if (w->rescan) {
		const char *failed;
		w->rescan = 0;
		/* A root that is gone for now is retried after the next
		 * batch; the build reports the missing directory. */
		if (add_roots(w, &failed))
			w->rescan = 1;
	}
	return 1;
}

const char *watch_changed(const struct watch *w)
{
	return w->changed;
}

void watch_release(struct watch *w)
{
	size_t i;
	drop_watches(w);
	for (i = 0; i < w->n_roots; i++)
		free(w->roots[i]);
	free(w->roots);
	free(w->dirs);
	free(w->changed);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}
