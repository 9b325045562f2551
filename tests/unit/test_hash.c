/* test_hash.c - the string table, and the hash of bytes given in pieces
 * (output files written a piece at a time must hash as the same bytes
 * written at once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hash.h"

static uint64_t whole(const char *s, size_t n)
{
	struct hasher h;
	hasher_init(&h);
	hasher_add(&h, s, n);
	return hasher_end(&h);
}

static void test_pieces_hash_as_whole(void **state)
{
	char text[100];
	size_t n, cut1, cut2;
	(void)state;
	for (n = 0; n < sizeof(text); n++)
		text[n] = (char)('a' + n * 7 % 26);
	for (n = 0; n <= sizeof(text); n += 13) {
		uint64_t want = whole(text, n);
		for (cut1 = 0; cut1 <= n; cut1++) {
			for (cut2 = cut1; cut2 <= n; cut2 += 3) {
				struct hasher h;
				hasher_init(&h);
				hasher_add(&h, text, cut1);
				hasher_add(&h, text + cut1, cut2 - cut1);
				hasher_add(&h, text + cut2, n - cut2);
				assert_true(hasher_end(&h) == want);
			}
		}
	}
}

static void test_hash_tells_bytes_apart(void **state)
{
	(void)state;
	/* Length counts: trailing zero bytes are not padding. */
	assert_true(whole("a", 1) != whole("a\0", 2));
	assert_true(whole("", 0) != whole("\0", 1));
	assert_true(whole("12345678abc", 11) != whole("12345678abd", 11));
	assert_true(whole("same text", 9) != whole("SAME text", 9));
}

static void test_table(void **state)
{
	struct hash t = HASH_INIT;
	char keys[500][8];
	size_t i;
	(void)state;
	for (i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		assert_null(hash_put(&t, keys[i], keys[i]));
	}
	for (i = 0; i < 500; i++)
		assert_ptr_equal(hash_get(&t, keys[i]), keys[i]);
	assert_null(hash_get(&t, "k500"));
	assert_ptr_equal(hash_put(&t, keys[7], keys[8]), keys[7]);
	assert_ptr_equal(hash_get(&t, "k7"), keys[8]);
	assert_int_equal(t.n, 500);
	hash_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces_hash_as_whole),
		cmocka_unit_test(test_hash_tells_bytes_apart),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
