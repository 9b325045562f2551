/* readability.c - words, sentences and syllables of a page's visible text,
 * and the reading-level formulas (what counts is in readability.h). ICU
 * break iterators are not safe to share, and opening one (with its
 * abbreviation filter) costs more than measuring a page, so each thread
 * keeps its own per locale in a pthread key. Never prints. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include "readability.h"
#include "util.h"

enum lang_kind { LANG_OTHER, LANG_EN, LANG_ES };

/* A full stop after one of these does not end a sentence: titles written
 * before a name, which ICU's CLDR lists (ss=standard) lack for some
 * languages ("Dr." in English, "EE. UU." in Spanish). Only words that
 * hardly ever end a sentence; compared case-sensitively. */
static const char *const abbrev_en[] = { "Dr", "Mr", "Mrs", "Ms", "Mx", "Prof", "vs", NULL };
static const char *const abbrev_es[] = {
	"Dr", "Dra", "Sr", "Sra", "Srta", "Sres", "Ud", "Uds", "Lic", "Ing", "EE",
	"Tel", "tel", "núm", "Núm", NULL
};

/* The language of a BCP 47 tag by its primary subtag, any case. */
static enum lang_kind lang_kind(const char *tag)
{
	char a, b;
	if (!tag || !tag[0] || !tag[1] || (tag[2] && tag[2] != '-' && tag[2] != '_'))
		return LANG_OTHER;
	a = (char)(tag[0] | 0x20);
	b = (char)(tag[1] | 0x20);
	if (a == 'e' && b == 'n')
		return LANG_EN;
	if (a == 'e' && b == 's')
		return LANG_ES;
	return LANG_OTHER;
}

/* --- syllables --- */

#define APOS ((UChar32)-2)  /* an apostrophe inside a word segment */
#define VOWEL_MARKED 1      /* acute, grave, circumflex, tilde: "í" */
#define VOWEL_DIAERESIS 2   /* "ü", "ï": a vowel sounded on its own */

/* The plain vowel of lowercase c ('a' 'e' 'i' 'o' 'u' 'y'), or 0 for a
 * consonant; *marks gets VOWEL_MARKED or VOWEL_DIAERESIS. Latin-1 letters
 * and oe; text is NFC, so accents are precomposed. */
static char vowel_base(UChar32 c, int *marks)
{
	static const char latin1[] = /* U+00E0 .. U+00FF */
		"aaaaaaa\0eeeeiiii\0\0ooooo\0o" "uuuuy\0y";
	*marks = 0;
	if (c < 0x80)
		return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' ? (char)c
											      : 0;
	if (c == 0x153) /* oe */
		return 'o';
	if (c < 0xE0 || c > 0xFF || !latin1[c - 0xE0])
		return 0;
	if (c == 0xE4 || c == 0xEB || c == 0xEF || c == 0xF6 || c == 0xFC || c == 0xFF)
		*marks = VOWEL_DIAERESIS;
	else if (c != 0xE6 && c != 0xF8) /* ae and o-slash are plain letters */
		*marks = VOWEL_MARKED;
	return latin1[c - 0xE0];
}

/* English: is c[i] a vowel? y is one but before a vowel ("yes", "player"). */
static int en_vowel(const UChar32 *c, size_t n, size_t i)
{
	int m;
	char v = vowel_base(c[i], &m);
	if (v == 'y') {
		char next = i + 1 < n ? vowel_base(c[i + 1], &m) : 0;
		return !next || next == 'y';
	}
	return v != 0;
}

/* English: is c[l] the l of a syllable "consonant + le" (ta-ble,
 * han-dled)? Not after l, r or w: called, curled, howled. */
static int en_cle(const UChar32 *c, size_t n, size_t l)
{
	return c[l] == 'l' && l >= 1 && !en_vowel(c, n, l - 1) && c[l - 1] != 'l' &&
	       c[l - 1] != 'r' && c[l - 1] != 'w';
}

/* English syllables of one run of letters (lowercase): vowel groups, less a
 * silent final e, -ed or -es. */
static size_t en_run(const UChar32 *c, size_t n)
{
	size_t g = 0, i;
	int prev = 0;
	for (i = 0; i < n; i++) {
		int m, v = en_vowel(c, n, i);
		vowel_base(c[i], &m);
		if (v && (!prev || m == VOWEL_DIAERESIS)) /* "na-ïve" */
			g++;
		prev = v;
	}
	if (g < 2 || n < 2)
		return g;
	if (c[n - 1] == 'e' && !en_vowel(c, n, n - 2)) {
		/* care, while; but ta-ble, peo-ple */
		if (!en_cle(c, n, n - 2))
			g--;
	} else if (n >= 3 && c[n - 2] == 'e' && (c[n - 1] == 'd' || c[n - 1] == 's') &&
		   !en_vowel(c, n, n - 3)) {
		UChar32 p = c[n - 3];
		int keep;
		if (c[n - 1] == 'd') /* called; but need-ed, want-ed */
			keep = p == 't' || p == 'd';
		else                 /* makes; but box-es, plac-es, chang-es, wish-es */
			keep = p == 's' || p == 'x' || p == 'z' || p == 'c' || p == 'g' ||
			       (p == 'h' && n >= 4 && (c[n - 4] == 'c' || c[n - 4] == 's'));
		if (en_cle(c, n, n - 3)) /* han-dled, ta-bles */
			keep = 1;
		if (!keep)
			g--;
	}
	return g;
}

/* English contractions after an apostrophe: no syllable of their own. */
static int en_contraction(const UChar32 *c, size_t n)
{
	static const char *const tails[] = { "s", "d", "ll", "re", "ve", "m", "t" };
	size_t i, j;
	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		if (strlen(tails[i]) != n)
			continue;
		for (j = 0; j < n && c[j] == (UChar32)tails[i][j]; j++)
			;
		if (j == n)
			return 1;
	}
	return 0;
}

/* Spanish: 2 for a strong vowel (a e o, accented í ú), 1 for a weak one
 * (i u ü, y at the end of a word: "muy", "hoy", "y"), 0 for a consonant. */
static int es_class(const UChar32 *c, size_t n, size_t i)
{
	int m;
	char v = vowel_base(c[i], &m);
	switch (v) {
	case 0:
		return 0;
	case 'y':
		return i + 1 == n ? 1 : 0;
	case 'i':
	case 'u':
		return m == VOWEL_MARKED ? 2 : 1;
	default:
		return 2;
	}
}

/* Spanish syllables of one run of letters: each group of vowels is one
 * syllable per strong vowel (hiatus: "ví-de-o"), and one if it has only
 * weak ones (diphthong: "ciu-dad"). */
static size_t es_run(const UChar32 *c, size_t n)
{
	size_t g = 0, strong = 0, i;
	int in = 0;
	for (i = 0; i < n; i++) {
		int k = es_class(c, n, i);
		if (k) {
			in = 1;
			strong += k == 2;
		} else if (in) {
			g += strong ? strong : 1;
			strong = 0;
			in = 0;
		}
	}
	if (in)
		g += strong ? strong : 1;
	return g;
}

/* readability_syllables for a language already classified: the measure
 * counts every word of a page, and classifies its language once. */
static size_t syllables(const char *s, size_t len, enum lang_kind k)
{
	UChar32 stack[64], *c = stack;
	size_t n = 0, i = 0, total = 0, run, prev_start = 0, prev_n = 0;
	int letters = 0, after_apos = 0;
	if (k == LANG_OTHER || len > INT32_MAX)
		return 0;
	if (len > ARRAY_SIZE(stack))
		c = xmalloc(st_mult(len, sizeof(*c)));
	/* Lowercase letters; apostrophes marked; anything else a 0 separator. */
	while (i < len) {
		UChar32 cp;
		int32_t at = (int32_t)i;
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			/* Most text is ASCII: no call into ICU for it. */
			i++;
			c[n++] = b == '\'' ? APOS
				: (b | 0x20) >= 'a' && (b | 0x20) <= 'z' ? (UChar32)(b | 0x20) : 0;
			continue;
		}
		U8_NEXT(s, at, (int32_t)len, cp);
		i = (size_t)at;
		if (cp == 0x2019)
			c[n++] = APOS;
		else if (cp >= 0 && u_isalpha(cp))
			c[n++] = u_tolower(cp);
		else
			c[n++] = 0;
	}
	for (i = 0; i < n; i = run) {
		size_t g;
		if (c[i] == 0 || c[i] == APOS) {
			after_apos = c[i] == APOS && i > 0 && c[i - 1] > 0;
			run = i + 1;
			continue;
		}
		for (run = i; run < n && c[run] > 0; run++)
			;
		letters = 1;
		if (k == LANG_ES) {
			g = es_run(c + i, run - i);
		} else if (after_apos && en_contraction(c + i, run - i)) {
			/* could-n't, did-n't; but don't, can't */
			const UChar32 *p = c + prev_start;
			g = run - i == 1 && c[i] == 't' && prev_n >= 2 && p[prev_n - 1] == 'n' &&
			    !en_vowel(p, prev_n, prev_n - 2);
		} else {
			g = en_run(c + i, run - i);
		}
		total += g;
		prev_start = i;
		prev_n = run - i;
		after_apos = 0;
	}
	if (c != stack)
		free(c);
	return letters && !total ? 1 : total;
}

size_t readability_syllables(const char *s, size_t len, const char *lang)
{
	return syllables(s, len, lang_kind(lang));
}

/* --- words and sentences --- */

/* Characters that join two word segments into one word when they are all
 * that stands between them: hyphens (not en or em dashes) and the
 * punctuation of URLs, e-mail addresses, times and fractions. */
static int joiner(UChar32 c)
{
	return c == 0x2010 || c == 0x2011 || c == 0x2019 ||
	       (c > 0 && c < 0x80 && strchr("-/:@._&+#%=?~'", (int)c));
}

static int joined(const char *text, int32_t from, int32_t to)
{
	int32_t i = from;
	if (from >= to)
		return 0; /* ICU split there itself (ideographs) */
	while (i < to) {
		UChar32 c;
		U8_NEXT(text, i, to, c);
		if (!joiner(c))
			return 0;
	}
	return 1;
}

static int is_word_byte(unsigned char b)
{
	return b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* 1 if the sentence boundary at b follows "Dr. " or another word of list. */
static int suppressed(const char *text, int32_t len, int32_t b, const char *const *list)
{
	int32_t e = b, s;
	size_t i;
	if (!list || b >= len)
		return 0;
	for (;;) {
		if (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t')) {
			e--;
		} else if (e > 1 && (unsigned char)text[e - 2] == 0xC2 &&
			   (unsigned char)text[e - 1] == 0xA0) {
			e -= 2; /* no-break space, as in "a. m." */
		} else {
			break;
		}
	}
	if (e == 0 || text[e - 1] != '.')
		return 0;
	for (s = --e; s > 0 && is_word_byte((unsigned char)text[s - 1]); s--)
		if (s > 1 && (unsigned char)text[s - 2] == 0xC2 && (unsigned char)text[s - 1] == 0xA0)
			break; /* a no-break space is not part of the word */
	if (s > 0 && text[s - 1] >= '0' && text[s - 1] <= '9')
		return 0;
	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == (size_t)(e - s) && !memcmp(text + s, list[i], (size_t)(e - s)))
			return 1;
	return 0;
}

/* The next sentence boundary of it as a byte offset in text, or len at the
 * end; to_byte maps the iterator's UTF-16 offsets to bytes. */
static int32_t next_sentence(UBreakIterator *it, const int32_t *to_byte, const char *text,
			     int32_t len, const char *const *list)
{
	int32_t b;
	while ((b = ubrk_next(it)) != UBRK_DONE)
		if (!suppressed(text, len, to_byte[b], list))
			return to_byte[b];
	return len;
}


/* ICU locale id for tag, with CLDR's sentence-break suppressions. */
static void icu_locale(const char *tag, char *loc, int32_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	if (tag && *tag)
		uloc_forLanguageTag(tag, loc, cap, NULL, &st);
	if (!tag || !*tag || U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		strcpy(loc, "root");
	st = U_ZERO_ERROR;
	uloc_setKeywordValue("ss", "standard", loc, cap, &st);
}

/* This thread's break iterators, one pair per locale met (a site has a few
 * languages; past READER_LOCALES the oldest slot is reopened). */
#define READER_LOCALES 8

struct reader_slot {
	char locale[ULOC_FULLNAME_CAPACITY];
	UBreakIterator *words, *sentences;
};

struct reader {
	struct reader_slot slot[READER_LOCALES];
	size_t n, next_evict;
	/* The text in UTF-16, which ICU iterates far faster than UTF-8
	 * through a UText, and for each of its code units the byte offset
	 * of its character in the UTF-8 text (one more: the length). */
	UChar *u;
	int32_t *to_byte;
	size_t cap;
};

static pthread_key_t reader_key;
static pthread_once_t reader_key_once = PTHREAD_ONCE_INIT;
static int reader_key_ok;

static void slot_close(struct reader_slot *s)
{
	if (s->words)
		ubrk_close(s->words);
	if (s->sentences)
		ubrk_close(s->sentences);
	memset(s, 0, sizeof(*s));
}

static void reader_free(void *p)
{
	struct reader *r = p;
	size_t i;
	for (i = 0; i < r->n; i++)
		slot_close(&r->slot[i]);
	free(r->u);
	free(r->to_byte);
	free(r);
}

static void reader_key_create(void)
{
	reader_key_ok = pthread_key_create(&reader_key, reader_free) == 0;
}

/* This thread's reader, made on first use; NULL if there is no key. */
static struct reader *thread_reader(void)
{
	struct reader *r;
	pthread_once(&reader_key_once, reader_key_create);
	if (!reader_key_ok)
		return NULL;
	r = pthread_getspecific(reader_key);
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		if (pthread_setspecific(reader_key, r)) {
			free(r);
			return NULL;
		}
	}
	return r;
}

/* r's iterators for locale, opened on first use; NULL if ICU fails. They
 * keep the text of their last use: set a new one before use. */
static struct reader_slot *reader_slot(struct reader *r, const char *locale)
{
	struct reader_slot *s;
	UBreakIterator *words = NULL, *sentences = NULL;
	UErrorCode st = U_ZERO_ERROR;
	size_t i;
	for (i = 0; i < r->n; i++)
		if (!strcmp(r->slot[i].locale, locale))
			return &r->slot[i];
	words = ubrk_open(UBRK_WORD, locale, NULL, 0, &st);
	sentences = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
	if (U_FAILURE(st)) {
		if (words)
			ubrk_close(words);
		if (sentences)
			ubrk_close(sentences);
		return NULL;
	}
	if (r->n < READER_LOCALES) {
		s = &r->slot[r->n++];
	} else {
		s = &r->slot[r->next_evict];
		r->next_evict = (r->next_evict + 1) % READER_LOCALES;
		slot_close(s);
	}
	snprintf(s->locale, sizeof(s->locale), "%s", locale);
	s->words = words;
	s->sentences = sentences;
	return s;
}

/* Converts text (len bytes of UTF-8; a malformed byte becomes U+FFFD) into
 * r->u, and fills r->to_byte. Returns its length in UTF-16 code units. */
static int32_t to_utf16(struct reader *r, const char *text, int32_t len)
{
	int32_t i = 0, n = 0;
	/* At most one code unit a byte, plus the end. */
	if ((size_t)len + 1 > r->cap) {
		r->cap = (size_t)len + 1;
		free(r->u);
		free(r->to_byte);
		r->u = xmalloc(st_mult(r->cap, sizeof(*r->u)));
		r->to_byte = xmalloc(st_mult(r->cap, sizeof(*r->to_byte)));
	}
	while (i < len) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT(text, i, len, c);
		if (c < 0)
			c = 0xFFFD;
		r->to_byte[n] = at;
		if (U_IS_BMP(c)) {
			r->u[n++] = (UChar)c;
		} else {
			r->u[n++] = U16_LEAD(c);
			r->to_byte[n] = at;
			r->u[n++] = U16_TRAIL(c);
		}
	}
	r->to_byte[n] = len;
	return n;
}

void readability_thread_release(void)
{
	struct reader *r;
	pthread_once(&reader_key_once, reader_key_create);
	if (!reader_key_ok)
		return;
	r = pthread_getspecific(reader_key);
	if (r) {
		reader_free(r);
		pthread_setspecific(reader_key, NULL);
	}
}

int readability_measure(const char *text, size_t len, const char *lang, struct readability *out)
{
	enum lang_kind k = lang_kind(lang);
	const char *const *list = k == LANG_EN ? abbrev_en : k == LANG_ES ? abbrev_es : NULL;
	char locale[ULOC_FULLNAME_CAPACITY];
	UErrorCode st = U_ZERO_ERROR;
	struct reader *rd;
	struct reader_slot *slot;
	UBreakIterator *words, *sentences;
	const int32_t *to_byte;
	int32_t n = (int32_t)len, n16, start, end, sentence_end = 0, prev_end = 0;
	size_t word_syllables = 0;
	int in_word = 0, ret = -1;
	memset(out, 0, sizeof(*out));
	if (len > INT32_MAX - 1)
		return -1;
	if (!text)
		text = "";
	icu_locale(lang, locale, (int32_t)sizeof(locale));
	rd = thread_reader();
	slot = rd ? reader_slot(rd, locale) : NULL;
	if (!slot)
		return -1;
	words = slot->words;
	sentences = slot->sentences;
	n16 = to_utf16(rd, text, n);
	to_byte = rd->to_byte;
	ubrk_setText(words, rd->u, n16, &st);
	ubrk_setText(sentences, rd->u, n16, &st);
	if (U_FAILURE(st))
		goto out;
	ubrk_first(sentences);
	for (start = ubrk_first(words); (end = ubrk_next(words)) != UBRK_DONE; start = end) {
		int32_t from = to_byte[start], to = to_byte[end];
		size_t syl;
		if (ubrk_getRuleStatus(words) < UBRK_WORD_NUMBER)
			continue; /* spaces, punctuation, symbols */
		syl = syllables(text + from, (size_t)(to - from), k);
		if (in_word && joined(text, prev_end, from)) {
			word_syllables += syl;
		} else {
			if (in_word)
				out->syllables += word_syllables ? word_syllables : 1;
			out->words++;
			in_word = 1;
			word_syllables = syl;
			if (from >= sentence_end) {
				while (from >= sentence_end)
					sentence_end = next_sentence(sentences, to_byte, text, n, list);
				out->sentences++;
			}
		}
		prev_end = to;
	}
	if (in_word)
		out->syllables += word_syllables ? word_syllables : 1;
	if (k == LANG_OTHER)
		out->syllables = 0;
	if (out->words && k != LANG_OTHER) {
		double w = (double)out->words, s = (double)out->sentences;
		double y = (double)out->syllables;
		if (k == LANG_EN) {
			out->score = 0.39 * (w / s) + 11.8 * (y / w) - 15.59;
			out->scale = READABILITY_SCALE_FK;
		} else {
			out->score = 206.835 - 62.3 * (y / w) - w / s;
			/* F is words per sentence, as in Flesch's formula that
			 * Fernández-Huerta adapted; the common citation "F =
			 * sentences per 100 words" makes shorter sentences
			 * score harder (readability.h). */
			out->fernandez_huerta = 206.84 - 0.60 * (100.0 * y / w) - 1.02 * (w / s);
			out->scale = READABILITY_SCALE_INFLESZ;
		}
	}
	ret = 0;
out:
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

double readability_default_target(const char *scale)
{
	if (!scale)
		return 0;
	if (!strcmp(scale, READABILITY_SCALE_FK))
		return READABILITY_TARGET_FK;
	if (!strcmp(scale, READABILITY_SCALE_INFLESZ))
		return READABILITY_TARGET_INFLESZ;
	return 0;
}

int readability_over_target(const struct readability *r, double target)
{
	if (!r->scale)
		return 0;
	if (!strcmp(r->scale, READABILITY_SCALE_FK))
		return r->score > target;
	if (!strcmp(r->scale, READABILITY_SCALE_INFLESZ))
		return r->score < target;
	return 0;
}

const char *readability_inflesz_band(double score)
{
	if (score < 40)
		return "very-difficult";
	if (score < 55)
		return "somewhat-difficult";
	if (score < 65)
		return "normal";
	if (score <= 80)
		return "fairly-easy";
	return "very-easy";
}
