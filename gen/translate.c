/* translate.c - language access: each translation against the page it was
 * made from (translate.h). Never prints. */
#include <string.h>
#include "buf.h"
#include "hash.h"
#include "translate.h"

const struct page *translate_source(const struct site *s, const struct page_group *g)
{
	size_t l;
	for (l = 0; l < s->cfg->n_langs; l++) {
		const struct page *p = g->by_lang[l];
		if (p && !p->fallback_of && p->meta.has_translation &&
		    p->meta.translation == TRANSLATION_SOURCE)
			return p;
	}
	for (l = 0; l < s->cfg->n_langs; l++)
		if (g->by_lang[l] && !g->by_lang[l]->fallback_of)
			return g->by_lang[l];
	return NULL;
}

/* Appends the names in a that b lacks, comma-separated. Both sorted. */
static void facts_missing(const struct page *a, const struct page *b, struct buf *out)
{
	size_t i, j = 0;
	for (i = 0; i < a->n_facts_used; i++) {
		while (j < b->n_facts_used && strcmp(b->facts_used[j], a->facts_used[i]) < 0)
			j++;
		if (j < b->n_facts_used && !strcmp(b->facts_used[j], a->facts_used[i]))
			continue;
		buf_addf(out, "%s'%s'", out->len ? ", " : "", a->facts_used[i]);
	}
}

static void check_translation(const struct page *src, struct page *t, int release,
			      struct diags *d)
{
	struct buf missing = BUF_INIT, extra = BUF_INIT;
	const char *recorded = t->meta.source_hash;
	int current = recorded && !strcmp(recorded, src->body_hash);
	t->outdated = recorded && !current;
	facts_missing(src, t, &missing);
	facts_missing(t, src, &extra);
	if (missing.len || extra.len) {
		diag(d, RULE_TRANSLATION_FACTS, t->path, 1, 1,
		     "translation uses other facts than its source %s%s%s%s%s", src->path,
		     missing.len ? ": lacks " : "", missing.ptr, extra.len ? "; adds " : "", extra.ptr);
		diag_note(d, "a translation must give the same numbers, addresses and hours");
	}
	if (t->n_h2 != src->n_h2)
		diag(d, RULE_TRANSLATION_PARITY, t->path, 1, 1,
		     "translation has %zu sections (##), its source %s has %zu", t->n_h2, src->path,
		     src->n_h2);
	if (t->n_footnotes != src->n_footnotes)
		diag(d, RULE_TRANSLATION_PARITY, t->path, 1, 1,
		     "translation has %zu notes, its source %s has %zu", t->n_footnotes, src->path,
		     src->n_footnotes);
	if (!recorded) {
		diag(d, RULE_TRANSLATION_OUTDATED, t->path, 1, 1,
		     "translation does not say which version of %s it was made from", src->path);
		diag_note(d, "add 'source_hash: %s' to its front matter", src->body_hash);
	} else if (!current) {
		diag(d, RULE_TRANSLATION_OUTDATED, t->path, 1, 1,
		     "outdated translation: %s changed since it was translated", src->path);
		diag_note(d, "bring the translation up to date, then set 'source_hash: %s'",
			  src->body_hash);
	}
	if (release && (t->meta.translation != TRANSLATION_REVIEWED || !current)) {
		diag(d, RULE_RELEASE, t->path, 1, 1, "%s",
		     t->meta.translation != TRANSLATION_REVIEWED
			     ? "translation is not reviewed by a qualified translator"
			     : "reviewed translation was made from an older version of its source");
		diag_note(d, "health-plan rules require a qualified review of translated pages "
			  "before release; set 'translation: reviewed' with 'reviewer:' and "
			  "'reviewed:' once it is done");
	}
	buf_release(&missing);
	buf_release(&extra);
}

void translate_check(struct site *s, int release, struct diags *d)
{
	struct hash failed = HASH_INIT; /* files with an error: path -> d, a mark */
	size_t i, l;
	for (i = 0; i < d->n; i++)
		if (d->v[i].severity == SEV_ERROR && d->v[i].file)
			hash_put(&failed, d->v[i].file, d);
	for (i = 0; i < s->n_groups; i++) {
		const struct page_group *g = s->groups[i];
		const struct page *src = translate_source(s, g);
		if (!src || hash_get(&failed, src->path))
			continue;
		for (l = 0; l < s->cfg->n_langs; l++) {
			struct page *t = g->by_lang[l];
			if (t && t != src && !t->fallback_of && !hash_get(&failed, t->path)) {
				size_t from = d->n;
				check_translation(src, t, release, d);
				/* Neither page changed: an earlier build printed these. */
				for (; src->reused && t->reused && from < d->n; from++)
					d->v[from].earlier = 1;
			}
		}
	}
	hash_release(&failed);
}
