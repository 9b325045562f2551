/* test_readability.c - reading levels of passages counted by hand.
 *
 * What counts as a word (readability.h): an ICU word segment with letters or
 * digits; segments joined only by hyphens or URL punctuation are one word
 * ("Wi-Fi", "24/7", "1-833-574-2273", "https://kp.org/getcare"); "$", "%"
 * and dashes are not words. A sentence is an ICU sentence segment with at
 * least one word: a line end ends one, "Dr." and "Sra." do not, "a. m."
 * before a lowercase word does not. Syllables below are counted by ear,
 * written with hyphens, and each passage uses words whose spelling rules
 * give the spoken count. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <unicode/uclean.h>
#include "readability.h"

static struct readability measure(const char *text, const char *lang)
{
	struct readability r;
	assert_int_equal(readability_measure(text, strlen(text), lang, &r), 0);
	return r;
}

static void check_counts(const char *text, const char *lang, size_t words, size_t sentences,
			 size_t syllables)
{
	struct readability r = measure(text, lang);
	assert_int_equal(r.words, words);
	assert_int_equal(r.sentences, sentences);
	assert_int_equal(r.syllables, syllables);
}

/* |got - want| < 0.005: equal to two decimals. */
static void check_score(double got, double want)
{
	if (fabs(got - want) >= 0.005)
		fail_msg("score %.6f, expected %.2f", got, want);
}

/* If(1) you(1) need(1) care(1) right(1) a-way(2), call(1) your(1)
 * doc-tor(2). = 9 words, 11 syllables
 * A(1) nurse(1) can(1) help(1) you(1) de-cide(2) where(1) to(1) go(1).
 * = 9 words, 10 syllables
 * Bring(1) your(1) mem-ber(2) card(1) and(1) a(1) list(1) of(1) your(1)
 * med-i-cines(3). = 10 words, 13 syllables
 * 28 words, 3 sentences, 34 syllables.
 * FK = 0.39 (28/3) + 11.8 (34/28) - 15.59 = 3.64 + 14.328571 - 15.59
 *    = 2.378571 -> 2.38 */
static const char en_easy[] =
	"If you need care right away, call your doctor. A nurse can help you decide "
	"where to go. Bring your member card and a list of your medicines.";

/* Mem-bers(2) who(1) need(1) ur-gent(2) care(1) should(1) con-tact(2)
 * the(1) ad-vice(2) line(1), which(1) is(1) a-vail-a-ble(4) each(1) day(1).
 * = 15 words, 22 syllables
 * E-mer-gen-cy(4) de-part-ments(3) are(1) re-served(2) for(1)
 * con-di-tions(3) that(1) threat-en(2) life(1) or(1) limb(1).
 * = 11 words, 20 syllables
 * 26 words, 2 sentences, 42 syllables.
 * FK = 0.39 (26/2) + 11.8 (42/26) - 15.59 = 5.07 + 19.061538 - 15.59
 *    = 8.541538 -> 8.54 (above the default target, grade 8) */
static const char en_hard[] =
	"Members who need urgent care should contact the advice line, which is "
	"available each day.\n\nEmergency departments are reserved for conditions "
	"that threaten life or limb.";

/* Si(1) ne-ce-si-ta(4) a-ten-ción(3), lla-me(2) a(1) su(1) mé-di-co(3).
 * = 7 words, 15 syllables
 * U-na(2) en-fer-me-ra(4) le(1) pue-de(2) a-yu-dar(3). = 5 words, 12
 * Trai-ga(2) su(1) tar-je-ta(3) de(1) miem-bro(2). = 5 words, 9
 * 17 words, 3 sentences, 36 syllables.
 * INFLESZ = 206.835 - 62.3 (36/17) - 17/3
 *         = 206.835 - 131.929412 - 5.666667 = 69.238922 -> 69.24 (fairly easy)
 * Fernández-Huerta = 206.84 - 0.60 (3600/17) - 1.02 (17/3)
 *         = 206.84 - 127.058824 - 5.78 = 74.001176 -> 74.00
 * (P syllables per 100 words, F words per sentence: readability.h) */
static const char es_easy[] =
	"Si necesita atención, llame a su médico. Una enfermera le puede ayudar. "
	"Traiga su tarjeta de miembro.";

/* La(1) a-ten-ción(3) de(1) ur-gen-cia(3) es-tá(2) dis-po-ni-ble(4)
 * pa-ra(2) con-di-cio-nes(4) que(1) re-quie-ren(3) e-va-lua-ción(4)
 * in-me-dia-ta(4), aun-que(2) no(1) re-pre-sen-tan(4) u-na(2)
 * e-mer-gen-cia(4) mé-di-ca(3).
 * 18 words, 1 sentence, 48 syllables (diphthongs: cia, cio, quie, lua,
 * ción, dia, aun, que).
 * INFLESZ = 206.835 - 62.3 (48/18) - 18/1
 *         = 206.835 - 166.133333 - 18 = 22.701667 -> 22.70 (very difficult)
 * Fernández-Huerta = 206.84 - 0.60 (4800/18) - 1.02 (18/1)
 *         = 206.84 - 160 - 18.36 = 28.48 */
static const char es_hard[] =
	"La atención de urgencia está disponible para condiciones que requieren "
	"evaluación inmediata, aunque no representan una emergencia médica.";

/* Lla-me(2) hoy(1) de(1) 7(1) a(1) m(1) a(1) 7(1) p(1) m(1) al(1) 711(1).
 * = 12 words, 13 syllables ("a. m." is two words; a number or a letter
 * without a vowel is one syllable; "a. m. a" and "p. m. al" do not end
 * the sentence: a lowercase word follows)
 * La(1) con-sul-ta(3) por(1) vi-de-o(3) es(1) muy(1) fá-cil(2) y(1) no(1)
 * tie-ne(2) cos-to(2). = 11 words, 18 syllables (hiatus in de-o; y at
 * the end of "muy" and alone is a vowel)
 * 23 words, 2 sentences, 31 syllables.
 * INFLESZ = 206.835 - 62.3 (31/23) - 23/2
 *         = 206.835 - 83.969565 - 11.5 = 111.365435 -> 111.37 (very easy)
 * Fernández-Huerta = 206.84 - 0.60 (3100/23) - 1.02 (23/2)
 *         = 206.84 - 80.869565 - 11.73 = 114.240435 -> 114.24 */
static const char es_hours[] =
	"Llame hoy de 7 a. m. a 7 p. m. al 711. La consulta por video es muy fácil "
	"y no tiene costo.";

static void test_english_passages(void **state)
{
	struct readability r;
	(void)state;
	r = measure(en_easy, "en");
	assert_int_equal(r.words, 28);
	assert_int_equal(r.sentences, 3);
	assert_int_equal(r.syllables, 34);
	assert_string_equal(r.scale, READABILITY_SCALE_FK);
	check_score(r.score, 2.38);
	assert_true(r.fernandez_huerta == 0);
	assert_int_equal(readability_over_target(&r, READABILITY_TARGET_FK), 0);

	r = measure(en_hard, "en-US");
	assert_int_equal(r.words, 26);
	assert_int_equal(r.sentences, 2);
	assert_int_equal(r.syllables, 42);
	check_score(r.score, 8.54);
	assert_int_equal(readability_over_target(&r, READABILITY_TARGET_FK), 1);
	assert_int_equal(readability_over_target(&r, 9), 0);
}

static void test_spanish_passages(void **state)
{
	struct readability r;
	(void)state;
	r = measure(es_easy, "es");
	assert_int_equal(r.words, 17);
	assert_int_equal(r.sentences, 3);
	assert_int_equal(r.syllables, 36);
	assert_string_equal(r.scale, READABILITY_SCALE_INFLESZ);
	check_score(r.score, 69.24);
	check_score(r.fernandez_huerta, 74.00);
	assert_string_equal(readability_inflesz_band(r.score), "fairly-easy");
	assert_int_equal(readability_over_target(&r, READABILITY_TARGET_INFLESZ), 0);

	r = measure(es_hard, "es-419");
	assert_int_equal(r.words, 18);
	assert_int_equal(r.sentences, 1);
	assert_int_equal(r.syllables, 48);
	check_score(r.score, 22.70);
	check_score(r.fernandez_huerta, 28.48);
	assert_string_equal(readability_inflesz_band(r.score), "very-difficult");
	assert_int_equal(readability_over_target(&r, READABILITY_TARGET_INFLESZ), 1);

	r = measure(es_hours, "ES");
	assert_int_equal(r.words, 23);
	assert_int_equal(r.sentences, 2);
	assert_int_equal(r.syllables, 31);
	check_score(r.score, 111.37);
	check_score(r.fernandez_huerta, 114.24);
	assert_string_equal(readability_inflesz_band(r.score), "very-easy");
}

static void test_empty_text(void **state)
{
	struct readability r;
	(void)state;
	assert_int_equal(readability_measure(NULL, 0, "en", &r), 0);
	assert_int_equal(r.words + r.sentences + r.syllables, 0);
	assert_null(r.scale);  /* nothing measured: no score, never over target */
	assert_true(r.score == 0);
	assert_int_equal(readability_over_target(&r, READABILITY_TARGET_FK), 0);
	check_counts("", "es", 0, 0, 0);
	/* Punctuation, symbols and blank lines alone are no words or sentences. */
	check_counts("¿? — ... %\n\n  $ \n\n", "es", 0, 0, 0);
	assert_null(measure("  -- ", "en").scale);
}

static void test_sentences(void **state)
{
	(void)state;
	/* No full stop: the text is one sentence. Call(1) us(1) to-day(2). */
	check_counts("Call us today", "en", 3, 1, 4);
	/* A heading (a line of its own) is a sentence. */
	check_counts("Urgent care\n\nCall us now.", "en", 5, 2, 6);
	/* So is a line after a hard line break. */
	check_counts("123 Main St\nOakland", "en", 4, 2, 5);
	/* Questions and exclamations, with Spanish opening marks. */
	check_counts("¿Qué hace? ¡Llame ya!", "es", 4, 2, 6);
	/* "Dr." before a name does not end a sentence. Dr(1) Lee(1) will(1)
	 * see(1) you(1). Then(1) go(1) home(1). */
	check_counts("Dr. Lee will see you. Then go home.", "en", 8, 2, 8);
	check_counts("Mrs. Lee and Mr. Ng will call.", "en", 7, 1, 7);
	/* Nor do Spanish titles and "EE. UU.":
	 * Lla-me(2) al(1) Dr(1) Gar-cí-a(3) o(1) a(1) la(1) Sra(1) Ló-pez(2)
	 * en(1) E-E(2) UU(1) hoy(1) = 13 words, 18 syllables. */
	check_counts("Llame al Dr. García o a la Sra. López en EE. UU. hoy.", "es", 13, 1, 18);
	/* "a. m." and "p. m." before a lowercase word do not end the sentence;
	 * "p. m." before a capital does. A-bri-mos(3) a(1) las(1) 8(1) a(1)
	 * m(1) y(1) ce-rra-mos(3) a(1) las(1) 5(1) p(1) m(1) = 13 words, 17;
	 * Lla-me(2) hoy(1) = 2 words, 3. */
	check_counts("Abrimos a las 8 a. m. y cerramos a las 5 p. m. Llame hoy.", "es", 15, 2, 20);
	/* The same with no-break spaces inside "a. m.". */
	check_counts("Abrimos a las 8 a.\xC2\xA0m. y cerramos a las 5 p.\xC2\xA0m. Llame hoy.", "es",
		     15, 2, 20);
	/* "a.m." written without spaces is one word. At(1) 9(1) a.m(1) we(1)
	 * o-pen(2). */
	check_counts("At 9 a.m. we open.", "en", 5, 1, 6);
}

static void test_numbers_phones_urls(void **state)
{
	(void)state;
	/* It(1) costs(1) 15(1) or(1) 50(1) off(1). O-pen(2) 24/7(1) at(1)
	 * 10:30(1) for(1) 1,200(1) peo-ple(2). "$" and "%" are not words. */
	check_counts("It costs $15, or 50% off. Open 24/7 at 10:30 for 1,200 people.", "en",
		     13, 2, 15);
	/* A phone number is one word of one syllable. Call(1)
	 * 1-833-574-2273(1) or(1) 711(1) TTY(1). */
	check_counts("Call 1-833-574-2273 or 711 (TTY).", "en", 5, 1, 5);
	/* A vanity number too: 1-833-KP4CARE(1: "care"). */
	check_counts("Call 1-833-KP4CARE now.", "en", 3, 1, 3);
	/* A URL is one word; its syllables are its letters':
	 * Vis-it(2) https(1)+kp.org(1)+get-care(2)=4 to-day(2). */
	check_counts("Visit https://kp.org/getcare today.", "en", 3, 1, 8);
	/* An address without a scheme, and an e-mail address. Go(1) to(1)
	 * kp.org(1). Write(1) to(1) help@kp.org(2). */
	check_counts("Go to kp.org. Write to help@kp.org.", "en", 6, 2, 7);
	/* Hyphens join, an em dash separates: Wi-Fi(2) and(1) e-mail(2)
	 * work(1) most-ly(2). */
	check_counts("Wi-Fi and e-mail work—mostly.", "en", 5, 1, 8);
	/* Contractions are one word: Don't(1) wait(1). You're(1) wel-come(2). */
	check_counts("Don't wait. You're welcome.", "en", 4, 2, 5);
}

static void test_other_languages(void **state)
{
	struct readability r;
	(void)state;
	/* Counts only: no syllable counter and no formula. */
	r = measure("Bonjour le monde. Ça va?", "fr");
	assert_int_equal(r.words, 5);
	assert_int_equal(r.sentences, 2);
	assert_int_equal(r.syllables, 0);
	assert_null(r.scale);
	assert_true(r.score == 0);
	assert_int_equal(readability_over_target(&r, 8), 0);
	/* Japanese has no spaces: ICU's dictionary finds the words
	 * (今日 は 良い 天気 です / 明日 も 晴れ). */
	check_counts("今日は良い天気です。明日も晴れ。", "ja", 8, 2, 0);
	/* No language at all: counts only. */
	r = measure("One two. Three.", NULL);
	assert_int_equal(r.words, 3);
	assert_int_equal(r.sentences, 2);
	assert_null(r.scale);
	/* "e" and "english" are not English. */
	assert_null(measure("One two.", "e").scale);
	assert_null(measure("One two.", "eng").scale);
}

struct syl {
	const char *word;
	size_t n;
};

static void check_syllables(const struct syl *v, size_t n, const char *lang)
{
	size_t i;
	for (i = 0; i < n; i++) {
		size_t got = readability_syllables(v[i].word, strlen(v[i].word), lang);
		if (got != v[i].n)
			fail_msg("%s '%s': %zu syllables, expected %zu", lang, v[i].word, got,
				 v[i].n);
	}
}

static void test_english_syllables(void **state)
{
	static const struct syl v[] = {
		{ "care", 1 }, { "while", 1 }, { "the", 1 }, { "free", 1 }, { "true", 1 },
		{ "table", 2 }, { "people", 2 }, { "available", 4 }, { "simple", 2 },
		{ "called", 1 }, { "used", 1 }, { "needed", 2 }, { "wanted", 2 },
		{ "handled", 2 }, { "curled", 1 },
		{ "makes", 1 }, { "times", 1 }, { "boxes", 2 }, { "places", 2 },
		{ "changes", 2 }, { "wishes", 2 }, { "matches", 2 }, { "tables", 2 },
		{ "services", 3 }, { "medicines", 3 }, { "goes", 1 },
		{ "you", 1 }, { "yes", 1 }, { "player", 2 }, { "beyond", 2 }, { "eye", 1 },
		{ "day", 1 }, { "easy", 2 }, { "TTY", 1 }, { "naïve", 2 }, { "café", 2 },
		{ "don't", 1 }, { "couldn't", 2 }, { "didn\u2019t", 2 }, { "you're", 1 },
		{ "care's", 1 }, { "KP4CARE", 1 }, { "Emergency", 4 },
		{ "911", 0 }, { "", 0 }, { "-", 0 },
	};
	(void)state;
	check_syllables(v, sizeof(v) / sizeof(v[0]), "en");
}

static void test_spanish_syllables(void **state)
{
	static const struct syl v[] = {
		/* diphthongs and triphthongs: one syllable */
		{ "urgencia", 3 }, { "ciudad", 2 }, { "cuidado", 3 }, { "puede", 2 },
		{ "aunque", 2 }, { "Uruguay", 3 }, { "buey", 1 },
		/* hiatus: two strong vowels, or an accented i/u */
		{ "video", 3 }, { "aérea", 4 }, { "día", 2 }, { "país", 2 }, { "río", 2 },
		{ "oído", 3 }, { "prohíbe", 3 }, { "reúne", 3 },
		/* u after q/g and ü */
		{ "que", 1 }, { "guerra", 2 }, { "lingüística", 4 }, { "pingüino", 3 },
		/* y: a vowel at the end, a consonant before a vowel */
		{ "y", 1 }, { "muy", 1 }, { "hoy", 1 }, { "ayudar", 3 }, { "yo", 1 },
		{ "teléfono", 4 }, { "emergencia", 4 }, { "m", 1 }, { "7", 0 },
	};
	(void)state;
	check_syllables(v, sizeof(v) / sizeof(v[0]), "es");
	assert_int_equal(readability_syllables("hello", 5, "fr"), 0);
}

static void test_targets_and_bands(void **state)
{
	struct readability r;
	(void)state;
	assert_true(readability_default_target(READABILITY_SCALE_FK) == 8.0);
	assert_true(readability_default_target(READABILITY_SCALE_INFLESZ) == 55.0);
	assert_true(readability_default_target(NULL) == 0);
	assert_true(readability_default_target("smog") == 0);
	memset(&r, 0, sizeof(r));
	r.scale = READABILITY_SCALE_FK;
	r.score = 8.0;  /* at the target is not above it */
	assert_int_equal(readability_over_target(&r, 8), 0);
	r.score = 8.01;
	assert_int_equal(readability_over_target(&r, 8), 1);
	r.scale = READABILITY_SCALE_INFLESZ;
	r.score = 55;   /* INFLESZ: lower is harder */
	assert_int_equal(readability_over_target(&r, 55), 0);
	r.score = 54.99;
	assert_int_equal(readability_over_target(&r, 55), 1);
	assert_string_equal(readability_inflesz_band(39.99), "very-difficult");
	assert_string_equal(readability_inflesz_band(40), "somewhat-difficult");
	assert_string_equal(readability_inflesz_band(54.99), "somewhat-difficult");
	assert_string_equal(readability_inflesz_band(55), "normal");
	assert_string_equal(readability_inflesz_band(65), "fairly-easy");
	assert_string_equal(readability_inflesz_band(80), "fairly-easy");
	assert_string_equal(readability_inflesz_band(80.01), "very-easy");
}

/* Pages are measured on many threads at once, each with its own
 * iterators: the results must not depend on it. */
struct job {
	const char *text, *lang;
	struct readability r;
	int rc;
};

static void *measure_thread(void *arg)
{
	struct job *j = arg;
	int i;
	for (i = 0; i < 50 && !j->rc; i++)
		j->rc = readability_measure(j->text, strlen(j->text), j->lang, &j->r);
	return NULL;
}

static void test_threads(void **state)
{
	struct job jobs[4] = {
		{ en_easy, "en", { 0 }, 0 }, { es_easy, "es", { 0 }, 0 },
		{ en_hard, "en", { 0 }, 0 }, { es_hard, "es", { 0 }, 0 },
	};
	pthread_t t[4];
	int i;
	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, measure_thread, &jobs[i]), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(jobs[i].rc, 0);
	assert_int_equal(jobs[0].r.syllables, 34);
	assert_int_equal(jobs[1].r.syllables, 36);
	assert_int_equal(jobs[2].r.syllables, 42);
	assert_int_equal(jobs[3].r.syllables, 48);
}

/* Each thread keeps its break iterators per locale: a measurement after
 * many other locales (more than the thread keeps) and texts is the same as
 * the first. */
static void test_iterators_kept_per_locale(void **state)
{
	static const char *const tags[] = { "fr", "de", "it", "pt", "nl", "sv", "pl", "fi",
					    "da", "ro", "es-419", "en-GB" };
	const char *en = "Call your doctor. Dr. Lee can see you today. Then rest.";
	struct readability first = measure(en, "en"), again, es;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(tags) / sizeof(*tags); i++)
		(void)measure("Une phrase. Another one here.", tags[i]);
	es = measure("Llame a su médico. La Dra. Ruiz lo atiende hoy.", "es");
	again = measure(en, "en");
	assert_int_equal(first.words, 11);
	assert_int_equal(first.sentences, 3);
	assert_int_equal(again.words, first.words);
	assert_int_equal(again.sentences, first.sentences);
	assert_int_equal(again.syllables, first.syllables);
	assert_int_equal(es.sentences, 2);
	readability_thread_release();
	again = measure(en, "en");
	assert_int_equal(again.sentences, first.sentences);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_passages),
		cmocka_unit_test(test_spanish_passages),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_numbers_phones_urls),
		cmocka_unit_test(test_other_languages),
		cmocka_unit_test(test_english_syllables),
		cmocka_unit_test(test_spanish_syllables),
		cmocka_unit_test(test_targets_and_bands),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_iterators_kept_per_locale),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	readability_thread_release();
	u_cleanup();  /* ICU's break iterator data, so that leak checkers see none */
	return rc;
}
