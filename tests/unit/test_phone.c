/* test_phone.c - which phone numbers a reader gets as tel: links, and which
 * vanity numbers are caught spelling the wrong digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "phone.h"

/* Asserts that the first number in text is written `want` with tel digits
 * `digits`. */
static void check_one(const char *text, const char *want, const char *digits)
{
	struct phone_match m;
	assert_int_equal(phone_scan(text, strlen(text), 0, &m), 1);
	assert_int_equal(m.end - m.start, strlen(want));
	assert_memory_equal(text + m.start, want, strlen(want));
	assert_string_equal(m.digits, digits);
	assert_int_equal(m.vanity, 0);
}

static void check_none(const char *text)
{
	struct phone_match m;
	assert_int_equal(phone_scan(text, strlen(text), 0, &m), 0);
}

static void test_forms(void **state)
{
	(void)state;
	check_one("Call 1-800-464-4000 today.", "1-800-464-4000", "18004644000");
	check_one("Call 800-464-4000.", "800-464-4000", "18004644000");
	check_one("Call (800) 464-4000, any time", "(800) 464-4000", "18004644000");
	check_one("Call 1 800 464 4000", "1 800 464 4000", "18004644000");
	check_one("Call 1-833-574-2273", "1-833-574-2273", "18335742273");
	check_one("Call +1 800.464.4000", "+1 800.464.4000", "18004644000");
	check_one("(1-844-800-0820)", "1-844-800-0820", "18448000820");
	check_one("Llame al 1-800-464-4000 (TTY 711).", "1-800-464-4000", "18004644000");
}

static void test_several_in_order(void **state)
{
	const char *t = "Call 1-800-368-1019 or 1-800-537-7697 (TDD).";
	struct phone_match m;
	(void)state;
	assert_int_equal(phone_scan(t, strlen(t), 0, &m), 1);
	assert_string_equal(m.digits, "18003681019");
	assert_int_equal(phone_scan(t, strlen(t), m.end, &m), 1);
	assert_string_equal(m.digits, "18005377697");
	assert_int_equal(m.start, strlen("Call 1-800-368-1019 or "));
	assert_int_equal(phone_scan(t, strlen(t), m.end, &m), 0);
}

static void test_vanity_is_one_number(void **state)
{
	const char *t = "Call 1-833-KP4CARE (1-833-574-2273) now.";
	struct phone_match m;
	(void)state;
	assert_int_equal(phone_scan(t, strlen(t), 0, &m), 1);
	assert_int_equal(m.start, 5);
	assert_int_equal(m.end, strlen("Call 1-833-KP4CARE (1-833-574-2273)"));
	assert_int_equal(m.vanity, 1);
	assert_int_equal(m.vanity_ok, 1);
	assert_string_equal(m.digits, "18335742273");
	/* Letters past the seventh are not dialled: 1-800-MEDICARE is 633-4227. */
	t = "1-800-MEDICARE (1-800-633-4227)";
	assert_int_equal(phone_scan(t, strlen(t), 0, &m), 1);
	assert_int_equal(m.vanity_ok, 1);
	assert_int_equal(m.end, strlen(t));
}

static void test_vanity_mismatch(void **state)
{
	const char *t = "Call 1-833-KP4CAR (1-833-574-2273).";
	struct phone_match m;
	(void)state;
	assert_int_equal(phone_scan(t, strlen(t), 0, &m), 1);
	assert_int_equal(m.vanity, 1);
	assert_int_equal(m.vanity_ok, 0);
	assert_string_equal(m.spelled, "574-227");
	assert_string_equal(m.expected, "574-2273");
	assert_string_equal(m.digits, "18335742273");

	t = "1-833-KP4CARE (1-833-574-2274)";
	assert_int_equal(phone_scan(t, strlen(t), 0, &m), 1);
	assert_int_equal(m.vanity_ok, 0);
	assert_string_equal(m.spelled, "574-2273");
	assert_string_equal(m.expected, "574-2274");

	/* A different area code is shown with the area codes. */
	t = "1-833-KP4CARE (1-844-574-2273)";
	assert_int_equal(phone_scan(t, strlen(t), 0, &m), 1);
	assert_int_equal(m.vanity_ok, 0);
	assert_string_equal(m.spelled, "833-574-2273");
	assert_string_equal(m.expected, "844-574-2273");
}

static void test_not_numbers(void **state)
{
	(void)state;
	check_none("Updated 2026-11-24.");
	check_none("Member ID 12345678901");
	check_none("Order 18004644000 shipped");
	check_none("See https://example.org/call/800-464-4000 for more");
	check_none("www.example.org/800-464-4000");
	check_none("Write to 800-464-4000@fax.example.org");
	check_none("TTY 711, or 911");
	check_none("Call 464-4000");              /* no area code */
	check_none("Call 100-464-4000");          /* area codes start 2-9 */
	check_none("Call 800-164-4000");          /* so do exchanges */
	check_none("ref 21-800-464-4000");        /* inside a longer run */
	check_none("Call 800-464-40001");
	check_none("Call 800-464-4000.5");
	check_none("1-833-KP4CARE");              /* letters with no digits after */
	check_none("Room 509F, Washington, D.C. 20201");
	check_none("24/7, 7 a.m. to 7 p.m.");
}

static void test_normalize(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	phone_normalize("1-800-464-4000", strlen("1-800-464-4000"), &b);
	assert_string_equal(b.ptr, "18004644000");
	buf_reset(&b);
	phone_normalize("(TTY) 711", 9, &b);
	assert_string_equal(b.ptr, "711");
	buf_reset(&b);
	phone_normalize("no digits", 9, &b);
	assert_string_equal(b.ptr, "");
	buf_release(&b);
}

static void test_value_digits(void **state)
{
	struct buf b = BUF_INIT;
	const char *v = " 1-833-KP4CARE (1-833-574-2273) ";
	(void)state;
	phone_value_digits(v, strlen(v), &b);
	assert_string_equal(b.ptr, "18335742273");
	buf_reset(&b);
	phone_value_digits("800-464-4000", 12, &b);
	assert_string_equal(b.ptr, "18004644000");
	buf_reset(&b);
	phone_value_digits("711", 3, &b);
	assert_string_equal(b.ptr, "711");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_several_in_order),
		cmocka_unit_test(test_vanity_is_one_number),
		cmocka_unit_test(test_vanity_mismatch),
		cmocka_unit_test(test_not_numbers),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_value_digits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
