/* phone.h - North American phone numbers in text: finding them, their digits
 * for tel: links, and vanity numbers (1-833-KP4CARE) checked against their
 * digits. Pure functions over bytes: no allocation except into a buf, never
 * prints, thread-safe. */
#ifndef CAREPRESS_PHONE_H
#define CAREPRESS_PHONE_H

#include <stddef.h>
#include "buf.h"

/* One number found by phone_scan. */
struct phone_match {
	size_t start, end;  /* byte offsets of the number as written: [start, end) */
	/* Canonical digits for href="tel:...": country code 1 and ten digits,
	 * "18004644000", whether or not the text wrote the leading 1. */
	char digits[12];
	/* 1 for a vanity number written with its digits after it,
	 * "1-833-KP4CARE (1-833-574-2273)", which is one match. */
	int vanity;
	/* Vanity only: 1 if its letters spell its digits on a phone keypad
	 * (ABC=2 DEF=3 GHI=4 JKL=5 MNO=6 PQRS=7 TUV=8 WXYZ=9; letters after the
	 * seventh are allowed, as in 1-800-MEDICARE). */
	int vanity_ok;
	/* Vanity only, for messages: what the letters spell and what the digits
	 * say, "574-227" and "574-2273" (with the area code, "833-574-2273",
	 * when the area codes differ). */
	char spelled[24];
	char expected[24];
};

/* Finds the first phone number in text[from, len): "1-800-464-4000",
 * "800-464-4000", "(800) 464-4000", "1 800 464 4000", "+1 800.464.4000", and
 * vanity numbers with their digits in parentheses after them. Area code and
 * exchange start with 2-9 (NANP); groups are separated by '-', ' ' or '.'.
 * Not matched: digits inside longer digit or word runs ("12345678901",
 * "A1-800-464-4000"), dates ("2026-11-24"), numbers in URLs, e-mail
 * addresses or paths, seven-digit local numbers and short codes (711).
 * Returns 1 and fills *m, or 0 when there is none. */
int phone_scan(const char *text, size_t len, size_t from, struct phone_match *m);

/* Appends the digits of s (and nothing else) to out: "1-800-464-4000" ->
 * "18004644000". Letters are dropped, not converted. */
void phone_normalize(const char *s, size_t len, struct buf *out);

/* Appends the tel: digits for the value of a phone fact to out: the canonical
 * digits of phone_scan when the whole value (trimmed) is one number,
 * otherwise its digits only ("711"). This is the form markdown_render passes
 * to md_env.fact_for_phone, so index facts by it. */
void phone_value_digits(const char *s, size_t len, struct buf *out);

#endif
