/* serve_request.c - answering one request of the preview server, on the
 * connection's own libmicrohttpd thread: files of the private output dir
 * (opened by name, one segment at a time, never outside it), `/` by
 * language, the 404 page, the reload script and the event stream that
 * tells each page about every build. Reads the shared state under its lock;
 * writes none of it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "buf.h"
#include "serve_int.h"
#include "serve_rules.h"
#include "util.h"

/* A comment on every event stream this often, so proxies and the browser
 * keep it open, and a stream whose page is gone is noticed and ended. */
#define KEEPALIVE_S 10
/* HTML is read whole to insert the reload script; a page larger than this
 * (no built page comes near it) is served as it is. */
#define MAX_PAGE_BYTES ((off_t)64 << 20)

/* The build the output belongs to now. */
static unsigned long long current_gen(struct server *s)
{
	unsigned long long gen;
	pthread_mutex_lock(&s->lock);
	gen = s->gen;
	pthread_mutex_unlock(&s->lock);
	return gen;
}

static int is_html(const char *name)
{
	return !strncmp(serve_content_type(name), "text/html", 9);
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result ret;
	if (!r)
		return MHD_NO;
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Every response: no caching without asking (a preview changes under the
 * browser), and the type as given. */
static void add_headers(struct MHD_Response *r, const char *type)
{
	if (type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static enum MHD_Result respond_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	if (r)
		add_headers(r, "text/plain; charset=utf-8");
	return queue(c, status, r);
}

static enum MHD_Result respond_redirect(struct MHD_Connection *c, const char *location,
					int by_language)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
	if (by_language)
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Language");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return queue(c, MHD_HTTP_FOUND, r);
}

/* Reads fd to its end, at most limit bytes. 0, or -1 with errno. */
static int read_all(int fd, struct buf *b, size_t limit)
{
	for (;;) {
		ssize_t n;
		buf_grow(b, 65536);
		n = read(fd, b->ptr + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			return 0;
		b->len += (size_t)n;
		b->ptr[b->len] = '\0';
		if (b->len > limit) {
			errno = EFBIG;
			return -1;
		}
	}
}

/* Sends the open file fd (a regular file named name) with status, and
 * takes fd. An HTML page gets the reload script of build gen, so its ETag
 * names the build too. */
static enum MHD_Result serve_file(struct MHD_Connection *c, int fd, const struct stat *st,
				  const char *name, unsigned status, unsigned long long gen)
{
	const char *type = serve_content_type(name), *inm;
	int html = is_html(name) && st->st_size <= MAX_PAGE_BYTES;
	struct MHD_Response *r;
	char etag[128];
	unsigned long long ino = (unsigned long long)st->st_ino,
			   size = (unsigned long long)st->st_size,
			   mtime = (unsigned long long)st->st_mtim.tv_sec * 1000000000ULL +
				   (unsigned long long)st->st_mtim.tv_nsec;
	if (html)
		snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx-%llx\"", ino, size, mtime, gen);
	else
		snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx\"", ino, size, mtime);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (status == MHD_HTTP_OK && inm && serve_etag_matches(inm, etag)) {
		close(fd);
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
		return queue(c, MHD_HTTP_NOT_MODIFIED, r);
	}
	if (html) {
		struct buf page = BUF_INIT, out = BUF_INIT;
		size_t len;
		char *data;
		int failed = read_all(fd, &page, (size_t)MAX_PAGE_BYTES);
		close(fd);
		if (failed) {
			buf_release(&page);
			return respond_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot read the file\n");
		}
		serve_prepare_page(&out, page.ptr, page.len, gen);
		buf_release(&page);
		data = buf_detach(&out, &len);
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(data);
	} else if (!st->st_size) {
		close(fd);
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	} else {
		r = MHD_create_response_from_fd((uint64_t)st->st_size, fd);
		if (!r)
			close(fd);
	}
	if (!r)
		return MHD_NO;
	add_headers(r, type);
	if (status == MHD_HTTP_OK)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	return queue(c, status, r);
}

/* Opens rel (segments checked by decode_path) under the output dir, one
 * segment at a time with O_NOFOLLOW, so that nothing outside it is reached;
 * the dir is opened by name for every request, so a build's directory swap
 * is seen at once. A directory gives its index.html. Returns the fd with
 * *st and *name (the file's name) set, or -1 with errno: EISDIR for a
 * directory asked for without its final '/', ENOENT and the like when
 * there is nothing to serve. */
static int open_output(const char *out_dir, const char *rel, int dir_url, struct stat *st,
		       const char **name)
{
	const int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	const char *p = rel;
	int fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), next, saved;
	char seg[NAME_MAX + 1];
	if (fd < 0)
		return -1;
	*name = "index.html";
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		memcpy(seg, p, n);
		seg[n] = '\0';
		next = openat(fd, seg, flags | (slash ? O_DIRECTORY : 0));
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		*name = p;
		p += n + (slash != NULL);
	}
	if (fstat(fd, st))
		goto fail;
	if (S_ISDIR(st->st_mode)) {
		if (!dir_url && *rel) {
			errno = EISDIR;
			goto fail;
		}
		next = openat(fd, "index.html", flags);
		close(fd);
		if (next < 0)
			return -1;
		fd = next;
		*name = "index.html";
		if (fstat(fd, st))
			goto fail;
	} else if (dir_url) {
		errno = ENOTDIR;
		goto fail;
	}
	/* A FIFO would have blocked the open without O_NONBLOCK. */
	if (!S_ISREG(st->st_mode)) {
		errno = ENOENT;
		goto fail;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* The page served when the output has no such page: before the first good
 * build it lists the errors; it reloads like every page. */
static enum MHD_Result respond_fallback(struct server *s, struct MHD_Connection *c,
					unsigned status, unsigned long long gen)
{
	struct buf page = BUF_INIT, out = BUF_INIT;
	struct MHD_Response *r;
	size_t len;
	char *data;
	buf_adds(&page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
		 "<title>carepress preview</title>\n</head>\n<body>\n");
	pthread_mutex_lock(&s->lock);
	if (!s->have_site) {
		buf_adds(&page, "<h1>Nothing to preview yet</h1>\n<p>The site has not built without "
			 "errors yet. This page reloads as soon as it does.</p>\n");
		if (s->errors_html)
			buf_adds(&page, s->errors_html);
	} else {
		buf_adds(&page, "<h1>Not found</h1>\n<p>There is no page at this address, and the "
			 "site has no 404.html.</p>\n");
	}
	pthread_mutex_unlock(&s->lock);
	buf_adds(&page, "</body>\n</html>\n");
	serve_prepare_page(&out, page.ptr, page.len, gen);
	buf_release(&page);
	data = buf_detach(&out, &len);
	r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(data);
		return MHD_NO;
	}
	add_headers(r, "text/html; charset=utf-8");
	return queue(c, status, r);
}

static enum MHD_Result respond_not_found(struct server *s, struct MHD_Connection *c,
					 unsigned long long gen)
{
	struct stat st;
	const char *name;
	int fd = open_output(s->out_dir, "404.html", 0, &st, &name), have_site;
	if (fd >= 0)
		return serve_file(c, fd, &st, name, MHD_HTTP_NOT_FOUND, gen);
	pthread_mutex_lock(&s->lock);
	have_site = s->have_site;
	pthread_mutex_unlock(&s->lock);
	return respond_fallback(s, c, have_site ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE,
				gen);
}

/* --- live reload ------------------------------------------------------------ */

static const char reload_js[] =
	"/* carepress live reload: served by `carepress serve` only, never written to disk. */\n"
	"(function () {\n"
	"  \"use strict\";\n"
	"  var script = document.currentScript;\n"
	"  var build = script ? script.getAttribute(\"data-build\") || \"\" : \"\";\n"
	"  var panel = null;\n"
	"  function hide() {\n"
	"    if (panel) {\n"
	"      panel.remove();\n"
	"      panel = null;\n"
	"    }\n"
	"  }\n"
	"  function el(tag, css, text) {\n"
	"    var e = document.createElement(tag);\n"
	"    if (css) e.style.cssText = css;\n"
	"    if (text) e.textContent = text;\n"
	"    return e;\n"
	"  }\n"
	"  function count(n, what) {\n"
	"    return n + \" \" + what + (n === 1 ? \"\" : \"s\");\n"
	"  }\n"
	"  /* Every text goes in with textContent: file names and messages may hold '<'. */\n"
	"  function show(report) {\n"
	"    var list = report.diagnostics || [], ul, close;\n"
	"    hide();\n"
	"    panel = el(\"section\", \"position:fixed;left:0;right:0;bottom:0;z-index:2147483647;\" +\n"
	"      \"max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#fff;\" +\n"
	"      \"color:#1a1a1a;border-top:.4rem solid #b00020;\" +\n"
	"      \"box-shadow:0 -.25rem 1rem rgba(0,0,0,.35);\" +\n"
	"      \"font:1rem/1.45 system-ui,sans-serif;text-align:left\");\n"
	"    panel.id = \"carepress-errors\";\n"
	"    panel.setAttribute(\"role\", \"alert\");\n"
	"    panel.setAttribute(\"aria-labelledby\", \"carepress-errors-title\");\n"
	"    panel.lang = \"en\";\n"
	"    panel.dir = \"ltr\";\n"
	"    var title = el(\"h2\", \"margin:0 0 .5rem;font-size:1.15rem;color:#b00020\",\n"
	"      \"The site did not build: \" + count(report.errors, \"error\") +\n"
	"      (report.warnings ? \", \" + count(report.warnings, \"warning\") : \"\") +\n"
	"      \". This page may be out of date.\");\n"
	"    title.id = \"carepress-errors-title\";\n"
	"    panel.appendChild(title);\n"
	"    ul = el(\"ul\", \"margin:0 0 .75rem;padding:0;list-style:none\");\n"
	"    list.forEach(function (d) {\n"
	"      var li = el(\"li\", \"margin:.4rem 0;overflow-wrap:anywhere\");\n"
	"      li.appendChild(el(\"code\", \"font-weight:bold\", d.location));\n"
	"      li.appendChild(document.createTextNode(\": \" + d.severity + \": \" + d.message +\n"
	"        \" [\" + d.rule + \"]\"));\n"
	"      if (d.note) li.appendChild(el(\"div\", \"padding-left:1.5rem\", \"note: \" + d.note));\n"
	"      ul.appendChild(li);\n"
	"    });\n"
	"    panel.appendChild(ul);\n"
	"    close = el(\"button\", \"font:inherit;padding:.25rem .75rem\",\n"
	"      \"Hide until the next build\");\n"
	"    close.type = \"button\";\n"
	"    close.addEventListener(\"click\", hide);\n"
	"    panel.appendChild(close);\n"
	"    document.body.appendChild(panel);\n"
	"  }\n"
	"  if (!window.EventSource) return;\n"
	"  var events = new EventSource(\"" SERVE_EVENTS_PATH "\" +\n"
	"    (build ? \"?since=\" + encodeURIComponent(build) : \"\"));\n"
	"  events.addEventListener(\"reload\", function () {\n"
	"    hide();\n"
	"    events.close();\n"
	"    location.reload();\n"
	"  });\n"
	"  events.addEventListener(\"errors\", function (e) {\n"
	"    try {\n"
	"      show(JSON.parse(e.data));\n"
	"    } catch (err) {\n"
	"      hide();\n"
	"    }\n"
	"  });\n"
	"})();\n";

/* One open event stream. */
struct sse {
	struct server *s;
	int has_since;
	unsigned long long since;  /* the build of the page that opened it */
	unsigned long long seen;   /* the last build it was told about */
	int started;
	struct buf out;            /* bytes not yet handed to libmicrohttpd */
	size_t off;
};

/* Appends the event that tells a page about the current build. Under lock. */
static void sse_event(struct sse *e)
{
	struct server *s = e->s;
	if (s->ok)
		buf_addf(&e->out, "id: %llu\nevent: reload\ndata: %llu\n\n", s->gen, s->gen);
	else
		buf_addf(&e->out, "id: %llu\nevent: errors\ndata: %s\n\n", s->gen,
			 s->errors_json ? s->errors_json : "{}");
	e->seen = s->gen;
}

/* Fills e->out with what to send next, waiting for a build if there is
 * nothing yet. Returns 0, or -1 when the server stops. */
static int sse_next(struct sse *e)
{
	struct server *s = e->s;
	struct timespec deadline;
	int ret = 0;
	pthread_mutex_lock(&s->lock);
	if (s->stopping) {
		ret = -1;
	} else if (!e->started) {
		/* A page that came from an older build (a rebuild finished
		 * while it loaded, or the server restarted) reloads at once;
		 * one loaded while the build is broken shows the errors. */
		e->started = 1;
		buf_adds(&e->out, "retry: 1000\n: carepress live reload\n\n");
		if (!s->ok || (e->has_since && e->since != s->gen))
			sse_event(e);
		e->seen = s->gen;
	} else {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += KEEPALIVE_S;
		while (!s->stopping && e->seen == s->gen)
			if (pthread_cond_timedwait(&s->changed, &s->lock, &deadline) == ETIMEDOUT)
				break;
		if (s->stopping)
			ret = -1;
		else if (e->seen == s->gen)
			buf_adds(&e->out, ": keepalive\n\n");
		else
			sse_event(e);
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* libmicrohttpd's content reader: runs on the connection's own thread
 * (thread per connection), so waiting here blocks no other request. */
static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *e = cls;
	size_t n;
	(void)pos;
	if (e->off == e->out.len) {
		buf_reset(&e->out);
		e->off = 0;
		if (sse_next(e))
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	n = e->out.len - e->off;
	if (n > max)
		n = max;
	memcpy(buf, e->out.ptr + e->off, n);
	e->off += n;
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct sse *e = cls;
	buf_release(&e->out);
	free(e);
}

static enum MHD_Result serve_events(struct server *s, struct MHD_Connection *c, int head)
{
	struct MHD_Response *r;
	if (head) {
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	} else {
		struct sse *e = xcalloc(1, sizeof(*e));
		const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
		char *end;
		e->s = s;
		buf_init(&e->out, 0);
		if (since && *since >= '0' && *since <= '9') {
			e->since = strtoull(since, &end, 10);
			e->has_since = !*end;
		}
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, e, sse_free);
		if (!r) {
			sse_free(e);
			return MHD_NO;
		}
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return queue(c, MHD_HTTP_OK, r);
}

static enum MHD_Result serve_script(struct MHD_Connection *c)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		sizeof(reload_js) - 1, (void *)reload_js, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	add_headers(r, "text/javascript; charset=utf-8");
	return queue(c, MHD_HTTP_OK, r);
}

/* --- the request handler ------------------------------------------------------ */

/* `/` (and the site root) go to the reader's language: Accept-Language
 * against site.yaml's languages, else the first. */
static enum MHD_Result redirect_to_language(struct server *s, struct MHD_Connection *c,
					    unsigned long long gen)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	struct buf location = BUF_INIT;
	enum MHD_Result ret;
	pthread_mutex_lock(&s->lock);
	if (s->n_langs) {
		buf_addc(&location, '/');
		if (*s->root) {
			serve_add_url_path(&location, s->root);
			buf_addc(&location, '/');
		}
		serve_add_url_path(&location, s->langs[serve_pick_language(accept, s->langs, s->n_langs)]);
		buf_addc(&location, '/');
	}
	pthread_mutex_unlock(&s->lock);
	if (location.len)
		ret = respond_redirect(c, location.ptr, 1);
	else
		ret = respond_fallback(s, c, MHD_HTTP_SERVICE_UNAVAILABLE, gen);
	buf_release(&location);
	return ret;
}

static enum MHD_Result serve_path(struct server *s, struct MHD_Connection *c, const char *path,
				  int dir_url)
{
	struct buf rel = BUF_INIT;
	unsigned long long gen;
	const char *in_site = NULL, *name;
	size_t root_len;
	struct stat st;
	enum MHD_Result ret;
	int fd;
	/* The build number is read before the file is opened: a page from a
	 * newer build than it says reloads once more, never one less. */
	pthread_mutex_lock(&s->lock);
	gen = s->gen;
	root_len = s->root ? strlen(s->root) : 0;
	if (!root_len)
		in_site = path;
	else if (!strncmp(path, s->root, root_len) && (!path[root_len] || path[root_len] == '/'))
		in_site = path + root_len + (path[root_len] == '/');
	pthread_mutex_unlock(&s->lock);
	if (!*path || (in_site && !*in_site))
		return redirect_to_language(s, c, gen);
	if (!in_site)
		return respond_not_found(s, c, gen);
	fd = open_output(s->out_dir, in_site, dir_url, &st, &name);
	if (fd >= 0)
		return serve_file(c, fd, &st, name, MHD_HTTP_OK, gen);
	if (errno == EISDIR) {
		/* Relative links need the final '/'. */
		buf_addc(&rel, '/');
		serve_add_url_path(&rel, path);
		buf_addc(&rel, '/');
		ret = respond_redirect(c, rel.ptr, 0);
		buf_release(&rel);
		return ret;
	}
	return respond_not_found(s, c, gen);
}

enum MHD_Result serve_request(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	static int started;
	struct server *s = cls;
	struct buf rel = BUF_INIT;
	int head = !strcmp(method, MHD_HTTP_METHOD_HEAD), dir_url = 0;
	unsigned status;
	enum MHD_Result ret;
	(void)version;
	(void)upload;
	if (!head && strcmp(method, MHD_HTTP_METHOD_GET)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			19, (void *)"method not allowed\n", MHD_RESPMEM_PERSISTENT);
		if (r) {
			add_headers(r, "text/plain; charset=utf-8");
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		}
		return queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	}
	/* The first call has the headers only: answer once the request,
	 * body included (ignored), is all in. */
	if (!*con_cls) {
		*con_cls = &started;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, SERVE_EVENTS_PATH))
		return serve_events(s, c, head);
	if (!strcmp(url, SERVE_SCRIPT_PATH))
		return serve_script(c);
	status = serve_decode_path(url, &rel, &dir_url);
	if (status == MHD_HTTP_BAD_REQUEST)
		ret = respond_text(c, status, "bad request\n");
	else if (status)
		ret = respond_not_found(s, c, current_gen(s));
	else
		ret = serve_path(s, c, rel.ptr, dir_url);
	buf_release(&rel);
	return ret;
}

/* libmicrohttpd would decode the path itself, and a %00 would cut it short
 * without a trace; serve_decode_path decodes it instead, and refuses that.
 * The query (only ?since=, digits) is left encoded too. */
size_t serve_keep_escaped(void *cls, struct MHD_Connection *c, char *uri)
{
	(void)cls;
	(void)c;
	return strlen(uri);
}
