/* lint_text.c - the language side of the page checks: word sets per site
 * language (from strings.yaml), folding and quoting of text, and the scan
 * for runs of another language's words. Knows no HTML; never prints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include "lint_internal.h"
#include "util.h"

/* --- text helpers ------------------------------------------------------- */

int lint_is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t lint_utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	if (!len || len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	c &= 0x3F >> (len - 1);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/* Spaces (and NBSP) and the punctuation a link text may start or end with. */
static int is_trim_cp(unsigned long c)
{
	if (c && c < 0x80)
		return lint_is_space((unsigned char)c) || strchr(".,:;!?\"'()[]-", (int)c) != NULL;
	return c == 0xA0 || c == 0xA1 || c == 0xBF || c == 0xAB || c == 0xBB || c == 0x2026 ||
	       (c >= 0x2018 && c <= 0x201F);
}

void lint_norm_text(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = out->len, i = 0, keep;
	int space = 0;
	while (i < n) {
		unsigned long c;
		size_t k = lint_utf8_next(p + i, n - i, &c);
		if (lint_is_space(p[i]) || c == 0xA0) {
			space = out->len > start;
		} else {
			if (space)
				buf_addc(out, ' ');
			space = 0;
			if (c < 0x80)
				buf_addc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
			else if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
				buf_add(out, (const char[]){ (char)0xC3, (char)(p[i + 1] + 0x20) }, 2);
			else
				buf_add(out, p + i, k);
		}
		i += k;
	}
	/* Trailing punctuation, then leading. */
	keep = out->len;
	while (keep > start) {
		size_t b = keep - 1;
		unsigned long c;
		while (b > start && ((unsigned char)out->ptr[b] & 0xC0) == 0x80)
			b--;
		lint_utf8_next((unsigned char *)out->ptr + b, keep - b, &c);
		if (!is_trim_cp(c))
			break;
		keep = b;
	}
	buf_truncate(out, keep);
	i = start;
	while (i < out->len) {
		unsigned long c;
		size_t k = lint_utf8_next((unsigned char *)out->ptr + i, out->len - i, &c);
		if (!is_trim_cp(c))
			break;
		i += k;
	}
	if (i > start) {
		memmove(out->ptr + start, out->ptr + i, out->len - i);
		buf_truncate(out, out->len - (i - start));
	}
}

void lint_quote(struct buf *out, const char *s, size_t n, size_t max)
{
	size_t start = out->len, i = 0;
	int space = 0;
	while (i < n && lint_is_space((unsigned char)s[i]))
		i++;
	for (; i < n; i++) {
		if (lint_is_space((unsigned char)s[i])) {
			space = 1;
			continue;
		}
		if (out->len - start >= max && ((unsigned char)s[i] & 0xC0) != 0x80) {
			buf_adds(out, "...");
			return;
		}
		if (space)
			buf_addc(out, ' ');
		space = 0;
		buf_addc(out, s[i]);
	}
}

int lint_lang_same(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ea = !*a || *a == '-' || *a == '_', eb = !*b || *b == '-' || *b == '_';
		char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (ea || eb)
			return ea && eb;
		if (ca != cb)
			return 0;
	}
}

int lint_ieq_prefix(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
		if (c != *prefix)
			return 0;
	}
	return 1;
}

const char *lint_find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	const char *p = hay, *end = hay + hlen;
	if (!nlen || nlen > hlen)
		return NULL;
	while ((p = memchr(p, needle[0], (size_t)(end - p) - nlen + 1)) != NULL) {
		if (!memcmp(p, needle, nlen))
			return p;
		if (++p > end - nlen)
			break;
	}
	return NULL;
}

int lint_blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (!lint_is_space((unsigned char)*s))
			return 0;
	return 1;
}

/* --- the linter: word sets per language ----------------------------------- */

static const char *norm_copy(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *r;
	lint_norm_text(&b, s, strlen(s));
	r = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static const char **string_list(const struct value *strings, const char *key, size_t *n,
				struct arena *a)
{
	const struct value *v = value_map_get(strings, key);
	const char **out;
	size_t i;
	*n = 0;
	if (!v || v->type != VALUE_LIST || !v->n)
		return NULL;
	out = arena_alloc(a, st_mult(v->n, sizeof(*out)));
	for (i = 0; i < v->n; i++)
		if (v->items[i]->type == VALUE_STRING && v->items[i]->len)
			out[(*n)++] = v->items[i]->str;
	return out;
}

void lint_lang_from_strings(struct lint_lang *l, const char *tag, const struct value *strings,
			    struct arena *a)
{
	memset(l, 0, sizeof(*l));
	l->tag = tag;
	l->vague = string_list(strings, "vague_links", &l->n_vague, a);
	l->new_window = string_list(strings, "new_window_words", &l->n_new_window, a);
	l->common = string_list(strings, "common_words", &l->n_common, a);
}

struct linter *linter_new(const struct lint_lang *langs, size_t n)
{
	struct linter *l = xcalloc(1, sizeof(*l));
	size_t i, j;
	/* libxml2 sets up its global state here, before threads use it. */
	xmlInitParser();
	l->sets = xcalloc(n ? n : 1, sizeof(*l->sets));
	l->n_sets = n;
	for (i = 0; i < n; i++) {
		struct lint_set *s = &l->sets[i];
		s->tag = arena_strdup(&l->arena, langs[i].tag);
		for (j = 0; j < langs[i].n_vague; j++) {
			const char *v = norm_copy(&l->arena, langs[i].vague[j]);
			if (*v)
				hash_put(&s->vague, v, (void *)v);
		}
		s->new_window = arena_alloc(&l->arena,
					    st_mult(langs[i].n_new_window + 1, sizeof(char *)));
		for (j = 0; j < langs[i].n_new_window; j++) {
			const char *v = norm_copy(&l->arena, langs[i].new_window[j]);
			if (*v)
				s->new_window[s->n_new_window++] = v;
		}
		for (j = 0; j < langs[i].n_common && i < LINT_MAX_LANGS; j++) {
			const char *v = norm_copy(&l->arena, langs[i].common[j]);
			size_t len = strlen(v);
			uintptr_t mask = (uintptr_t)hash_get(&l->words, v);
			if (!len || len >= LINT_MAX_WORD || (mask >> i & 1))
				continue;
			hash_put(&l->words, v, (void *)(mask | (uintptr_t)1 << i));
			s->n_common++;
			if (len > l->longest_word)
				l->longest_word = len;
		}
	}
	return l;
}

void linter_free(struct linter *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < l->n_sets; i++)
		hash_release(&l->sets[i].vague);
	hash_release(&l->words);
	free(l->sets);
	arena_release(&l->arena);
	free(l);
}

const struct lint_set *lint_find_set(const struct linter *l, const char *tag)
{
	size_t i;
	if (!tag || !*tag)
		return NULL;
	for (i = 0; i < l->n_sets; i++)
		if (!strcmp(l->sets[i].tag, tag))
			return &l->sets[i];
	for (i = 0; i < l->n_sets; i++)
		if (lint_lang_same(l->sets[i].tag, tag))
			return &l->sets[i];
	return NULL;
}

/* --- foreign words ---------------------------------------------------------- */

/* Words: letters (ASCII, and any code point from U+00C0 that is not
 * punctuation or a symbol), digits, and an apostrophe between letters. */
static int is_word_cp(unsigned long c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	return c >= 0xC0 && c != 0xD7 && c != 0xF7 && c != 0xFFFD &&
	       !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F) && c < 0x1F000;
}

/* Folds the word at p[*i] into word[] (max bytes at most) and moves *i
 * past it. Returns its length, or 0 when it holds a digit or is longer than
 * max (then it is in no list). ASCII, most of the text, takes the short way. */
static size_t read_word(const unsigned char *p, size_t n, size_t *i, char *word, size_t max)
{
	size_t wlen = 0, k, at = *i;
	unsigned long c;
	int skip = 0;
	while (at < n) {
		unsigned char b = p[at];
		if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
			if (wlen < max)
				word[wlen++] = (char)(b | 0x20);
			else
				skip = 1;
			at++;
			continue;
		}
		if (b >= '0' && b <= '9') {
			skip = 1;
			at++;
			continue;
		}
		k = b < 0x80 ? (c = b, 1) : lint_utf8_next(p + at, n - at, &c);
		if (!is_word_cp(c)) {
			unsigned long c2;
			/* don't, it's, d’Artagnan */
			if ((c == '\'' || c == 0x2019) && wlen && at + k < n &&
			    is_word_cp((lint_utf8_next(p + at + k, n - at - k, &c2), c2))) {
				if (wlen < max)
					word[wlen++] = '\'';
				else
					skip = 1;
				at += k;
				continue;
			}
			break;
		}
		if (wlen + k > max)
			skip = 1;
		else if (c >= 0xC0 && c <= 0xDE && c != 0xD7) {
			word[wlen++] = (char)0xC3;
			word[wlen++] = (char)(p[at + 1] + 0x20);
		} else {
			memcpy(word + wlen, p + at, k);
			wlen += k;
		}
		at += k;
	}
	*i = at;
	word[wlen] = '\0';
	return skip ? 0 : wlen;
}

int lint_foreign_run(const struct linter *l, size_t own, const char *s, size_t *other,
		     size_t *first, size_t *last)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, j, n_langs = l->n_sets < LINT_MAX_LANGS ? l->n_sets
									: LINT_MAX_LANGS;
	/* Per language: words in the current run, and where it starts and ends. */
	int count[LINT_MAX_LANGS];
	size_t from[LINT_MAX_LANGS], to[LINT_MAX_LANGS];
	int quoted = 0;
	char word[LINT_MAX_WORD];
	if (own >= n_langs)
		return 0;
	memset(count, 0, sizeof(count));
	while (i < n) {
		size_t start = i;
		unsigned long c;
		size_t k;
		uintptr_t mask;
		if (p[i] < 0x80 && p[i] != '"' && !((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') &&
		    !(p[i] >= '0' && p[i] <= '9')) {
			i++;  /* spaces and punctuation */
			continue;
		}
		k = p[i] < 0x80 ? (c = p[i], 1) : lint_utf8_next(p + i, n - i, &c);
		if (!is_word_cp(c)) {
			if (c == '"')
				quoted = !quoted;
			else if (c == 0x201C || c == 0xAB)
				quoted = 1;
			else if (c == 0x201D || c == 0xBB)
				quoted = 0;
			i += k;
			continue;
		}
		if (!read_word(p, n, &i, word, l->longest_word) || quoted)
			continue;
		mask = (uintptr_t)hash_get(&l->words, word);
		if (!mask)
			continue;  /* a name or a content word: runs go on */
		for (j = 0; j < n_langs; j++) {
			int in_j = mask >> j & 1;
			if (j == own || in_j == (int)(mask >> own & 1))
				continue;  /* words of both languages do not count */
			if (in_j) {
				if (!count[j]++)
					from[j] = start;
				to[j] = i;
			} else {
				/* A word of the text's own language ends the run. */
				if (count[j] >= LINT_FOREIGN_RUN)
					break;
				count[j] = 0;
			}
		}
		if (j < n_langs)
			break;
	}
	for (j = 0; j < n_langs; j++)
		if (j != own && count[j] >= LINT_FOREIGN_RUN) {
			*other = j;
			*first = from[j];
			*last = to[j];
			return 1;
		}
	return 0;
}
