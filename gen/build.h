/* build.h - the pipeline: load -> front matter -> site graph -> Markdown +
 * templates (in parallel) -> checks -> atomic output. This is the only
 * module that knows the order of the stages; main.c only parses options. */
#ifndef CAREPRESS_BUILD_H
#define CAREPRESS_BUILD_H

#include <stddef.h>
#include "buf.h"
#include "diag.h"

struct build_options {
	const char *source_dir;    /* "content" */
	const char *templates_dir; /* "templates" */
	const char *out_dir;       /* "public" */
	int jobs;                  /* worker threads, >= 1 */
	int strict;                /* unknown template variables are errors */
	int release;               /* refuse translations not reviewed for their source */
	struct buf *report_json;   /* if not NULL, gets the reviewer report as JSON */
};

struct build_stats {
	size_t pages;         /* pages published, all languages */
	size_t languages;
	size_t files;         /* files in the output */
	size_t files_changed; /* of which new or changed */
	int unchanged;        /* no input changed: the output was left as it was */
	char **source_hashes; /* "HASH PATH" of every source page, for check; free each and the array */
	size_t n_source_hashes;
};

/* Builds the site described by o. On success the output dir holds the new
 * site; on any error it is exactly as it was. Returns 0, or -1 with
 * diagnostics in d (warnings may be added either way). */
int build_site(const struct build_options *o, struct build_stats *st, struct diags *d);
/* Frees what build_site left in st. */
void build_stats_release(struct build_stats *st);

#endif
