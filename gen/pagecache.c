/* pagecache.c - page cache keys, records and the cache file.
 *
 * The file is text: a header line, then per page a line
 * "page KEY URL LEN" and a record body of LEN bytes. In a body, numbers are
 * decimal (reading scores in C99 hex floats, exact), strings are written as
 * LENGTH:BYTES (any bytes) or "-" for none, all separated by one space or
 * newline. A damaged file is ignored whole: the build renders every page. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pagecache.h"
#include "readability.h"
#include "util.h"

#define HEADER "carepress-pages 1 "

/* Reading scales by number in records; 0 is none. */
static const char *const scales[] = { NULL, READABILITY_SCALE_FK, READABILITY_SCALE_INFLESZ };

static void hash_str(struct hasher *h, const char *s)
{
	uint64_t n = s ? strlen(s) : UINT64_MAX;
	hasher_add(h, &n, sizeof(n));
	if (s)
		hasher_add(h, s, (size_t)n);
}

uint64_t page_cache_addresses(const struct site *s)
{
	struct hasher h;
	size_t i;
	hasher_init(&h);
	for (i = 0; i < s->n_pages; i++) {
		const struct page *p = s->pages[i];
		int64_t lang = p->lang, fallback = p->fallback_of != NULL;
		hasher_add(&h, &lang, sizeof(lang));
		hasher_add(&h, &fallback, sizeof(fallback));
		hash_str(&h, p->name);
		hash_str(&h, p->url);
	}
	return hasher_end(&h);
}

uint64_t page_cache_key(uint64_t site_key, const struct page *p, const struct value *ctx,
			const struct value *const *shared, size_t n_shared, struct arena *a)
{
	const struct page *src = p->fallback_of ? p->fallback_of : p;
	struct hasher h;
	int64_t lang = p->lang;
	hasher_init(&h);
	hasher_add(&h, &site_key, sizeof(site_key));
	hasher_add(&h, &src->text_hash, sizeof(src->text_hash));
	hasher_add(&h, &lang, sizeof(lang));
	hash_str(&h, src->path);
	value_hash(ctx, &h, shared, n_shared, a);
	return hasher_end(&h);
}

/* --- writing --- */

static void put_str(struct buf *out, const char *s)
{
	if (!s) {
		buf_adds(out, " -");
		return;
	}
	size_t n = strlen(s);
	buf_addc(out, ' ');
	buf_add_uint(out, n);
	buf_addc(out, ':');
	buf_add(out, s, n);
}

static void put_num(struct buf *out, uint64_t n)
{
	buf_addc(out, ' ');
	buf_add_uint(out, n);
}

/* "diags N" and each finding; the record's last line. */
static void put_diags(struct buf *out, const struct diags *d)
{
	size_t i;
	buf_adds(out, "\ndiags");
	put_num(out, d->n);
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];
		buf_adds(out, "\n");
		buf_adds(out, rule_name[g->rule]);
		put_num(out, (uint64_t)g->severity);
		put_str(out, g->file);
		put_num(out, (uint64_t)g->line);
		put_num(out, (uint64_t)g->col);
		put_str(out, g->message);
		put_str(out, g->note);
	}
	buf_adds(out, "\n");
}

void page_cache_format(const struct page *p, const struct diags *d, struct buf *out)
{
	size_t i, scale = 0;
	buf_adds(out, "anchors");
	put_num(out, p->n_anchors);
	for (i = 0; i < p->n_anchors; i++)
		put_str(out, p->anchors[i]);
	buf_adds(out, "\nfacts");
	put_num(out, p->n_facts_used);
	for (i = 0; i < p->n_facts_used; i++)
		put_str(out, p->facts_used[i]);
	buf_adds(out, "\ncounts");
	put_num(out, p->n_h2);
	put_num(out, p->n_footnotes);
	for (i = 1; i < ARRAY_SIZE(scales); i++)
		if (p->read.scale && !strcmp(p->read.scale, scales[i]))
			scale = i;
	buf_adds(out, "\nread");
	put_num(out, p->read.words);
	put_num(out, p->read.sentences);
	put_num(out, p->read.syllables);
	put_num(out, scale);
	buf_addf(out, " %a %a", p->read.score, p->read.fernandez_huerta);
	buf_adds(out, "\nrefs");
	put_num(out, p->n_refs);
	for (i = 0; i < p->n_refs; i++) {
		const struct anchor_ref *r = &p->refs[i];
		put_num(out, (uint64_t)r->target->lang);
		put_str(out, r->target->url);
		put_str(out, r->anchor);
		put_num(out, (uint64_t)r->line);
		put_num(out, (uint64_t)r->col);
	}
	put_diags(out, d);
}

void page_cache_begin_file(uint64_t site_key, struct buf *out)
{
	buf_addf(out, HEADER "%016" PRIx64 "\n", site_key);
}

void page_cache_add_record(const char *id, uint64_t key, const char *rec, size_t len,
			   struct buf *out)
{
	buf_addf(out, "page %016" PRIx64, key);
	put_str(out, id);
	put_num(out, len);
	buf_addc(out, '\n');
	buf_add(out, rec, len);
}

/* --- reading --- */

/* A cursor over a record; bad is set by the first thing that does not
 * parse, and every read after it returns nothing. */
struct cursor {
	const char *p, *end;
	int bad;
};

static void skip_space(struct cursor *c)
{
	if (c->p < c->end && (*c->p == ' ' || *c->p == '\n'))
		c->p++;
	else
		c->bad = 1;
}

static void expect(struct cursor *c, const char *word)
{
	size_t n = strlen(word);
	if (c->bad || (size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		c->bad = 1;
	else
		c->p += n;
}

/* A decimal number at c (no space before it). */
static uint64_t get_digits(struct cursor *c)
{
	uint64_t n = 0;
	const char *start = c->p;
	while (!c->bad && c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		if (n > (UINT64_MAX - 9) / 10)
			c->bad = 1;
		n = n * 10 + (uint64_t)(*c->p++ - '0');
	}
	if (c->p == start)
		c->bad = 1;
	return c->bad ? 0 : n;
}

/* A space, then a decimal number. */
static uint64_t get_num(struct cursor *c)
{
	skip_space(c);
	return get_digits(c);
}

/* A count of items that each take at least min_bytes: bounded by what is
 * left, so a damaged count cannot ask for a huge allocation. */
static size_t get_count(struct cursor *c, size_t min_bytes)
{
	uint64_t n = get_num(c);
	if ((uint64_t)(c->end - c->p) / min_bytes < n)
		c->bad = 1;
	return c->bad ? 0 : (size_t)n;
}

static int get_int(struct cursor *c)
{
	uint64_t n = get_num(c);
	if (n > INT32_MAX)
		c->bad = 1;
	return c->bad ? 0 : (int)n;
}

static double get_double(struct cursor *c)
{
	char tmp[64], *endp;
	size_t n = 0;
	double v;
	skip_space(c);
	while (!c->bad && c->p + n < c->end && c->p[n] != ' ' && c->p[n] != '\n' &&
	       n < sizeof(tmp) - 1)
		n++;
	if (c->bad || !n)
		return c->bad = 1, 0;
	memcpy(tmp, c->p, n);
	tmp[n] = '\0';
	errno = 0;
	v = strtod(tmp, &endp);
	if (*endp || errno)
		return c->bad = 1, 0;
	c->p += n;
	return v;
}

/* A string (copied, NUL-terminated) or NULL for "-"; *none says which. */
static char *get_str(struct cursor *c, int *none)
{
	uint64_t n = 0;
	char *s;
	*none = 0;
	skip_space(c);
	if (!c->bad && c->p < c->end && *c->p == '-') {
		c->p++;
		*none = 1;
		return NULL;
	}
	while (!c->bad && c->p < c->end && *c->p >= '0' && *c->p <= '9' && n < SIZE_MAX / 10)
		n = n * 10 + (uint64_t)(*c->p++ - '0');
	if (c->bad || c->p >= c->end || *c->p != ':' || (uint64_t)(c->end - c->p - 1) < n) {
		c->bad = 1;
		return NULL;
	}
	c->p++;
	s = xstrndup(c->p, (size_t)n);
	c->p += n;
	return s;
}

/* A string that must be there. */
static char *get_text(struct cursor *c)
{
	int none;
	char *s = get_str(c, &none);
	if (none)
		c->bad = 1;
	return s;
}

static void free_strings(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **get_strings(struct cursor *c, size_t *n_out)
{
	size_t n = get_count(c, 2), i;
	char **v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n && !c->bad; i++)
		v[i] = get_text(c);
	*n_out = n;
	return v;
}

/* A rule's name at c (no space before it). */
static enum rule rule_by_name(struct cursor *c)
{
	size_t r, n = 0;
	while (!c->bad && c->p + n < c->end && c->p[n] != ' ')
		n++;
	for (r = 0; !c->bad && r < RULE_MAX; r++)
		if (strlen(rule_name[r]) == n && !memcmp(c->p, rule_name[r], n)) {
			c->p += n;
			return (enum rule)r;
		}
	c->bad = 1;
	return RULE_IO;
}

/* The "diags" part (put_diags) into found, marked earlier; it ends the
 * record. */
static void get_diags(struct cursor *c, struct diags *found)
{
	size_t n, i;
	skip_space(c);
	expect(c, "diags");
	n = c->bad ? 0 : get_count(c, 10);
	for (i = 0; i < n && !c->bad; i++) {
		enum rule rule;
		uint64_t sev;
		char *file, *message, *note;
		int line, col, none;
		skip_space(c);
		rule = rule_by_name(c);
		sev = get_num(c);
		file = get_str(c, &none);
		line = get_int(c);
		col = get_int(c);
		message = get_text(c);
		note = get_str(c, &none);
		if (sev > SEV_ERROR)
			c->bad = 1;
		if (!c->bad)
			diag_restore(found, (enum severity)sev, rule, file, line, col, message, note);
		free(file);
		free(message);
		free(note);
	}
	skip_space(c);
}

struct parsed_ref {
	const struct page *target;
	char *anchor;
	int line, col;
};

int page_cache_apply(const char *rec, size_t len, const struct site *s, struct page *p,
		     struct diags *d)
{
	struct cursor c = { rec, rec + len, 0 };
	char **anchors = NULL, **facts = NULL;
	size_t n_anchors = 0, n_facts = 0, n_refs = 0, i, scale;
	struct parsed_ref *refs = NULL;
	struct diags found = { 0 };
	struct readability read;
	size_t n_h2, n_footnotes;
	memset(&read, 0, sizeof(read));
	/* Each part is read only if the one before it parsed: a damaged
	 * count must not become a loop. */
	expect(&c, "anchors");
	anchors = get_strings(&c, &n_anchors);
	skip_space(&c);
	expect(&c, "facts");
	if (!c.bad)
		facts = get_strings(&c, &n_facts);
	skip_space(&c);
	expect(&c, "counts");
	n_h2 = (size_t)get_num(&c);
	n_footnotes = (size_t)get_num(&c);
	skip_space(&c);
	expect(&c, "read");
	read.words = (size_t)get_num(&c);
	read.sentences = (size_t)get_num(&c);
	read.syllables = (size_t)get_num(&c);
	scale = (size_t)get_num(&c);
	read.score = get_double(&c);
	read.fernandez_huerta = get_double(&c);
	if (scale >= ARRAY_SIZE(scales))
		c.bad = 1;
	else
		read.scale = scales[scale];
	skip_space(&c);
	expect(&c, "refs");
	n_refs = c.bad ? 0 : get_count(&c, 10);
	refs = xcalloc(n_refs + 1, sizeof(*refs));
	for (i = 0; i < n_refs && !c.bad; i++) {
		uint64_t lang = get_num(&c);
		char *url = get_text(&c);
		refs[i].anchor = get_text(&c);
		refs[i].line = get_int(&c);
		refs[i].col = get_int(&c);
		if (!c.bad && lang < s->cfg->n_langs)
			refs[i].target = hash_get(&s->by_url[lang], url);
		if (!refs[i].target)
			c.bad = 1;
		free(url);
	}
	found.strict = d->strict;
	if (!c.bad)
		get_diags(&c, &found);
	if (c.bad || c.p != c.end) {
		free_strings(anchors, n_anchors);
		free_strings(facts, n_facts);
		for (i = 0; i < n_refs; i++)
			free(refs[i].anchor);
		free(refs);
		diags_release(&found);
		return -1;
	}
	p->anchors = (const char **)anchors;
	p->n_anchors = n_anchors;
	p->facts_used = (const char **)facts;
	p->n_facts_used = n_facts;
	p->n_h2 = n_h2;
	p->n_footnotes = n_footnotes;
	p->read = read;
	for (i = 0; i < n_refs; i++) {
		site_add_ref(p, refs[i].target, refs[i].anchor, refs[i].line, refs[i].col);
		free(refs[i].anchor);
	}
	free(refs);
	diags_take(d, &found);
	diags_release(&found);
	return 0;
}

/* --- sources --- */

void page_cache_format_source(const struct page *p, const struct diags *d, struct buf *out)
{
	const struct page_meta *m = &p->meta;
	buf_addf(out, "text %016" PRIx64, p->text_hash);
	put_str(out, p->body_hash);
	put_num(out, p->len);
	put_num(out, p->body_offset);
	put_num(out, (uint64_t)p->body_line);
	buf_adds(out, "\nmeta");
	put_str(out, m->title);
	put_str(out, m->description);
	put_str(out, m->slug);
	put_str(out, m->key);
	put_str(out, m->updated);
	put_str(out, m->reviewer);
	put_str(out, m->reviewed);
	put_str(out, m->source_hash);
	buf_adds(out, "\nnumbers");
	/* order may be negative: kept as its 32 bits. */
	put_num(out, (uint32_t)m->order);
	put_num(out, (uint64_t)m->has_order);
	put_num(out, (uint64_t)m->translation);
	put_num(out, (uint64_t)m->has_translation);
	put_num(out, (uint64_t)m->title_line);
	put_num(out, (uint64_t)m->slug_line);
	put_num(out, (uint64_t)m->slug_col);
	put_num(out, (uint64_t)m->key_line);
	put_num(out, (uint64_t)m->key_col);
	put_diags(out, d);
}

/* An optional string, copied into a. */
static const char *get_meta_str(struct cursor *c, struct arena *a)
{
	int none;
	char *s = get_str(c, &none);
	const char *kept = s ? arena_strdup(a, s) : NULL;
	free(s);
	return kept;
}

int page_cache_apply_source(const char *rec, size_t len, struct page *p, struct arena *a,
			    struct diags *d)
{
	struct cursor c = { rec, rec + len, 0 };
	struct page_meta m;
	struct diags found = { 0 };
	uint64_t text_hash = 0, order, translation;
	size_t text_len, body_offset;
	int body_line;
	char *body_hash, *endp;
	memset(&m, 0, sizeof(m));
	expect(&c, "text ");
	if (!c.bad && c.end - c.p >= 16) {
		text_hash = strtoull(c.p, &endp, 16);
		c.bad = endp != c.p + 16;
		c.p += 16;
	} else {
		c.bad = 1;
	}
	body_hash = get_text(&c);
	text_len = (size_t)get_num(&c);
	body_offset = (size_t)get_num(&c);
	body_line = get_int(&c);
	skip_space(&c);
	expect(&c, "meta");
	m.title = get_meta_str(&c, a);
	m.description = get_meta_str(&c, a);
	m.slug = get_meta_str(&c, a);
	m.key = get_meta_str(&c, a);
	m.updated = get_meta_str(&c, a);
	m.reviewer = get_meta_str(&c, a);
	m.reviewed = get_meta_str(&c, a);
	m.source_hash = get_meta_str(&c, a);
	skip_space(&c);
	expect(&c, "numbers");
	order = get_num(&c);
	m.has_order = get_int(&c);
	translation = get_num(&c);
	m.has_translation = get_int(&c);
	m.title_line = get_int(&c);
	m.slug_line = get_int(&c);
	m.slug_col = get_int(&c);
	m.key_line = get_int(&c);
	m.key_col = get_int(&c);
	if (order > UINT32_MAX || translation >= TRANSLATION_MAX || body_offset > text_len ||
	    !body_hash || strlen(body_hash) >= sizeof(p->body_hash))
		c.bad = 1;
	found.strict = d->strict;
	if (!c.bad)
		get_diags(&c, &found);
	if (c.bad || c.p != c.end) {
		free(body_hash);
		diags_release(&found);
		return -1;
	}
	m.order = (int)(int32_t)(uint32_t)order;
	m.translation = (enum translation_status)translation;
	p->meta = m;
	p->text_hash = text_hash;
	strcpy(p->body_hash, body_hash);
	p->len = text_len;
	p->body_offset = body_offset;
	p->body_line = body_line;
	free(body_hash);
	diags_take(d, &found);
	diags_release(&found);
	return 0;
}

/* Reads the whole file at path into pc->text (NUL-terminated). */
static int read_whole(struct page_cache *pc, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t got = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 0) {
		close(fd);
		return -1;
	}
	pc->text = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, pc->text + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size)
		return -1;
	pc->text[got] = '\0';
	pc->len = got;
	return 0;
}

/* Reads "page KEY LEN:ID LEN\n" at c and the record after it into e;
 * the id is NUL-terminated in place (the space after it). */
static void get_entry(struct cursor *c, char *text, struct page_cache_entry *e)
{
	char *endp, *id;
	uint64_t n;
	expect(c, "page ");
	if (c->bad || c->end - c->p < 16) {
		c->bad = 1;
		return;
	}
	e->key = strtoull(c->p, &endp, 16);
	if (endp != c->p + 16) {
		c->bad = 1;
		return;
	}
	c->p = endp;
	n = get_num(c);
	expect(c, ":");
	if (c->bad || (uint64_t)(c->end - c->p) <= n || c->p[n] != ' ') {
		c->bad = 1;
		return;
	}
	id = text + (c->p - text);
	id[n] = '\0';
	e->id = id;
	c->p += n + 1;
	e->len = (size_t)get_digits(c);
	expect(c, "\n");
	if (c->bad || (size_t)(c->end - c->p) < e->len) {
		c->bad = 1;
		return;
	}
	e->off = (size_t)(c->p - text);
	c->p += e->len;
}

void page_cache_read(struct page_cache *pc, const char *out_dir, const char *file,
		     uint64_t file_key)
{
	struct buf path = BUF_INIT, header = BUF_INIT;
	struct cursor c;
	size_t cap = 0, i;
	memset(pc, 0, sizeof(*pc));
	buf_addf(&path, "%s/%s", out_dir, file);
	page_cache_begin_file(file_key, &header);
	if (read_whole(pc, path.ptr) || pc->len < header.len ||
	    memcmp(pc->text, header.ptr, header.len))
		c.bad = 1;
	else
		c = (struct cursor){ pc->text + header.len, pc->text + pc->len, 0 };
	while (!c.bad && c.p < c.end) {
		if (pc->n == cap) {
			cap = cap ? cap * 2 : 256;
			pc->v = xrealloc(pc->v, st_mult(cap, sizeof(*pc->v)));
		}
		get_entry(&c, pc->text, &pc->v[pc->n++]);
	}
	for (i = 0; !c.bad && i < pc->n; i++)
		hash_put(&pc->by_id, pc->v[i].id, &pc->v[i]);
	if (c.bad)
		page_cache_release(pc);
	buf_release(&path);
	buf_release(&header);
}

const char *page_cache_find(const struct page_cache *pc, const char *id, uint64_t key,
			    size_t *len)
{
	const struct page_cache_entry *e = hash_get(&pc->by_id, id);
	if (!e || e->key != key)
		return NULL;
	*len = e->len;
	return pc->text + e->off;
}

void page_cache_release(struct page_cache *pc)
{
	free(pc->text);
	free(pc->v);
	hash_release(&pc->by_id);
	memset(pc, 0, sizeof(*pc));
}
