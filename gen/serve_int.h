/* serve_int.h - the state the preview server's two halves share: serve.c
 * (start, stop, builds) writes it, serve_request.c (answering requests, on
 * libmicrohttpd's threads) reads it. Not a public interface. */
#ifndef CAREPRESS_SERVE_INT_H
#define CAREPRESS_SERVE_INT_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <microhttpd.h>
#include "build.h"
#include "serve.h"
#include "watch.h"

struct server {
	const struct serve_options *opt;
	struct build_options build;  /* out_dir is out_dir below */
	char *tmp_dir;               /* from mkdtemp; removed at exit */
	char *out_dir;               /* tmp_dir/site, replaced by every build */
	struct watch watch;
	int watching;
	int stop_fd;                 /* eventfd: tells the rebuild thread to stop */
	int fatal_fd;                /* eventfd: the rebuild thread cannot go on */
	struct MHD_Daemon *daemon;
	pthread_t builder;
	int builder_started;
	pthread_mutex_t lock;
	pthread_cond_t changed;      /* broadcast after every build and at stop */
	/* Under lock: */
	unsigned long long gen;      /* the build the output and events belong to */
	int ok;                      /* the last build succeeded */
	int have_site;               /* some build succeeded: out_dir exists */
	int stopping;
	char *errors_json;           /* the failed build's diagnostics, for the events */
	char *errors_html;           /* the same as an HTML list, for the fallback page */
	char *root;                  /* the site's path prefix without slashes: "" or "guide" */
	char **langs;                /* language tags in site.yaml order */
	size_t n_langs;
};

/* libmicrohttpd's access handler; cls is the struct server. Answers GET and
 * HEAD only: files of out_dir, `/` by language, the reload script and the
 * event stream (see serve_request.c). */
enum MHD_Result serve_request(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls);
/* libmicrohttpd's unescape callback: leaves the path encoded, for
 * serve_decode_path. */
size_t serve_keep_escaped(void *cls, struct MHD_Connection *c, char *uri);

#endif
