/* watch.h - notices changes to the files under a few directories (inotify,
 * every subdirectory, new ones included) and reports them in settled
 * batches, so a burst of saves becomes one rebuild. It never builds and
 * never prints. Linux only. */
#ifndef CAREPRESS_WATCH_H
#define CAREPRESS_WATCH_H

#include <stddef.h>

struct watch_dir;

struct watch {
	int fd;                   /* the inotify instance */
	char **roots;             /* the directories given to watch_init, owned */
	size_t n_roots;
	struct watch_dir *dirs;   /* watch descriptor -> directory path */
	size_t n_dirs, cap_dirs;
	int rescan;               /* watches may be stale: redo them after the batch */
	size_t missed;            /* subdirectories that could not be watched */
	char *changed;            /* one path that changed in the last batch, owned */
};

/* Watches each of the n roots and every directory below them (hidden ones
 * and symbolic links excepted). Returns 0, or -1 with errno set and the
 * failing root in *failed (w is then released). */
int watch_init(struct watch *w, const char *const *roots, size_t n, const char **failed);
/* Waits for a batch of changes: it ends when no event has come for quiet_ms,
 * or max_ms after its first event, whichever is sooner. Editor scratch files
 * (hidden, "~", "#...#", ".swp") do not count. Returns 1 for a batch, 0 when
 * stop_fd became readable (it is not read), -1 with errno on failure. */
int watch_wait(struct watch *w, int stop_fd, int quiet_ms, int max_ms);
/* The file that changed last in the last batch ("content/es/urgent-care.md"), or
 * NULL if only directories changed; valid until the next watch_wait. */
const char *watch_changed(const struct watch *w);
/* Removes every watch and frees w. */
void watch_release(struct watch *w);

#endif
