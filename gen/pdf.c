/* pdf.c - WeasyPrint over the large-print pages and brochures of a built
 * output dir, --jobs processes at a time, only where an input changed.
 * Never prints and never exits: every problem is a diagnostic. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "buf.h"
#include "config.h"
#include "escape.h"
#include "hash.h"
#include "output.h"
#include "pdf.h"
#include "util.h"

extern char **environ;

#define STATE_HEADER "carepress-pdf 1\n"
#define TMP_TAG ".carepress-pdf-"

/* The options every PDF is made with. They are part of each PDF's hash, so
 * changing them here remakes every PDF. */
static const char *const weasy_options[] = { "--pdf-variant", "pdf/ua-1" };

/* Bytes of WeasyPrint's stderr read per run: a crash prints a Python
 * traceback, and only its last line is quoted. */
#define MAX_STDERR ((size_t)256 << 10)
/* WeasyPrint messages reported per PDF: a broken stylesheet warns once per
 * declaration, and the first few say what is wrong. */
#define MAX_MESSAGES 20
/* Lines of the manifest and the state file: paths are far shorter. */
#define MAX_LINE 4200

/* WeasyPrint 57 says this on every PDF/UA run; it is true of every PDF, so
 * it is not repeated as a diagnostic per file. */
static const char ua_notice[] = "WARNING: PDF/UA support is experimental";

struct pdf_job {
	char *html;   /* input, relative to the output dir: "en/x/print/index.html" */
	char *pdf;    /* output, relative to the output dir: "en/x/x.pdf" */
	uint64_t key; /* hash of everything the PDF is made from */
	int stale;    /* the PDF must be (re)made */
	int ok;       /* the PDF is current (made now or before) */
	pid_t pid;    /* its running WeasyPrint, or 0 */
};

struct state_entry {
	char *pdf;
	uint64_t key;
};

struct pdf_run {
	const struct pdf_options *opt;
	struct diags *d;
	struct config cfg;
	const char *origin;         /* base_url without root: "https://example.org" */
	size_t origin_len;
	char *out_abs;              /* realpath of the output dir */
	char *tmp;                  /* temp dir beside the output dir, or NULL */
	struct pdf_job *jobs;
	size_t n_jobs, cap_jobs;
	struct state_entry *state;  /* the previous .carepress-pdf */
	size_t n_state, cap_state;
	struct hash state_index;    /* pdf path -> struct state_entry * */
	int cannot_run;             /* WeasyPrint could not be started: try no more */
	int failed;                 /* an error was reported */
};

/* --- small helpers --- */

/* Reads the whole file at path into out (replacing its contents), up to
 * limit bytes. Returns 0, or -1 with errno set. */
static int read_all(const char *path, struct buf *out, size_t limit)
{
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");
	buf_reset(out);
	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && out->len < limit)
		buf_add(out, chunk, n);
	if (ferror(fp)) {
		int e = errno;
		fclose(fp);
		errno = e;
		return -1;
	}
	fclose(fp);
	return 0;
}

static int write_all(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int ret = 0;
	if (!fp)
		return -1;
	if (fwrite(data, 1, len, fp) != len)
		ret = -1;
	if (fclose(fp))
		ret = -1;
	return ret;
}

/* Appends path percent-encoded for a file: URL. */
static void add_url_path(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || strchr("-._~/", c)) {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
	}
}

/* Appends the five entities escape_html writes, decoded (for file paths
 * taken from attribute values). */
static void add_unescaped(struct buf *out, const char *s, size_t len)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t i, k;
	for (i = 0; i < len; i++) {
		for (k = 0; k < ARRAY_SIZE(ents); k++) {
			size_t el = strlen(ents[k].ent);
			if (len - i >= el && !memcmp(s + i, ents[k].ent, el))
				break;
		}
		if (k < ARRAY_SIZE(ents)) {
			buf_addc(out, ents[k].c);
			i += strlen(ents[k].ent) - 1;
		} else {
			buf_addc(out, s[i]);
		}
	}
}

/* Appends s with control bytes made visible, for WeasyPrint's messages. */
static void add_visible(struct buf *out, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			buf_addf(out, "\\x%02x", c);
		else
			buf_addc(out, (char)c);
	}
}

static void split_dir(const char *dir, struct buf *parent, struct buf *base)
{
	size_t n = strlen(dir), k;
	const char *slash = NULL;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (k = n; k > 0 && !slash; k--)
		if (dir[k - 1] == '/')
			slash = dir + k - 1;
	if (!slash) {
		buf_adds(parent, ".");
		buf_add(base, dir, n);
	} else {
		buf_add(parent, dir, slash == dir ? 1 : (size_t)(slash - dir));
		buf_add(base, slash + 1, n - (size_t)(slash + 1 - dir));
	}
}

/* --- which PDFs: from the build's manifest --- */

/* The PDF made from output file path, or NULL if path is not a large-print
 * page or a brochure of a language in site.yaml (caller frees). */
static char *pdf_name(const struct config *c, const char *path)
{
	const char *slash = strchr(path, '/'), *rest, *s2;
	struct buf out = BUF_INIT;
	char *tag;
	int lang;
	if (!slash || slash == path)
		return NULL;
	tag = xstrndup(path, (size_t)(slash - path));
	lang = config_lang(c, tag);
	free(tag);
	if (lang < 0)
		return NULL;
	rest = slash + 1;
	if (!strcmp(rest, "print/index.html")) {
		buf_add(&out, path, (size_t)(rest - path));
		buf_adds(&out, "index.pdf");
	} else if (!strcmp(rest, "brochure/index.html")) {
		buf_add(&out, path, (size_t)(rest - path));
		buf_adds(&out, "brochure.pdf");
	} else if ((s2 = strchr(rest, '/')) != NULL && s2 > rest &&
		   !strcmp(s2 + 1, "print/index.html")) {
		buf_add(&out, path, (size_t)(s2 + 1 - path));
		buf_add(&out, rest, (size_t)(s2 - rest));
		buf_adds(&out, ".pdf");
	} else {
		return NULL;
	}
	return buf_detach(&out, NULL);
}

static void add_job(struct pdf_run *r, const char *html, char *pdf)
{
	struct pdf_job *j;
	if (r->n_jobs == r->cap_jobs) {
		r->cap_jobs = r->cap_jobs ? r->cap_jobs * 2 : 32;
		r->jobs = xrealloc(r->jobs, st_mult(r->cap_jobs, sizeof(*r->jobs)));
	}
	j = &r->jobs[r->n_jobs++];
	memset(j, 0, sizeof(*j));
	j->html = xstrdup(html);
	j->pdf = pdf;
}

static int is_brochure(const char *html)
{
	const char *slash = strchr(html, '/');
	return slash && !strcmp(slash + 1, "brochure/index.html");
}

/* Lists the PDFs to make from the manifest build_site wrote: the files
 * carepress made, and no other. Brochures first: they take longest, so
 * starting them first finishes the whole set sooner. */
static int collect_jobs(struct pdf_run *r)
{
	struct output_entry *files;
	size_t n, i;
	int pass;
	if (output_read_manifest(r->opt->out_dir, &files, &n)) {
		struct buf path = BUF_INIT;
		buf_addf(&path, "%s/" OUTPUT_MANIFEST, r->opt->out_dir);
		diag(r->d, RULE_IO, path.ptr, 0, 0, "cannot read the build's manifest: %s",
		     access(path.ptr, F_OK) ? strerror(errno) : "not a carepress manifest");
		diag_note(r->d, "run 'carepress build' with the same --out first");
		buf_release(&path);
		return -1;
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			char *pdf;
			if (is_brochure(files[i].path) != !pass)
				continue;
			pdf = pdf_name(&r->cfg, files[i].path);
			if (pdf)
				add_job(r, files[i].path, pdf);
		}
	output_entries_free(files, n);
	return 0;
}

/* --- the state file: which PDF was made from what --- */

static void state_add(struct pdf_run *r, const char *pdf, uint64_t key)
{
	if (r->n_state == r->cap_state) {
		r->cap_state = r->cap_state ? r->cap_state * 2 : 32;
		r->state = xrealloc(r->state, st_mult(r->cap_state, sizeof(*r->state)));
	}
	r->state[r->n_state].pdf = xstrdup(pdf);
	r->state[r->n_state].key = key;
	r->n_state++;
}

/* A missing or unreadable state file means every PDF is remade. */
static void read_state(struct pdf_run *r)
{
	struct buf path = BUF_INIT;
	char line[MAX_LINE];
	size_t i;
	FILE *fp;
	buf_addf(&path, "%s/" PDF_STATE, r->opt->out_dir);
	fp = fopen(path.ptr, "r");
	buf_release(&path);
	if (!fp)
		return;
	if (!fgets(line, sizeof(line), fp) || strcmp(line, STATE_HEADER)) {
		fclose(fp);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		uint64_t key;
		int off = 0;
		char *nl = strchr(line, '\n');
		if (!nl || sscanf(line, "%" SCNx64 " %n", &key, &off) != 1 || !off)
			continue;
		*nl = '\0';
		state_add(r, line + off, key);
	}
	fclose(fp);
	for (i = 0; i < r->n_state; i++)
		hash_put(&r->state_index, r->state[i].pdf, &r->state[i]);
}

static int job_cmp(const void *a, const void *b)
{
	return strcmp((*(struct pdf_job *const *)a)->pdf, (*(struct pdf_job *const *)b)->pdf);
}

/* Writes the state of every current PDF, sorted, and renames it into place. */
static int write_state(struct pdf_run *r)
{
	struct buf text = BUF_INIT, tmp = BUF_INIT, dst = BUF_INIT;
	struct pdf_job **ok = xcalloc(r->n_jobs + 1, sizeof(*ok));
	size_t i, n = 0;
	int ret = 0;
	for (i = 0; i < r->n_jobs; i++)
		if (r->jobs[i].ok)
			ok[n++] = &r->jobs[i];
	qsort(ok, n, sizeof(*ok), job_cmp);
	buf_adds(&text, STATE_HEADER);
	for (i = 0; i < n; i++)
		buf_addf(&text, "%016" PRIx64 " %s\n", ok[i]->key, ok[i]->pdf);
	buf_addf(&tmp, "%s/state", r->tmp);
	buf_addf(&dst, "%s/" PDF_STATE, r->opt->out_dir);
	if (write_all(tmp.ptr, text.ptr, text.len) || rename(tmp.ptr, dst.ptr)) {
		diag(r->d, RULE_IO, dst.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		ret = -1;
	}
	free(ok);
	buf_release(&text);
	buf_release(&tmp);
	buf_release(&dst);
	return ret;
}

/* A path from the state file that is safe to remove: a .pdf inside the
 * output dir (the file could have been edited by hand). */
static int safe_pdf_path(const char *p)
{
	size_t n = strlen(p);
	return n > 4 && p[0] != '/' && !strstr(p, "..") && !strcmp(p + n - 4, ".pdf");
}

/* Removes the PDFs an earlier run made for pages that no longer exist, and
 * a page folder that holds nothing else (the build no longer writes it). */
static void remove_gone(struct pdf_run *r, struct pdf_stats *st)
{
	struct hash current = HASH_INIT;
	struct buf path = BUF_INIT;
	size_t i;
	for (i = 0; i < r->n_jobs; i++)
		hash_put(&current, r->jobs[i].pdf, &r->jobs[i]);
	for (i = 0; i < r->n_state; i++) {
		const char *p = r->state[i].pdf;
		char *slash;
		if (hash_get(&current, p) || !safe_pdf_path(p))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", r->opt->out_dir, p);
		if (unlink(path.ptr)) {
			if (errno != ENOENT) {
				diag(r->d, RULE_IO, path.ptr, 0, 0,
				     "cannot remove the PDF of a page that is gone: %s", strerror(errno));
				r->failed = 1;
			}
			continue;
		}
		st->removed++;
		/* "en/x/x.pdf": its folder "en/x", never the language's. */
		slash = strrchr(path.ptr, '/');
		if (strchr(p, '/') != strrchr(p, '/')) {
			*slash = '\0';
			rmdir(path.ptr);
		}
	}
	hash_release(&current);
	buf_release(&path);
}

/* --- WeasyPrint's input: the page with absolute URLs --- */

/* Appends one attribute value (as written, HTML-escaped) of element tag,
 * made absolute: a link under the site's base URL, a resource (stylesheet,
 * image) as a file: URL inside the output dir, whose path is added to deps
 * (NUL-separated). Other values are copied unchanged. */
static void add_absolute(struct pdf_run *r, const char *tag, const char *v, size_t n,
			 struct buf *out, struct buf *deps)
{
	const char *root = r->cfg.root;
	size_t root_len = strlen(root), end;
	struct buf path = BUF_INIT;
	if (!n || v[0] != '/' || (n > 1 && v[1] == '/')) {
		buf_add(out, v, n);
		return;
	}
	if (!strcmp(tag, "a") || !strcmp(tag, "area")) {
		escape_html(out, r->origin, r->origin_len);
		buf_add(out, v, n);
		return;
	}
	/* A resource outside the site is left as it is: WeasyPrint then reports
	 * that it cannot load it. */
	if (n <= root_len || memcmp(v, root, root_len) || v[root_len] != '/') {
		buf_add(out, v, n);
		return;
	}
	for (end = root_len; end < n && v[end] != '?' && v[end] != '#'; end++)
		;
	buf_adds(&path, r->out_abs);
	add_unescaped(&path, v + root_len, end - root_len);
	buf_adds(out, "file://");
	add_url_path(out, path.ptr, path.len);
	buf_add(deps, path.ptr, path.len + 1);
	buf_release(&path);
}

/* Copies html to out with root-relative href and src values made absolute
 * (add_absolute). The HTML is carepress's own output: attribute values are
 * quoted and escaped, and text holds no raw '<' or quote. */
static void rewrite_html(struct pdf_run *r, const char *html, size_t len, struct buf *out,
			 struct buf *deps)
{
	char tag[16] = "";
	size_t i = 0;
	int in_tag = 0;
	while (i < len) {
		char c = html[i];
		if (!in_tag) {
			if (c == '<' && i + 1 < len && isalpha((unsigned char)html[i + 1])) {
				size_t j = i + 1, k = 0;
				while (j < len && isalnum((unsigned char)html[j])) {
					if (k < sizeof(tag) - 1)
						tag[k++] = (char)tolower((unsigned char)html[j]);
					j++;
				}
				tag[k] = '\0';
				buf_add(out, html + i, j - i);
				i = j;
				in_tag = 1;
				continue;
			}
			buf_addc(out, c);
			i++;
			continue;
		}
		if (c == '>') {
			in_tag = 0;
			buf_addc(out, c);
			i++;
			continue;
		}
		if (c == '"' || c == '\'') {
			const char *q = memchr(html + i + 1, c, len - i - 1);
			size_t e = q ? (size_t)(q - html) + 1 : len;
			buf_add(out, html + i, e - i);
			i = e;
			continue;
		}
		if (isspace((unsigned char)c)) {
			size_t name = 0;
			if (len - i > 6 && !strncasecmp(html + i + 1, "href=", 5))
				name = 5;
			else if (len - i > 5 && !strncasecmp(html + i + 1, "src=", 4))
				name = 4;
			if (name && (html[i + 1 + name] == '"' || html[i + 1 + name] == '\'')) {
				char q = html[i + 1 + name];
				size_t v = i + 2 + name;
				const char *e = memchr(html + v, q, len - v);
				if (e) {
					buf_add(out, html + i, v - i);
					add_absolute(r, tag, html + v, (size_t)(e - html) - v, out, deps);
					buf_addc(out, q);
					i = (size_t)(e - html) + 1;
					continue;
				}
			}
		}
		buf_addc(out, c);
		i++;
	}
}

/* The hash of everything a PDF is made from: WeasyPrint's options, the
 * rewritten page and each file it loads. */
static uint64_t input_key(const struct buf *input, const struct buf *deps)
{
	struct buf all = BUF_INIT, file = BUF_INIT;
	size_t i, off;
	uint64_t h;
	for (i = 0; i < ARRAY_SIZE(weasy_options); i++) {
		buf_adds(&all, weasy_options[i]);
		buf_addc(&all, '\n');
	}
	buf_add(&all, input->ptr, input->len);
	for (off = 0; off < deps->len; off += strlen(deps->ptr + off) + 1) {
		buf_add(&all, "", 1);
		buf_add(&all, deps->ptr + off, strlen(deps->ptr + off) + 1);
		if (read_all(deps->ptr + off, &file, SIZE_MAX))
			buf_adds(&all, "(missing)");
		else
			buf_add(&all, file.ptr, file.len);
	}
	h = hash_bytes(all.ptr, all.len);
	buf_release(&all);
	buf_release(&file);
	return h;
}

/* Reads job i's page, writes WeasyPrint's copy of it to the temp dir and
 * decides whether the PDF must be made. Returns 0 or -1 with a diagnostic. */
static int prepare_job(struct pdf_run *r, size_t i)
{
	struct pdf_job *j = &r->jobs[i];
	struct buf src = BUF_INIT, input = BUF_INIT, deps = BUF_INIT, path = BUF_INIT;
	const struct state_entry *old = hash_get(&r->state_index, j->pdf);
	struct stat st;
	int ret = -1;
	buf_addf(&path, "%s/%s", r->opt->out_dir, j->html);
	if (read_all(path.ptr, &src, SIZE_MAX)) {
		diag(r->d, RULE_IO, path.ptr, 0, 0, "cannot read file: %s", strerror(errno));
		goto out;
	}
	rewrite_html(r, src.ptr, src.len, &input, &deps);
	j->key = input_key(&input, &deps);
	buf_reset(&path);
	buf_addf(&path, "%s/%s", r->opt->out_dir, j->pdf);
	j->stale = !old || old->key != j->key || stat(path.ptr, &st) || !S_ISREG(st.st_mode);
	j->ok = !j->stale;
	if (j->stale) {
		buf_reset(&path);
		buf_addf(&path, "%s/%zu.html", r->tmp, i);
		if (write_all(path.ptr, input.ptr, input.len)) {
			diag(r->d, RULE_IO, path.ptr, 0, 0, "cannot write file: %s", strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	buf_release(&src);
	buf_release(&input);
	buf_release(&deps);
	buf_release(&path);
	return ret;
}

/* --- running WeasyPrint --- */

static void tmp_file(const struct pdf_run *r, size_t i, const char *ext, struct buf *out)
{
	buf_reset(out);
	buf_addf(out, "%s/%zu.%s", r->tmp, i, ext);
}

/* Starts WeasyPrint for job i: stdin and stdout /dev/null, stderr to a file
 * in the temp dir. Returns 0, or -1 with a diagnostic. */
static int spawn_job(struct pdf_run *r, size_t i)
{
	struct pdf_job *j = &r->jobs[i];
	struct buf input = BUF_INIT, output = BUF_INIT, err = BUF_INIT, base = BUF_INIT;
	posix_spawn_file_actions_t fa;
	char *argv[8];
	int rc;
	tmp_file(r, i, "html", &input);
	tmp_file(r, i, "pdf", &output);
	tmp_file(r, i, "err", &err);
	/* Relative URLs (the templates write none) resolve as in the page. */
	buf_adds(&base, "file://");
	add_url_path(&base, r->out_abs, strlen(r->out_abs));
	buf_addc(&base, '/');
	add_url_path(&base, j->html, strlen(j->html));
	argv[0] = (char *)r->opt->weasyprint;
	argv[1] = (char *)weasy_options[0];
	argv[2] = (char *)weasy_options[1];
	argv[3] = (char *)"--base-url";
	argv[4] = base.ptr;
	argv[5] = input.ptr;
	argv[6] = output.ptr;
	argv[7] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, err.ptr, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	rc = posix_spawnp(&j->pid, r->opt->weasyprint, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		j->pid = 0;
		r->cannot_run = 1;
		r->failed = 1;
		diag(r->d, RULE_PDF, NULL, 0, 0, "cannot run '%s': %s", r->opt->weasyprint,
		     strerror(rc));
		diag_note(r->d, "carepress pdf needs WeasyPrint (Debian: apt-get install weasyprint)");
	}
	buf_release(&input);
	buf_release(&output);
	buf_release(&err);
	buf_release(&base);
	return rc ? -1 : 0;
}

/* Turns WeasyPrint's stderr into diagnostics on the page (file): ERROR
 * lines are errors, WARNING lines warnings. Returns the number of errors
 * (and, with strict, warnings); *last is set to the last other line. */
static int report_stderr(struct pdf_run *r, const char *file, const struct buf *text,
			 struct buf *last)
{
	size_t off = 0, shown = 0, hidden = 0;
	int bad = 0;
	while (off < text->len) {
		const char *line = text->ptr + off, *nl = memchr(line, '\n', text->len - off);
		size_t n = nl ? (size_t)(nl - line) : text->len - off;
		enum severity sev;
		size_t skip;
		struct buf msg = BUF_INIT;
		off += n + (nl ? 1 : 0);
		if (n >= sizeof(ua_notice) - 1 && !memcmp(line, ua_notice, sizeof(ua_notice) - 1))
			continue;
		if (n > 7 && !memcmp(line, "ERROR: ", 7)) {
			sev = SEV_ERROR;
			skip = 7;
		} else if (n > 9 && !memcmp(line, "WARNING: ", 9)) {
			sev = SEV_WARNING;
			skip = 9;
		} else {
			if (n) {
				buf_reset(last);
				add_visible(last, line, n);
			}
			continue;
		}
		if (sev == SEV_ERROR || r->d->strict)
			bad++;
		if (shown == MAX_MESSAGES) {
			hidden++;
			continue;
		}
		shown++;
		add_visible(&msg, line + skip, n - skip);
		diag_sev(r->d, sev, RULE_PDF, file, 0, 0, "weasyprint: %s", msg.ptr);
		buf_release(&msg);
	}
	if (hidden)
		diag_note(r->d, "and %zu more messages from WeasyPrint", hidden);
	return bad;
}

/* Job i's WeasyPrint exited with status: reports its messages and renames
 * a good PDF into place (drop_outdated removes the old one of a bad run). */
static void finish_job(struct pdf_run *r, size_t i, int status, struct pdf_stats *st)
{
	struct pdf_job *j = &r->jobs[i];
	struct buf file = BUF_INIT, err = BUF_INIT, text = BUF_INIT, last = BUF_INIT,
		   made = BUF_INIT, dst = BUF_INIT;
	int bad;
	j->pid = 0;
	buf_addf(&file, "%s/%s", r->opt->out_dir, j->html);
	tmp_file(r, i, "err", &err);
	if (read_all(err.ptr, &text, MAX_STDERR))
		buf_reset(&text);
	bad = report_stderr(r, file.ptr, &text, &last);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		if (WIFSIGNALED(status))
			diag(r->d, RULE_PDF, file.ptr, 0, 0, "weasyprint was killed by signal %d",
			     WTERMSIG(status));
		else
			diag(r->d, RULE_PDF, file.ptr, 0, 0, "weasyprint failed (exit status %d)",
			     WEXITSTATUS(status));
		if (last.len)
			diag_note(r->d, "%s", last.ptr);
		bad++;
	}
	tmp_file(r, i, "pdf", &made);
	buf_addf(&dst, "%s/%s", r->opt->out_dir, j->pdf);
	if (!bad && rename(made.ptr, dst.ptr)) {
		diag(r->d, RULE_IO, dst.ptr, 0, 0, "cannot write file: %s", strerror(errno));
		bad++;
	}
	if (bad) {
		r->failed = 1;
	} else {
		j->ok = 1;
		st->made++;
	}
	buf_release(&file);
	buf_release(&err);
	buf_release(&text);
	buf_release(&last);
	buf_release(&made);
	buf_release(&dst);
}

/* Waits until one of the WeasyPrint processes this run started exits.
 * Polls each of them (every 10 ms, nothing next to a WeasyPrint run)
 * rather than waiting for any child, so that children the caller may have
 * started are never reaped here. */
static void wait_one(struct pdf_run *r, struct pdf_stats *st)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	size_t i;
	for (;;) {
		for (i = 0; i < r->n_jobs; i++) {
			int status;
			pid_t pid;
			if (!r->jobs[i].pid)
				continue;
			pid = waitpid(r->jobs[i].pid, &status, WNOHANG);
			if (pid == r->jobs[i].pid) {
				finish_job(r, i, status, st);
				return;
			}
			if (pid < 0 && errno != EINTR)
				BUG("waitpid for a WeasyPrint process: %s", strerror(errno));
		}
		nanosleep(&tick, NULL);
	}
}

/* Removes the PDF of every page whose PDF had to be made and was not
 * (WeasyPrint failed, or could not be started): it no longer matches its
 * page, and none is better than a wrong one. */
static void drop_outdated(struct pdf_run *r, struct pdf_stats *st)
{
	struct buf path = BUF_INIT;
	size_t i;
	for (i = 0; i < r->n_jobs; i++) {
		if (!r->jobs[i].stale || r->jobs[i].ok)
			continue;
		st->failed++;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", r->opt->out_dir, r->jobs[i].pdf);
		if (unlink(path.ptr) && errno != ENOENT)
			diag(r->d, RULE_IO, path.ptr, 0, 0, "cannot remove outdated file: %s",
			     strerror(errno));
	}
	buf_release(&path);
}

static void run_jobs(struct pdf_run *r, struct pdf_stats *st)
{
	size_t i, running = 0, jobs = r->opt->jobs > 0 ? (size_t)r->opt->jobs : 1;
	for (i = 0; i < r->n_jobs && !r->cannot_run; i++) {
		if (!r->jobs[i].stale)
			continue;
		while (running >= jobs) {
			wait_one(r, st);
			running--;
		}
		if (!spawn_job(r, i))
			running++;
	}
	while (running) {
		wait_one(r, st);
		running--;
	}
}

/* --- the stage --- */

/* Creates the temp dir beside the output dir (the same file system, so a
 * PDF is renamed into place), after removing those of killed runs. */
static int make_tmp(struct pdf_run *r)
{
	struct buf parent = BUF_INIT, base = BUF_INIT, prefix = BUF_INIT, path = BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int ret = 0;
	split_dir(r->opt->out_dir, &parent, &base);
	buf_addf(&prefix, ".%s" TMP_TAG, base.ptr);
	if ((dp = opendir(parent.ptr)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (strncmp(e->d_name, prefix.ptr, prefix.len) ||
			    strlen(e->d_name) != prefix.len + 6)
				continue;
			buf_reset(&path);
			buf_addf(&path, "%s/%s", parent.ptr, e->d_name);
			remove_tree(path.ptr);
		}
		closedir(dp);
	}
	buf_reset(&path);
	buf_addf(&path, "%s/%sXXXXXX", parent.ptr, prefix.ptr);
	if (!mkdtemp(path.ptr)) {
		diag(r->d, RULE_IO, parent.ptr, 0, 0, "cannot create a temporary directory: %s",
		     strerror(errno));
		ret = -1;
	} else {
		r->tmp = buf_detach(&path, NULL);
	}
	buf_release(&parent);
	buf_release(&base);
	buf_release(&prefix);
	buf_release(&path);
	return ret;
}

int pdf_build(const struct pdf_options *o, struct pdf_stats *st, struct diags *d)
{
	struct pdf_run r;
	size_t i;
	int ret = -1;
	memset(&r, 0, sizeof(r));
	memset(st, 0, sizeof(*st));
	r.opt = o;
	r.d = d;
	if (config_load(&r.cfg, o->source_dir, d))
		goto out;
	r.origin = r.cfg.base_url;
	r.origin_len = strlen(r.cfg.base_url) - strlen(r.cfg.root);
	r.out_abs = realpath(o->out_dir, NULL);
	if (!r.out_abs) {
		diag(d, RULE_IO, o->out_dir, 0, 0, "cannot use output directory: %s", strerror(errno));
		diag_note(d, "run 'carepress build' with the same --out first");
		goto out;
	}
	if (collect_jobs(&r))
		goto out;
	read_state(&r);
	if (make_tmp(&r))
		goto out;
	st->pdfs = r.n_jobs;
	for (i = 0; i < r.n_jobs; i++)
		if (prepare_job(&r, i)) {
			r.jobs[i].stale = 0;
			r.failed = 1;
		}
	run_jobs(&r, st);
	drop_outdated(&r, st);
	remove_gone(&r, st);
	if (write_state(&r))
		r.failed = 1;
	ret = r.failed ? -1 : 0;
out:
	if (r.tmp) {
		remove_tree(r.tmp);
		free(r.tmp);
	}
	for (i = 0; i < r.n_jobs; i++) {
		free(r.jobs[i].html);
		free(r.jobs[i].pdf);
	}
	free(r.jobs);
	for (i = 0; i < r.n_state; i++)
		free(r.state[i].pdf);
	free(r.state);
	hash_release(&r.state_index);
	free(r.out_abs);
	config_release(&r.cfg);
	return ret;
}
