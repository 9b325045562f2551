/* lint_internal.h - what lint.c and lint_text.c share: the per-language
 * word sets and the text matching of the page checks. Not for other
 * modules: their API is lint.h. */
#ifndef CAREPRESS_LINT_INTERNAL_H
#define CAREPRESS_LINT_INTERNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "buf.h"
#include "hash.h"
#include "lint.h"

/* Words longer than this are in no word list (they are looked up in a
 * stack buffer). */
#define LINT_MAX_WORD 48
/* Bytes of author text quoted in a message or searched for in the source. */
#define LINT_QUOTE_BYTES 60

/* One language's lists, normalized (see lint_norm_text) and hashed. */
struct lint_set {
	const char *tag;
	struct hash vague;           /* normalized link text -> itself */
	const char **new_window;     /* normalized; matched as substrings */
	size_t n_new_window;
	size_t n_common;             /* its words in linter.words */
};

/* Languages past this many (64, or 32 on a 32-bit machine) are not checked
 * for foreign text: each is one bit of a word's mask. */
#define LINT_MAX_LANGS (sizeof(uintptr_t) * CHAR_BIT)

struct linter {
	struct arena arena;          /* every string and array below */
	struct lint_set *sets;
	size_t n_sets;
	/* Folded common word -> bit mask of the languages (sets[i]: bit i) it
	 * is common in, stored as a pointer: one lookup a word, whatever the
	 * number of languages. */
	struct hash words;
	size_t longest_word;         /* bytes; longer words are not looked up */
};

int lint_is_space(unsigned char c);
/* Length of the UTF-8 sequence at s (1 for a stray byte); *cp its code
 * point, or 0xFFFD when malformed. */
size_t lint_utf8_next(const unsigned char *s, size_t n, unsigned long *cp);
/* 1 if s is NULL or only spaces. */
int lint_blank(const char *s);
/* Appends s folded: ASCII and Latin-1 letters lowercased, runs of spaces
 * one space, leading and trailing spaces and punctuation dropped, so
 * "Click  HERE." and "click here" compare equal. */
void lint_norm_text(struct buf *out, const char *s, size_t n);
/* Appends s with spaces trimmed and collapsed, cut after about max bytes
 * (at a character boundary, with "...") when longer: LINT_QUOTE_BYTES for
 * a message, SIZE_MAX for all of it. */
void lint_quote(struct buf *out, const char *s, size_t n, size_t max);
/* 1 if the BCP 47 tags a and b have the same primary language ("es-MX", "es"). */
int lint_lang_same(const char *a, const char *b);
/* 1 if s starts with the lowercase ASCII prefix, ignoring case. */
int lint_ieq_prefix(const char *s, const char *prefix);
/* The first needle in hay, or NULL (memmem, which POSIX lacks). */
const char *lint_find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen);
/* The set of language tag (exact, else same primary language), or NULL. */
const struct lint_set *lint_find_set(const struct linter *l, const char *tag);
/* Finds in text s of language sets[own] the first run of LINT_FOREIGN_RUN
 * or more words common in another language (*other) but not in own, with
 * no word common in own only between them; words in quotes (UI labels)
 * and numbers count for neither. Returns 1 with the run's byte range
 * [*first, *last), or 0. One pass over s for all the other languages. */
int lint_foreign_run(const struct linter *l, size_t own, const char *s, size_t *other,
		     size_t *first, size_t *last);

#endif
