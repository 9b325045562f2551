/* serve.c - `carepress serve` from start to stop: a private build directory,
 * the rebuild thread (woken by watch.c, the only thread that builds), the
 * HTTP daemon (libmicrohttpd, one thread per connection; requests are
 * serve_request.c's), the signals and the clean-up. Each build's outcome is
 * printed here and published to the request threads in struct server. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "escape.h"
#include "output.h"
#include "serve.h"
#include "serve_int.h"
#include "util.h"
#include "watch.h"

extern char **environ;

/* A burst of saves (an editor writes, renames, touches) settles when no event
 * has come for QUIET_MS; a stream of changes still rebuilds every
 * BATCH_MAX_MS. */
#define QUIET_MS 50
#define BATCH_MAX_MS 300
/* Idle keep-alive connections are closed after this. */
#define IDLE_TIMEOUT_S 60
/* One thread per connection and every open tab holds one for its event
 * stream: the bound keeps a runaway client from taking every thread. */
#define MAX_CONNECTIONS 256

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- the state after a build --------------------------------------------- */

static void free_langs(char **langs, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(langs[i]);
	free(langs);
}

/* Keeps the root and the languages of the site that was just built, for
 * the front door redirect. */
static void take_site_info(struct server *s)
{
	struct config cfg;
	struct diags d = { 0 };
	memset(&cfg, 0, sizeof(cfg));
	if (!config_load(&cfg, s->build.source_dir, &d)) {
		const char *r = cfg.root ? cfg.root : "";
		size_t len, i;
		char *root, **langs = xcalloc(cfg.n_langs + 1, sizeof(*langs)), **old_langs;
		size_t old_n;
		while (*r == '/')
			r++;
		len = strlen(r);
		while (len && r[len - 1] == '/')
			len--;
		root = xstrndup(r, len);
		for (i = 0; i < cfg.n_langs; i++)
			langs[i] = xstrdup(cfg.langs[i].tag);
		pthread_mutex_lock(&s->lock);
		old_langs = s->langs;
		old_n = s->n_langs;
		free(s->root);
		s->root = root;
		s->langs = langs;
		s->n_langs = cfg.n_langs;
		pthread_mutex_unlock(&s->lock);
		free_langs(old_langs, old_n);
	}
	config_release(&cfg);
	diags_release(&d);
}

/* A JSON string; '<', '>' and '&' escaped too, so that the text is inert
 * wherever it ends up. */
static void json_string(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
			buf_addf(b, "\\u%04x", c);
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

/* "file:line:col" as diags_print writes it. */
static void diag_location(struct buf *b, const struct diag *g)
{
	if (g->file && g->line && g->col)
		buf_addf(b, "%s:%d:%d", g->file, g->line, g->col);
	else if (g->file && g->line)
		buf_addf(b, "%s:%d", g->file, g->line);
	else
		buf_adds(b, g->file ? g->file : "carepress");
}

/* The diagnostics of a failed build as the JSON of the "errors" event and
 * as the HTML list of the fallback page. */
static void describe_diags(const struct diags *d, struct buf *json, struct buf *html)
{
	static const char *const sev_name[] = { "note", "warning", "error" };
	struct buf loc = BUF_INIT;
	size_t i;
	buf_addf(json, "{\"errors\":%d,\"warnings\":%d,\"diagnostics\":[", d->errors, d->warnings);
	buf_adds(html, "<ul class=\"carepress-diagnostics\">\n");
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		buf_reset(&loc);
		diag_location(&loc, g);
		buf_adds(json, i ? ",{\"location\":" : "{\"location\":");
		json_string(json, loc.ptr);
		buf_adds(json, ",\"file\":");
		json_string(json, g->file);
		buf_addf(json, ",\"line\":%d,\"col\":%d,\"severity\":\"%s\",\"message\":", g->line,
			 g->col, sev_name[g->severity]);
		json_string(json, g->message);
		buf_adds(json, ",\"rule\":");
		json_string(json, rule_name[g->rule]);
		buf_adds(json, ",\"note\":");
		json_string(json, g->note);
		buf_addc(json, '}');

		buf_adds(html, "<li><code>");
		escape_html(html, loc.ptr, loc.len);
		buf_addf(html, "</code>: %s: ", sev_name[g->severity]);
		escape_html(html, g->message, strlen(g->message));
		buf_addf(html, " [%s]", rule_name[g->rule]);
		if (g->note) {
			buf_adds(html, "<br />note: ");
			escape_html(html, g->note, strlen(g->note));
		}
		buf_adds(html, "</li>\n");
	}
	buf_adds(json, "]}");
	buf_adds(html, "</ul>\n");
	buf_release(&loc);
}

/* Builds into the private output dir, prints the diagnostics and tells
 * every event stream. Runs on the main thread once, then on the rebuild
 * thread only. */
static void rebuild(struct server *s, const char *why)
{
	struct build_stats st;
	struct diags d = { 0 };
	struct buf json = BUF_INIT, html = BUF_INIT;
	double start = now_s();
	int ok;
	d.strict = s->build.strict;
	ok = !build_site(&s->build, &st, &d) && !diags_failed(&d);
	diags_sort(&d);
	diags_print(&d, stderr);
	if (!ok)
		fprintf(stderr, "carepress: %d error%s, %d warning%s; %s\n", d.errors,
			d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s",
			s->have_site ? "the preview shows the last good build with the errors"
				     : "nothing to preview until they are fixed");
	else if (!s->opt->quiet && st.unchanged)
		fprintf(stderr, "carepress: no input changed (%s)\n", why ? why : "first build");
	else if (!s->opt->quiet)
		fprintf(stderr, "carepress: %s %zu pages in %zu languages (%zu of %zu files changed) "
			"in %.2f s%s%s\n", why ? "rebuilt" : "built", st.pages, st.languages,
			st.files_changed, st.files, now_s() - start, why ? " after a change to " : "",
			why ? why : "");
	fflush(stderr);
	if (ok)
		take_site_info(s);
	else
		describe_diags(&d, &json, &html);
	pthread_mutex_lock(&s->lock);
	/* A build that found every input as it was changes nothing to
	 * reload, unless the pages show errors that are now gone. */
	if (!ok || !st.unchanged || !s->ok)
		s->gen++;
	s->ok = ok;
	s->have_site |= ok;
	free(s->errors_json);
	free(s->errors_html);
	s->errors_json = ok ? NULL : buf_detach(&json, NULL);
	s->errors_html = ok ? NULL : buf_detach(&html, NULL);
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	buf_release(&json);
	buf_release(&html);
	build_stats_release(&st);
	diags_release(&d);
}

static void *builder_main(void *arg)
{
	struct server *s = arg;
	uint64_t one = 1;
	for (;;) {
		int r = watch_wait(&s->watch, s->stop_fd, QUIET_MS, BATCH_MAX_MS);
		if (!r)
			return NULL;
		if (r < 0)
			break;
		rebuild(s, watch_changed(&s->watch) ? watch_changed(&s->watch) : "a directory");
	}
	fprintf(stderr, "carepress: cannot watch for changes any more: %s\n", strerror(errno));
	if (write(s->fatal_fd, &one, sizeof(one)) < 0)
		BUG("cannot wake the main thread");
	return NULL;
}

static void log_http(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("carepress: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* --- starting and stopping ------------------------------------------------------- */

/* Opens a listening socket on host:port; with try_next, on the first free
 * port of the SERVE_PORT_TRIES from port. Returns the socket, or -1 after
 * printing why. Sets *family, *loopback (1 if only this computer can
 * connect) and *url. */
static int listen_on(const char *host, int port, int try_next, int *family, int *loopback,
		     struct buf *url)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);
	char numeric[NI_MAXHOST];
	int fd = -1, err, tries = try_next ? SERVE_PORT_TRIES : 1, one = 1, i;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	err = getaddrinfo(host, NULL, &hints, &res);
	if (err) {
		fprintf(stderr, "carepress: cannot listen on '%s': %s\n", host, gai_strerror(err));
		return -1;
	}
	*family = res->ai_family;
	for (i = 0; i < tries; i++) {
		memcpy(&addr, res->ai_addr, res->ai_addrlen);
		if (res->ai_family == AF_INET6)
			((struct sockaddr_in6 *)(void *)&addr)->sin6_port = htons((uint16_t)(port + i));
		else
			((struct sockaddr_in *)(void *)&addr)->sin_port = htons((uint16_t)(port + i));
		fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			break;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (!bind(fd, (struct sockaddr *)&addr, res->ai_addrlen) && !listen(fd, 128))
			break;
		err = errno;
		close(fd);
		fd = -1;
		errno = err;
		if (errno != EADDRINUSE)
			break;
	}
	if (fd < 0) {
		fprintf(stderr, "carepress: cannot listen on %s port %d%s: %s\n", host, port,
			tries > 1 ? " or the next ones" : "", strerror(errno));
		if (errno == EADDRINUSE)
			fprintf(stderr, "note: choose another with --port N (0 for any free port)\n");
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	if (getsockname(fd, (struct sockaddr *)&addr, &len) ||
	    getnameinfo((struct sockaddr *)&addr, len, numeric, sizeof(numeric), NULL, 0,
			NI_NUMERICHOST)) {
		close(fd);
		fprintf(stderr, "carepress: cannot read the address of the socket\n");
		return -1;
	}
	port = ntohs(*family == AF_INET6 ? ((struct sockaddr_in6 *)(void *)&addr)->sin6_port
					  : ((struct sockaddr_in *)(void *)&addr)->sin_port);
	*loopback = !strncmp(numeric, "127.", 4) || !strcmp(numeric, "::1");
	/* The unspecified address listens everywhere but cannot be browsed to. */
	if (!strcmp(numeric, "0.0.0.0"))
		strcpy(numeric, "127.0.0.1");
	else if (!strcmp(numeric, "::"))
		strcpy(numeric, "::1");
	buf_addf(url, *family == AF_INET6 ? "http://[%s]:%d/" : "http://%s:%d/", numeric, port);
	return fd;
}

static void open_browser(const char *url, pid_t *pid)
{
	char prog[] = "xdg-open";
	char *argv[3];
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int err;
	argv[0] = prog;
	argv[1] = xstrdup(url);
	argv[2] = NULL;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	err = posix_spawnp(pid, prog, NULL, &attr, argv, environ);
	if (err) {
		*pid = 0;
		fprintf(stderr, "carepress: cannot open a browser (xdg-open: %s); open %s yourself\n",
			strerror(err), url);
	}
	posix_spawnattr_destroy(&attr);
	free(argv[1]);
}

static void server_release(struct server *s)
{
	if (s->watching)
		watch_release(&s->watch);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	if (s->fatal_fd >= 0)
		close(s->fatal_fd);
	free(s->tmp_dir);
	free(s->out_dir);
	free(s->errors_json);
	free(s->errors_html);
	free(s->root);
	free_langs(s->langs, s->n_langs);
	pthread_cond_destroy(&s->changed);
	pthread_mutex_destroy(&s->lock);
}

/* Blocks the stop signals in this thread (and so in every thread it
 * starts) and returns a signalfd for them. A shell starts background jobs
 * with SIGINT ignored: take it back, so that the job can be stopped like a
 * foreground one. SIGHUP stays ignored under nohup. */
static int stop_signals(sigset_t *set, sigset_t *old_mask)
{
	struct sigaction sa, hup;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaction(SIGHUP, NULL, &hup);
	if (hup.sa_handler != SIG_IGN)
		sigaddset(set, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A client that goes away mid-response must not kill the server. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	pthread_sigmask(SIG_BLOCK, set, old_mask);
	return signalfd(-1, set, SFD_CLOEXEC);
}

int serve_run(const struct serve_options *o)
{
	struct server s;
	struct buf tmp = BUF_INIT, out = BUF_INIT, url = BUF_INIT;
	const char *tmpdir = getenv("TMPDIR"), *failed = NULL;
	const char *roots[2];
	pthread_condattr_t attr;
	sigset_t set, old_mask;
	pid_t browser = 0;
	int sfd, lfd = -1, family = AF_INET, loopback = 1, status = 1;
	uint64_t one = 1;

	setvbuf(stderr, NULL, _IOLBF, 0);
	memset(&s, 0, sizeof(s));
	s.opt = o;
	s.build = o->build;
	s.stop_fd = s.fatal_fd = -1;
	s.gen = (unsigned long long)time(NULL) * 1000;
	pthread_mutex_init(&s.lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s.changed, &attr);
	pthread_condattr_destroy(&attr);

	buf_addf(&tmp, "%s/carepress-serve-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmp.ptr)) {
		fprintf(stderr, "carepress: cannot create a temporary directory in '%s': %s\n",
			tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
		buf_release(&tmp);
		server_release(&s);
		return 1;
	}
	s.tmp_dir = buf_detach(&tmp, NULL);
	buf_addf(&out, "%s/site", s.tmp_dir);
	s.out_dir = buf_detach(&out, NULL);
	s.build.out_dir = s.out_dir;

	sfd = stop_signals(&set, &old_mask);
	s.stop_fd = eventfd(0, EFD_CLOEXEC);
	s.fatal_fd = eventfd(0, EFD_CLOEXEC);
	if (sfd < 0 || s.stop_fd < 0 || s.fatal_fd < 0) {
		fprintf(stderr, "carepress: cannot set up the server: %s\n", strerror(errno));
		goto out;
	}
	/* Watch before the first build, so that no change is missed. */
	roots[0] = s.build.source_dir;
	roots[1] = s.build.templates_dir;
	if (watch_init(&s.watch, roots, 2, &failed)) {
		fprintf(stderr, "carepress: cannot watch '%s' for changes: %s\n", failed,
			strerror(errno));
		if (errno == ENOSPC)
			fprintf(stderr, "note: raise fs.inotify.max_user_watches\n");
		goto out;
	}
	s.watching = 1;
	if (s.watch.missed)
		fprintf(stderr, "carepress: warning: %zu directories are not watched: changes there "
			"need a restart\n", s.watch.missed);
	lfd = listen_on(o->bind ? o->bind : "127.0.0.1", o->port < 0 ? SERVE_DEFAULT_PORT : o->port,
			o->port < 0, &family, &loopback, &url);
	if (lfd < 0)
		goto out;
	rebuild(&s, NULL);
	s.daemon = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
			MHD_USE_ITC | MHD_USE_ERROR_LOG | (family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, serve_request, &s,
		MHD_OPTION_EXTERNAL_LOGGER, log_http, NULL,
		MHD_OPTION_LISTEN_SOCKET, lfd,
		MHD_OPTION_UNESCAPE_CALLBACK, serve_keep_escaped, NULL,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
		MHD_OPTION_END);
	if (!s.daemon) {
		fprintf(stderr, "carepress: cannot start the HTTP server\n");
		goto out;
	}
	if (pthread_create(&s.builder, NULL, builder_main, &s)) {
		fprintf(stderr, "carepress: cannot start the rebuild thread\n");
		goto out;
	}
	s.builder_started = 1;
	printf("carepress: serving %s (press Ctrl-C to stop)\n", url.ptr);
	fflush(stdout);
	if (!loopback)
		fprintf(stderr, "carepress: warning: listening on '%s': other computers may see the "
			"preview\n", o->bind);
	if (o->open_browser)
		open_browser(url.ptr, &browser);

	for (;;) {
		struct pollfd pfd[2] = { { sfd, POLLIN, 0 }, { s.fatal_fd, POLLIN, 0 } };
		struct signalfd_siginfo si;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		if (pfd[0].revents && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			status = 0;
			break;
		}
	}
	/* A second Ctrl-C while stopping ends the process at once. */
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (!o->quiet)
		fprintf(stderr, "carepress: stopping\n");
out:
	pthread_mutex_lock(&s.lock);
	s.stopping = 1;
	pthread_cond_broadcast(&s.changed);
	pthread_mutex_unlock(&s.lock);
	if (s.builder_started) {
		if (write(s.stop_fd, &one, sizeof(one)) < 0)
			BUG("cannot wake the rebuild thread");
		pthread_join(s.builder, NULL);
	}
	/* Before the daemon stops, which waits for every connection: if that
	 * hangs and a second Ctrl-C ends the process, nothing is left behind.
	 * A response under way keeps its open file. */
	if (s.tmp_dir && remove_tree(s.tmp_dir) && errno != ENOENT)
		fprintf(stderr, "carepress: cannot remove '%s': %s\n", s.tmp_dir, strerror(errno));
	/* The daemon owns the listening socket once it has started. */
	if (s.daemon)
		MHD_stop_daemon(s.daemon);
	else if (lfd >= 0)
		close(lfd);
	if (browser > 0)
		waitpid(browser, NULL, WNOHANG);
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	server_release(&s);
	buf_release(&url);
	return status;
}
