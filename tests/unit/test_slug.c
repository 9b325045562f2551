/* test_slug.c - slugs as a reader sees them in URLs and heading anchors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <unicode/uclean.h>
#include "slug.h"

/* Asserts that text slugs to want (and returns 0). */
static void check(const char *text, const char *want)
{
	struct buf b = BUF_INIT;
	assert_int_equal(slug_from_text(text, strlen(text), &b), 0);
	assert_string_equal(b.ptr, want);
	buf_release(&b);
}

static void test_ascii(void **state)
{
	(void)state;
	check("Ways to get care", "ways-to-get-care");
	check("24/7 care advice", "24-7-care-advice");
	check("  --Need technical help?--  ", "need-technical-help");
	check("E-visit", "e-visit");
	check("UPPER_and_lower", "upper-and-lower");
}

static void test_accents_and_spanish_punctuation(void **state)
{
	(void)state;
	check("Cómo empezar", "como-empezar");
	check("¿Necesita ayuda técnica?", "necesita-ayuda-tecnica");
	check("¡Llame ahora!", "llame-ahora");
	check("Atención de urgencia", "atencion-de-urgencia");
	check("Niño pequeño", "nino-pequeno");
	check("Straße", "strasse");
	check("Ærø", "aero");
}

static void test_other_scripts_become_latin(void **state)
{
	(void)state;
	check("Здравствуйте", "zdravstvujte");
	check("Việt Nam", "viet-nam");
	check("한국어", "hangug-eo");
	check("中文", "zhong-wen");
	check("Ελληνικά", "ellenika");
}

static void test_nothing_to_keep(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_int_equal(slug_from_text("", 0, &b), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(slug_from_text("¿?", strlen("¿?"), &b), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(slug_from_text("— · —", strlen("— · —"), &b), 0);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_appends(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	buf_adds(&b, "es/");
	assert_int_equal(slug_from_text("Cómo empezar", strlen("Cómo empezar"), &b), 0);
	assert_string_equal(b.ptr, "es/como-empezar");
	/* len is honoured: the rest of the string is not read. */
	assert_int_equal(slug_from_text(" Urgencias médicas", 10, &b), 0);
	assert_string_equal(b.ptr, "es/como-empezarurgencias");
	buf_release(&b);
}

static void test_invalid_utf8_is_a_separator(void **state)
{
	(void)state;
	check("caf\xC3 ole", "caf-ole");
	check("a\xFF" "b", "a-b");
}

/* A thread keeps the slugs it made: the same text again, appended after
 * other text, and after more texts than it keeps, slugs the same. */
static void test_kept_slugs(void **state)
{
	struct buf b = BUF_INIT;
	char text[64];
	int i;
	(void)state;
	check("Cómo funciona", "como-funciona");
	buf_adds(&b, "page-");
	assert_int_equal(slug_from_text("Cómo funciona", strlen("Cómo funciona"), &b), 0);
	assert_string_equal(b.ptr, "page-como-funciona");
	for (i = 0; i < 5000; i++) {
		snprintf(text, sizeof(text), "Sección %d", i);
		buf_reset(&b);
		assert_int_equal(slug_from_text(text, strlen(text), &b), 0);
		snprintf(text, sizeof(text), "seccion-%d", i);
		assert_string_equal(b.ptr, text);
	}
	check("Cómo funciona", "como-funciona");
	check("Привет", "privet");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_kept_slugs),
		cmocka_unit_test(test_accents_and_spanish_punctuation),
		cmocka_unit_test(test_other_scripts_become_latin),
		cmocka_unit_test(test_nothing_to_keep),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_invalid_utf8_is_a_separator),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	slug_thread_release();
	u_cleanup();  /* ICU's transliterator registry, so that leak checkers see none */
	return rc;
}
