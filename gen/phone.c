/* phone.c - finds North American phone numbers and vanity numbers in text.
 * Bytes only (ASCII rules; UTF-8 bytes count as neither digits nor letters),
 * no state, no allocation except into the caller's buf. Never prints. */
#include <string.h>
#include "phone.h"

/* How far phone_scan looks either side of a number for "://", "www." or '@'
 * that make it part of a URL or address. Bounded, so that a megabyte without
 * spaces costs linear time, not quadratic. */
#define PHONE_TOKEN_LOOK 256
/* Longest vanity word, in letters and digits ("MEDICARE" is 8). */
#define PHONE_VANITY_MAX 11

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

static int is_sep(int c)
{
	return c == '-' || c == ' ' || c == '.';
}

static int at(const char *s, size_t len, size_t i)
{
	return i < len ? (unsigned char)s[i] : -1;
}

/* The phone keypad: ABC=2 DEF=3 GHI=4 JKL=5 MNO=6 PQRS=7 TUV=8 WXYZ=9. */
static char keypad(int c)
{
	static const char map[] = "22233344455566677778889999";
	if (is_digit(c))
		return (char)c;
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	return map[c - 'A'];
}

/* n digits at s[p] into out; returns 1 if they are all there. */
static int take_digits(const char *s, size_t len, size_t p, int n, char *out)
{
	int k;
	for (k = 0; k < n; k++) {
		if (!is_digit(at(s, len, p + (size_t)k)))
			return 0;
		out[k] = s[p + (size_t)k];
	}
	return 1;
}

/* An optional "1" or "+1" country code and its separator at s[*p]. */
static void skip_country(const char *s, size_t len, size_t *p)
{
	size_t q = *p;
	if (at(s, len, q) == '+')
		q++;
	if (at(s, len, q) != '1')
		return;
	q++;
	if (is_sep(at(s, len, q)) && (is_digit(at(s, len, q + 1)) || at(s, len, q + 1) == '('))
		*p = q + 1;
	else if (at(s, len, q) == '(')
		*p = q;
}

/* The area code, "800-" or "(800) ", at s[*p] into area[3]. */
static int take_area(const char *s, size_t len, size_t *p, char *area)
{
	size_t q = *p;
	if (at(s, len, q) == '(') {
		if (!take_digits(s, len, q + 1, 3, area) || at(s, len, q + 4) != ')')
			return 0;
		q += 5;
		if (is_sep(at(s, len, q)))
			q++;
	} else {
		if (!take_digits(s, len, q, 3, area) || !is_sep(at(s, len, q + 3)))
			return 0;
		q += 4;
	}
	if (area[0] < '2')
		return 0;
	*p = q;
	return 1;
}

/* A number without letters at s[i]; d gets its ten digits. Returns its end,
 * or 0. The caller checks what surrounds it. */
static size_t match_plain(const char *s, size_t len, size_t i, char *d)
{
	size_t p = i;
	skip_country(s, len, &p);
	if (!take_area(s, len, &p, d))
		return 0;
	if (!take_digits(s, len, p, 3, d + 3) || !is_sep(at(s, len, p + 3)) || d[3] < '2')
		return 0;
	p += 4;
	if (!take_digits(s, len, p, 4, d + 6))
		return 0;
	return p + 4;
}

/* "574227" -> "574-227" (a '-' after the third digit). */
static void format_local(char *out, const char *area, const char *d, size_t n)
{
	size_t k, o = 0;
	if (area) {
		memcpy(out, area, 3);
		out[3] = '-';
		o = 4;
	}
	for (k = 0; k < n; k++) {
		if (k == 3)
			out[o++] = '-';
		out[o++] = d[k];
	}
	out[o] = '\0';
}

/* A vanity number with its digits after it, "1-833-KP4CARE (1-833-574-2273)",
 * at s[i]. Returns its end, or 0; fills m's digits and vanity fields. */
static size_t match_vanity(const char *s, size_t len, size_t i, struct phone_match *m)
{
	char area[3], word[PHONE_VANITY_MAX], d[10];
	size_t p = i, n = 0, end;
	int letters = 0, late_digit = 0;

	skip_country(s, len, &p);
	if (!take_area(s, len, &p, area))
		return 0;
	while (is_alnum(at(s, len, p)) ||
	       (at(s, len, p) == '-' && n && is_alnum(at(s, len, p + 1)))) {
		int c = (unsigned char)s[p++];
		if (c == '-')
			continue;
		if (n == PHONE_VANITY_MAX)
			return 0;
		letters += is_alpha(c);
		/* Letters past the seventh are not dialled; digits there would be. */
		late_digit |= n >= 7 && is_digit(c);
		word[n++] = keypad(c);
	}
	if (!letters || n < 4)
		return 0;
	while (at(s, len, p) == ' ')
		p++;
	if (at(s, len, p) != '(')
		return 0;
	end = match_plain(s, len, p + 1, d);
	if (!end || at(s, len, end) != ')')
		return 0;
	m->vanity = 1;
	m->vanity_ok = n >= 7 && !late_digit && !memcmp(area, d, 3) && !memcmp(word, d + 3, 7);
	m->digits[0] = '1';
	memcpy(m->digits + 1, d, 10);
	m->digits[11] = '\0';
	if (!memcmp(area, d, 3)) {
		format_local(m->spelled, NULL, word, n);
		format_local(m->expected, NULL, d + 3, 7);
	} else {
		format_local(m->spelled, area, word, n);
		format_local(m->expected, d, d + 3, 7);
	}
	return end + 1;
}

/* Nothing that continues a word, number, path or address just before s[i]. */
static int clear_before(const char *s, size_t i)
{
	int c;
	if (!i)
		return 1;
	c = (unsigned char)s[i - 1];
	return !is_alnum(c) && !strchr("-._/@+:#%=&~\\", c);
}

/* Nothing that continues the number at s[e]: "800-464-4000." ends a sentence,
 * "800-464-4000.5" and "800-464-40001" do not end a number. */
static int clear_after(const char *s, size_t len, size_t e)
{
	int c = at(s, len, e);
	if (c < 0)
		return 1;
	if (is_alnum(c) || c == '_' || c == '@')
		return 0;
	if (strchr("-./:", c) && is_alnum(at(s, len, e + 1)))
		return 0;
	return 1;
}

/* 1 if the whitespace-delimited words around [start, end) look like a URL or
 * an e-mail address ("https://x.org/800-464-4000", "www.", '@'). */
static int in_url(const char *s, size_t len, size_t start, size_t end)
{
	size_t a = start, b = end, k;
	while (a > 0 && start - a < PHONE_TOKEN_LOOK && s[a - 1] != ' ' && s[a - 1] != '\n' &&
	       s[a - 1] != '\t')
		a--;
	while (b < len && b - end < PHONE_TOKEN_LOOK && s[b] != ' ' && s[b] != '\n' &&
	       s[b] != '\t')
		b++;
	for (k = a; k < b; k++) {
		if (s[k] == '@')
			return 1;
		if (k + 3 <= b && !memcmp(s + k, "://", 3))
			return 1;
		if (k + 4 <= b && (s[k] == 'w' || s[k] == 'W') && !strncmp(s + k, "www.", 4))
			return 1;
	}
	return 0;
}

int phone_scan(const char *text, size_t len, size_t from, struct phone_match *m)
{
	size_t i, end;
	char d[10];

	for (i = from; i < len; i++) {
		int c = (unsigned char)text[i];
		if (!is_digit(c) && c != '(' && c != '+')
			continue;
		if (!clear_before(text, i))
			continue;
		memset(m, 0, sizeof(*m));
		end = match_vanity(text, len, i, m);
		if (!end || !clear_after(text, len, end)) {
			memset(m, 0, sizeof(*m));
			end = match_plain(text, len, i, d);
			if (!end || !clear_after(text, len, end))
				continue;
			m->digits[0] = '1';
			memcpy(m->digits + 1, d, 10);
			m->digits[11] = '\0';
		}
		if (in_url(text, len, i, end)) {
			i = end - 1;
			continue;
		}
		m->start = i;
		m->end = end;
		return 1;
	}
	return 0;
}

void phone_normalize(const char *s, size_t len, struct buf *out)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (is_digit((unsigned char)s[i]))
			buf_addc(out, s[i]);
}

void phone_value_digits(const char *s, size_t len, struct buf *out)
{
	struct phone_match m;
	size_t a = 0, b = len;
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	if (phone_scan(s, b, a, &m) && m.start == a && m.end == b)
		buf_adds(out, m.digits);
	else
		phone_normalize(s + a, b - a, out);
}
