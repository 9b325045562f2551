/* readability.h - reading level of a page's visible text: words and
 * sentences by ICU break iterators, syllables by a counter per language, and
 * the formula of the language (Flesch-Kincaid grade for English; INFLESZ and
 * Fernández-Huerta for Spanish). Never prints. ICU break iterators are not
 * safe to share and slow to open: each thread opens its own per locale on
 * first use and keeps them (freed when the thread exits, or by
 * readability_thread_release).
 *
 * What counts (docs/report-schema.md refers here):
 *  - A word is an ICU word segment (UBRK_WORD) with letters or digits, so
 *    "don't", "kp.org", "1,200", "café" and "x@y.com" are one word each;
 *    punctuation, spaces and symbols alone ("%", "$", "-") are not words.
 *    Segments joined only by hyphens or URL punctuation (- / : @ . _ & + #
 *    % = ? ~ ') with no space are one word, as Flesch counted hyphenated
 *    words, figures and their combinations: "Wi-Fi", "24/7", "10:30",
 *    "1-833-574-2273" and "https://kp.org/getcare" are one word each.
 *    An en or em dash separates words. "a. m." (Spanish) is two words.
 *  - A sentence is an ICU sentence segment (UBRK_SENTENCE, with the CLDR
 *    abbreviation list: locale keyword ss=standard) that holds at least one
 *    word. A line end is a sentence end, so a heading or list item without a
 *    full stop is a sentence. A full stop after a title such as "Dr.",
 *    "Mrs.", "Sra." or "EE." does not end one (READABILITY_ABBREVIATIONS in
 *    readability.c); nor does "a. m." before a lowercase word (ICU's rules).
 *  - Syllables (English and Spanish only; 0 for other languages) are counted
 *    per word segment by readability_syllables; a segment of digits alone
 *    has none, and every word has at least one, so "911" and
 *    "1-833-574-2273" are one syllable each. The counts are estimates from
 *    spelling, as every readability tool's are. */
#ifndef CAREPRESS_READABILITY_H
#define CAREPRESS_READABILITY_H

#include <stddef.h>

#define READABILITY_SCALE_FK "flesch-kincaid-grade"
#define READABILITY_SCALE_INFLESZ "inflesz"

/* Default targets: English at most grade 8; Spanish INFLESZ at least 55
 * ("normal" or easier). */
#define READABILITY_TARGET_FK 8.0
#define READABILITY_TARGET_INFLESZ 55.0

struct readability {
	size_t words, sentences, syllables;
	/* Flesch-Kincaid grade (en) = 0.39 W/S + 11.8 Y/W - 15.59, or
	 * INFLESZ (es, Szigriszt-Pazos perspicuity) = 206.835 - 62.3 Y/W - W/S;
	 * 0 when scale is NULL. */
	double score;
	/* es only: Fernández-Huerta = 206.84 - 0.60 P - 1.02 F, P syllables per
	 * 100 words, F words per sentence; 0 otherwise. F is often cited as
	 * "sentences per 100 words", which makes shorter sentences score as
	 * harder: an error in the formula's transcription (G. Law, LINGUIST
	 * List 22.2332, 2011; Flesch's formula, which it adapts, uses words per
	 * sentence). */
	double fernandez_huerta;
	/* READABILITY_SCALE_FK, READABILITY_SCALE_INFLESZ, or NULL when the
	 * language has no formula or the text has no words (nothing measured). */
	const char *scale;
};

/* Measures text (UTF-8, need not be NUL-terminated; paragraphs separated
 * by blank lines, as markdown_render's md_result.text) written in language
 * lang (a BCP 47 tag: "en", "es-419"; the primary subtag picks the syllable
 * counter and formula; NULL or "" for none). Fills *out (zeroed first).
 * Thread-safe. Returns 0, or -1 if ICU fails (or len exceeds INT32_MAX)
 * with *out zeroed. */
int readability_measure(const char *text, size_t len, const char *lang,
			struct readability *out);

/* Syllables of one word segment s (len bytes, UTF-8) in language lang:
 * English, vowel groups (a e i o u, y but before a vowel) less a silent final
 * e (not in -Cle: "ta-ble"), -ed (not after t, d or in -Cled) and -es (not
 * after s x z c g ch sh or in -Cles), with contractions ('s 're 've 'll 'd
 * 'm 't) adding none but n't after a consonant ("could-n't"); Spanish,
 * vowel groups split between strong vowels (a e o, and accented í ú: "dí-a")
 * and joined with weak ones (i u ü, and y at the end: "muy"), so
 * diphthongs and triphthongs are one syllable and hiatus two. Digits and
 * punctuation separate groups. At least 1 when s has a letter, 0 when it
 * has none; 0 for other languages. */
size_t readability_syllables(const char *s, size_t len, const char *lang);

/* Frees this thread's break iterators, if any. Threads made with
 * pthread_create free theirs when they exit; the main thread calls this (a
 * leak checker would see them otherwise). */
void readability_thread_release(void);

/* The default target of scale: READABILITY_TARGET_FK or
 * READABILITY_TARGET_INFLESZ; 0 for NULL or an unknown scale. */
double readability_default_target(const char *scale);

/* 1 if r is harder to read than target allows: a Flesch-Kincaid grade above
 * target, or an INFLESZ below target; 0 otherwise (and when nothing was
 * measured). */
int readability_over_target(const struct readability *r, double target);

/* The INFLESZ band of score: "very-difficult" (< 40), "somewhat-difficult"
 * (40 to < 55), "normal" (55 to < 65), "fairly-easy" (65 to 80) or
 * "very-easy" (> 80); the bands of the scale are "muy difícil", "algo
 * difícil", "normal", "bastante fácil", "muy fácil". */
const char *readability_inflesz_band(double score);

#endif
