/* build_report.c - the reviewer report's stage: report/index.html and
 * report/report.json, each written a piece at a time on threads of their
 * own (see docs/architecture.md). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "build_internal.h"
#include "report.h"
#include "util.h"

/* The JSON report, written on a thread of its own: into memory when the
 * caller asked for it (check --format json), else straight into its file. */
struct json_job {
	struct build *b;
	const struct report *r;
	struct buf json;
	struct diags diags;
	int failed;
};

static void put_json(void *ctx, const void *data, size_t len)
{
	output_put(ctx, data, len);
}

static void *json_main(void *arg)
{
	struct json_job *job = arg;
	struct output_file *f;
	if (job->b->opt->report_json) {
		report_json(job->r, &job->json);
		buf_add(job->b->opt->report_json, job->json.ptr, job->json.len);
		job->failed = output_write(&job->b->out, "report/report.json", job->json.ptr,
					   job->json.len, &job->diags);
		buf_release(&job->json);
		return NULL;
	}
	f = output_open(&job->b->out, "report/report.json", &job->diags);
	if (!f) {
		job->failed = 1;
		return NULL;
	}
	report_json_write(job->r, put_json, f);
	job->failed = output_close(f, &job->diags) != 0;
	return NULL;
}

/* The report page of a large site is tens of megabytes: it goes from the
 * template to the lint and to its file a piece at a time, and the lint
 * and the file take the pieces on a thread of their own (the template and
 * the lint of a large report take about as long each). Pieces wait in a
 * ring of REPORT_PIECES buffers, reused. */
#define REPORT_PIECES 8

struct report_pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct buf pieces[REPORT_PIECES];
	size_t head, n;             /* pieces[head] is the oldest of n */
	int done;                   /* the template has rendered */
	struct lint_stream *lint;
	struct output_file *file;
};

/* The template's sink: waits for a free buffer, copies the piece in. */
static void put_report_piece(void *ctx, const char *data, size_t len)
{
	struct report_pipe *p = ctx;
	struct buf *piece;
	pthread_mutex_lock(&p->lock);
	while (p->n == REPORT_PIECES)
		pthread_cond_wait(&p->changed, &p->lock);
	piece = &p->pieces[(p->head + p->n) % REPORT_PIECES];
	buf_reset(piece);
	buf_add(piece, data, len);
	p->n++;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

/* The other end: lints and writes each piece in order; the buffer is
 * handed back once it is done with. */
static void *take_report_pieces(void *arg)
{
	struct report_pipe *p = arg;
	for (;;) {
		struct buf *piece;
		pthread_mutex_lock(&p->lock);
		while (!p->n && !p->done)
			pthread_cond_wait(&p->changed, &p->lock);
		if (!p->n) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		piece = &p->pieces[p->head];
		pthread_mutex_unlock(&p->lock);
		lint_push(p->lint, piece->ptr, piece->len);
		output_put(p->file, piece->ptr, piece->len);
		pthread_mutex_lock(&p->lock);
		p->head = (p->head + 1) % REPORT_PIECES;
		p->n--;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
}

static int write_report_page(struct build *b, const struct report *r, struct arena *a,
			     struct diags *d)
{
	struct report_pipe pipe;
	struct lint_input in;
	struct buf tpath = BUF_INIT;
	pthread_t tid;
	size_t i;
	int ret = 0;
	buf_addf(&tpath, "%s/report.mustache", b->opt->templates_dir);
	memset(&in, 0, sizeof(in));
	in.out_path = "report/index.html";
	in.template_path = tpath.ptr;
	in.lang = b->cfg.langs[0].tag;
	memset(&pipe, 0, sizeof(pipe));
	pipe.file = output_open(&b->out, in.out_path, d);
	if (!pipe.file) {
		buf_release(&tpath);
		return -1;
	}
	pipe.lint = lint_begin(b->linter, &in, d);
	pthread_mutex_init(&pipe.lock, NULL);
	pthread_cond_init(&pipe.changed, NULL);
	if (pthread_create(&tid, NULL, take_report_pieces, &pipe))
		BUG("cannot start a thread");
	if (mustache_render_to(b->templates, "report", report_context(r, a), b->opt->strict,
			       put_report_piece, &pipe, d))
		ret = -1;
	pthread_mutex_lock(&pipe.lock);
	pipe.done = 1;
	pthread_cond_broadcast(&pipe.changed);
	pthread_mutex_unlock(&pipe.lock);
	pthread_join(tid, NULL);
	lint_end(pipe.lint);
	if (output_close(pipe.file, d))
		ret = -1;
	for (i = 0; i < REPORT_PIECES; i++)
		buf_release(&pipe.pieces[i]);
	pthread_cond_destroy(&pipe.changed);
	pthread_mutex_destroy(&pipe.lock);
	buf_release(&tpath);
	return ret;
}

int build_report(struct build *b, struct diags *d)
{
	struct json_job job;
	pthread_t json_tid;
	int json_thread;
	const struct config *c = &b->cfg;
	struct report_page *rp = xcalloc(b->site.n_pages + 1, sizeof(*rp));
	const char **langs = xcalloc(c->n_langs + 1, sizeof(*langs));
	struct arena a = ARENA_INIT;
	struct report r;
	size_t g, l, n = 0;
	int ret = 0;
	for (l = 0; l < c->n_langs; l++)
		langs[l] = c->langs[l].tag;
	for (g = 0; g < b->site.n_groups; g++) {
		for (l = 0; l < c->n_langs; l++) {
			const struct page *p = b->site.groups[g]->by_lang[l];
			const struct page *src = p && p->fallback_of ? p->fallback_of : p;
			struct report_page *q = &rp[n];
			if (!p)
				continue;
			n++;
			q->key = p->key;
			q->lang = c->langs[l].tag;
			q->title = p->meta.title;
			q->url = p->url;
			q->print_url = arena_printf(&a, "%sprint/", p->url);
			q->source_path = src->path;
			q->translation = p->fallback_of ? "fallback" : p->outdated ? "outdated"
					: translation_name[p->meta.translation];
			q->reviewer = p->meta.reviewer;
			q->reviewed = p->meta.reviewed;
			q->source_hash = src->body_hash;
			q->read = src->read;
			q->target = c->reading_target[src->lang];
			if (!q->target)
				q->target = readability_default_target(src->read.scale);
			q->above_target = readability_over_target(&q->read, q->target);
			q->facts = src->facts_used;
			q->n_facts = src->n_facts_used;
		}
	}
	memset(&r, 0, sizeof(r));
	r.generated_by = "carepress " CAREPRESS_VERSION;
	r.base_url = c->base_url;
	r.pages = rp;
	r.n_pages = n;
	diags_sort(d);
	r.diags = d;
	r.langs = langs;
	r.n_langs = c->n_langs;
	/* The two forms of the report are the last serial work of a build:
	 * the JSON is written on a thread of its own while the page renders. */
	memset(&job, 0, sizeof(job));
	job.b = b;
	job.r = &r;
	job.diags.strict = d->strict;
	json_thread = pthread_create(&json_tid, NULL, json_main, &job) == 0;
	if (!json_thread)
		json_main(&job);
	if (b->has_report && write_report_page(b, &r, &a, d))
		ret = -1;
	if (json_thread)
		pthread_join(json_tid, NULL);
	diags_take(d, &job.diags);
	if (job.failed)
		ret = -1;
	arena_release(&a);
	free(rp);
	free(langs);
	return ret;
}
