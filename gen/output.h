/* output.h - writing the site: every file goes into a staging directory
 * beside the output directory; only a build without errors replaces the
 * output, in one atomic directory swap (renameat2 RENAME_EXCHANGE). So the
 * output is always the old complete site or the new one, never a mix.
 * A file whose bytes did not change is the old output's own file, hard-linked
 * (its mtime is kept). A manifest records what carepress wrote; files it did
 * not write are carried over untouched, never deleted or overwritten.
 *
 * The spare: after a swap the old output is not removed but kept beside the
 * output dir as .<base>.carepress-spare (a name no staging dir can take),
 * with a list of every path it holds (.carepress-spare in it). The next
 * build claims it as its staging dir (renamed to a staging name first, so a
 * build killed from then on leaves an ordinary stale staging dir, removed
 * unread by the next build) and writes only what differs: a file the spare
 * holds as the output's own (the same inode: unchanged files are hard links)
 * takes no work; a changed file is unlinked and made anew, never changed in
 * place (the output shares its inodes). At commit the spare's paths that
 * this build did not write, and that the output does not hold as its user's,
 * are removed. A failed build gives back the spare it claimed, listed with
 * what it wrote. The spare takes no disk space for unchanged files (hard
 * links). It is carepress's: nothing else should write in it. Deleting it is
 * always safe: the next build then starts from an empty staging dir. */
#ifndef CAREPRESS_OUTPUT_H
#define CAREPRESS_OUTPUT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "hash.h"

#define OUTPUT_MANIFEST ".carepress-manifest"

struct output_path;

struct output_entry {
	char *path;     /* relative to the output dir, owned */
	uint64_t hash;  /* of the bytes */
	size_t size;
	/* The file as written: a file with another inode or mtime, or one
	 * written in the manifest's own clock tick, was perhaps changed by
	 * someone else and is hashed again before it is trusted. 0: unknown
	 * (a version 1 manifest). */
	int64_t mtime_ns;
	uint64_t ino;
};

struct output {
	char *dir;          /* the output dir, as given (no trailing '/') */
	char *staging;      /* the staging dir beside it */
	int dir_exists;
	struct output_entry *old;   /* the previous manifest */
	size_t n_old;
	int64_t old_written_ns;     /* its mtime: files as old or newer are racy */
	struct hash old_index;      /* path -> struct output_entry * */
	struct output_entry *written;
	size_t n_written, cap_written;
	struct hash written_index;  /* path -> index+1 */
	size_t n_linked;            /* unchanged files carried over */
	pthread_mutex_t lock;
	char *spare;                /* the spare dir's path (see above) */
	/* The staging dir is the claimed spare; spare_paths is what it held
	 * (files and folders), which the commit removes unless this build
	 * wrote it or the output holds it as its user's. */
	int from_spare;
	struct output_path *spare_paths;
	size_t n_spare;
	struct hash spare_index;    /* path -> struct output_path * */
	/* What the commit's walk found in the output dir that carepress did
	 * not write: its user's files and empty folders. */
	struct output_path *found;
	size_t n_found, cap_found;
	struct hash found_index;    /* path -> struct output_path * */
	/* Staging may not be what the lists say: a write failed half-way, or
	 * files of the spare were removed. It is then not kept as the spare. */
	int unlisted;
};

/* Checks the output dir (a directory or absent, in a writable parent),
 * removes staging dirs that a killed build left behind, reads the old
 * manifest and makes the staging dir: the spare if there is one and an
 * output dir, else a new empty one. Returns 0, or -1 with diagnostics. */
int output_begin(struct output *o, const char *dir, struct diags *d);
/* Stages a file at relative path rel (no "..", no leading '/'). Thread-safe.
 * Returns 0, or -1 with a diagnostic. */
int output_write(struct output *o, const char *rel, const void *data, size_t len,
		 struct diags *d);
/* Stages rel as the previous build wrote it, without its bytes: for an
 * output whose inputs did not change (the build's page cache). Returns 0,
 * or -1 without a diagnostic when the previous output has no such file or
 * it is no longer as carepress wrote it; the caller then makes it again.
 * Thread-safe. */
int output_keep(struct output *o, const char *rel);
/* A file staged a piece at a time (output_open, output_put, output_close),
 * for outputs too large to hold: the report of a large site. */
struct output_file;
/* Creates rel in staging (its folders too). Returns NULL with a diagnostic
 * if it cannot. Thread-safe, as are the two below for different files. */
struct output_file *output_open(struct output *o, const char *rel, struct diags *d);
/* Appends len bytes; a write error is kept and reported by output_close. */
void output_put(struct output_file *f, const void *data, size_t len);
/* Finishes f and frees it; the file then counts as output_write's do (an
 * unchanged one is the old file, linked). Returns 0, or -1 with a
 * diagnostic (the file is then not part of the output). */
int output_close(struct output_file *f, struct diags *d);
/* 1 if rel has been staged. Thread-safe. */
int output_has(struct output *o, const char *rel);
/* Removes from a claimed spare what this build did not write, carries over
 * files and empty folders carepress did not write, writes the manifest,
 * swaps the staging dir in and keeps the old output as the spare. Returns 0,
 * or -1 with diagnostics (the old output is then untouched). Releases o
 * either way. */
int output_commit(struct output *o, struct diags *d);
/* Gives back a claimed spare, with what this build wrote, or else removes
 * the staging dir; releases o. The output dir is untouched. Every file
 * output_open made must be closed first. */
void output_abort(struct output *o);

/* The files carepress wrote in dir, from its manifest (any version), in
 * *entries (the caller frees with output_entries_free). Returns 0, or -1
 * if dir has no readable manifest. */
int output_read_manifest(const char *dir, struct output_entry **entries, size_t *n);
void output_entries_free(struct output_entry *entries, size_t n);

/* 1 if every file in dir's manifest is there as carepress wrote it (no one
 * removed or changed an output), 0 if not or there is no manifest. A file
 * is trusted by its inode, mtime and size, or else by its bytes' hash. */
int output_intact(const char *dir);

/* Removes the staging dirs that killed builds left beside dir (not the
 * spare). */
void output_remove_stale(const char *dir);

/* Removes dir and everything below it (not following symlinks). 0 or -1. */
int remove_tree(const char *dir);

#endif
