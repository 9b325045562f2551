/* serve.h - `carepress serve`: build the site into a private temporary
 * directory, serve it over HTTP on the loopback interface, rebuild when
 * content/ or templates/ change and make every open page reload itself
 * (or show the build's errors). Unlike the other stages this one prints:
 * it runs until it is stopped, so each rebuild reports its own diagnostics
 * (in the same GCC form as main.c) as it happens. Never touches public/. */
#ifndef CAREPRESS_SERVE_H
#define CAREPRESS_SERVE_H

#include "build.h"

/* The port tried first when none is given, and how many after it. */
#define SERVE_DEFAULT_PORT 1313
#define SERVE_PORT_TRIES 10

struct serve_options {
	struct build_options build; /* out_dir is ignored: the output is private */
	const char *bind;  /* address or host name to listen on; NULL: 127.0.0.1 */
	int port;          /* 0: any free port; -1: SERVE_DEFAULT_PORT or the next free one */
	int open_browser;  /* run xdg-open on the URL once the server is up */
	int quiet;         /* print only diagnostics, not the rebuild summaries */
};

/* Runs the preview server until SIGINT, SIGTERM or SIGHUP, then stops every
 * thread and removes the temporary directory. Content errors do not stop
 * it: they are printed and shown in the browser until fixed. Returns 0
 * after a clean stop, 1 if the server could not start (the reason printed). */
int serve_run(const struct serve_options *o);

#endif
