/* slug.c - slugs by ICU transliteration ("Any-Latin; Latin-ASCII"). A
 * UTransliterator is not thread-safe, so each thread opens its own, kept in a
 * pthread key whose destructor closes it when the thread exits, with the
 * slugs it made: headings repeat from page to page ("Cómo funciona"), and
 * a transliteration costs far more than a lookup. Never prints. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include "arena.h"
#include "hash.h"
#include "slug.h"
#include "util.h"

/* Slugs a thread keeps before it starts over. */
#define SLUG_CACHE_MAX 4096

struct slug_thread {
	UTransliterator *trans;  /* NULL until a text needs it */
	struct hash made;        /* text -> its slug, both in arena */
	struct arena arena;
};

static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static int thread_key_ok;

static void thread_free(void *p)
{
	struct slug_thread *t = p;
	if (t->trans)
		utrans_close(t->trans);
	hash_release(&t->made);
	arena_release(&t->arena);
	free(t);
}

static void thread_key_create(void)
{
	thread_key_ok = pthread_key_create(&thread_key, thread_free) == 0;
}

/* This thread's state, made on first use; NULL if there is no key. */
static struct slug_thread *this_thread(void)
{
	struct slug_thread *t;
	pthread_once(&thread_key_once, thread_key_create);
	if (!thread_key_ok)
		return NULL;
	t = pthread_getspecific(thread_key);
	if (!t) {
		t = xcalloc(1, sizeof(*t));
		if (pthread_setspecific(thread_key, t)) {
			free(t);
			return NULL;
		}
	}
	return t;
}

/* t's transliterator, opened on first use; NULL if ICU (or its data) fails. */
static UTransliterator *thread_trans(struct slug_thread *t)
{
	static const UChar id[] = u"Any-Latin; Latin-ASCII";
	UErrorCode status = U_ZERO_ERROR;
	if (!t->trans)
		t->trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
	if (U_FAILURE(status) && t->trans) {
		utrans_close(t->trans);
		t->trans = NULL;
	}
	return t->trans;
}

void slug_thread_release(void)
{
	struct slug_thread *t;
	pthread_once(&thread_key_once, thread_key_create);
	if (!thread_key_ok)
		return;
	t = pthread_getspecific(thread_key);
	if (t) {
		thread_free(t);
		pthread_setspecific(thread_key, NULL);
	}
}

/* Slug state: a '-' is owed before the next kept character, once something has
 * been kept. */
struct slugger {
	struct buf *out;
	size_t start;
	int dash;
};

static void slug_put(struct slugger *s, unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
		if (s->dash && s->out->len > s->start)
			buf_addc(s->out, '-');
		s->dash = 0;
		buf_addc(s->out, (char)c);
	} else {
		s->dash = 1;
	}
}

static int is_ascii(const char *text, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0x80)
			return 0;
	return 1;
}

/* Transliterates text into *u (malloc'd UTF-16, length *n). Returns 0 or -1. */
static int transliterate(UTransliterator *t, const char *text, size_t len, UChar **u,
			 int32_t *n)
{
	UErrorCode status = U_ZERO_ERROR;
	int32_t src_len = 0, cap, text_len, limit;
	UChar *src = NULL, *dst = NULL;
	int ret = -1;

	if (len > INT32_MAX / 8)
		return -1;
	/* Preflight: the UTF-16 length (invalid UTF-8 becomes U+FFFD). */
	u_strFromUTF8WithSub(NULL, 0, &src_len, text, (int32_t)len, 0xFFFD, NULL, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
		return -1;
	status = U_ZERO_ERROR;
	src = xmalloc(st_mult((size_t)src_len + 1, sizeof(*src)));
	u_strFromUTF8WithSub(src, src_len + 1, NULL, text, (int32_t)len, 0xFFFD, NULL, &status);
	if (U_FAILURE(status))
		goto out;
	/* Transliteration grows text (one Han character becomes a syllable):
	 * start generous and retry once with the size ICU asks for. */
	cap = src_len * 4 + 16;
	for (;;) {
		status = U_ZERO_ERROR;
		free(dst);
		dst = xmalloc(st_mult((size_t)cap, sizeof(*dst)));
		u_memcpy(dst, src, src_len);
		text_len = limit = src_len;
		utrans_transUChars(t, dst, &text_len, cap, 0, &limit, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR && text_len > cap) {
			cap = text_len + 16;
			continue;
		}
		break;
	}
	if (U_FAILURE(status))
		goto out;
	*u = dst;
	*n = text_len;
	dst = NULL;
	ret = 0;
out:
	free(src);
	free(dst);
	return ret;
}

int slug_from_text(const char *text, size_t len, struct buf *out)
{
	struct slugger s = { out, out->len, 0 };
	struct slug_thread *t;
	UTransliterator *trans;
	const char *made, *key;
	char local[256];
	UChar *u = NULL;
	int32_t n = 0, i;

	if (is_ascii(text, len)) {
		size_t j;
		for (j = 0; j < len; j++)
			slug_put(&s, (unsigned char)text[j]);
		return 0;
	}
	t = this_thread();
	if (!t)
		return -1;
	/* Headings are short: longer texts, or ones holding a NUL, are not kept. */
	key = len < sizeof(local) && !memchr(text, '\0', len) ? local : NULL;
	if (key) {
		memcpy(local, text, len);
		local[len] = '\0';
	}
	if (key && (made = hash_get(&t->made, key))) {
		buf_adds(out, made);
		return 0;
	}
	trans = thread_trans(t);
	if (!trans || transliterate(trans, text, len, &u, &n))
		return -1;
	for (i = 0; i < n; i++)
		slug_put(&s, u[i] < 0x80 ? u[i] : ' ');
	free(u);
	if (key) {
		if (t->made.n >= SLUG_CACHE_MAX) {
			hash_release(&t->made);
			arena_release(&t->arena);
		}
		hash_put(&t->made, arena_strdup(&t->arena, local),
			 arena_strndup(&t->arena, out->ptr + s.start, out->len - s.start));
	}
	return 0;
}
