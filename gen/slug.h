/* slug.h - URL slugs and element ids from text in any script, by ICU
 * transliteration to Latin ASCII. Never prints; keeps no global mutable state
 * (one transliterator per thread). */
#ifndef CAREPRESS_SLUG_H
#define CAREPRESS_SLUG_H

#include <stddef.h>
#include "buf.h"

/* Appends to out a URL slug for text (UTF-8): ICU transliteration to Latin
 * ASCII ("Any-Latin; Latin-ASCII"), lowercase, runs of anything not [a-z0-9]
 * become one '-', no leading/trailing '-'. "Cómo empezar" -> "como-empezar",
 * "¿Necesita ayuda técnica?" -> "necesita-ayuda-tecnica".
 * Text with nothing to keep ("", "¿?") appends nothing and returns 0: the
 * caller picks a fallback. ASCII input takes a fast path without ICU; invalid
 * UTF-8 counts as a separator. Thread-safe: each thread lazily opens its own
 * transliterator and keeps the slugs it made (freed when the thread exits,
 * or by slug_thread_release).
 * Returns 0, or -1 if ICU fails (out unchanged). */
int slug_from_text(const char *text, size_t len, struct buf *out);

/* Frees this thread's transliterator, if any. Threads made with pthread_create
 * free it on exit anyway; call this in the main thread before exit so that
 * leak checkers stay quiet. Safe to call when there is none. */
void slug_thread_release(void);

#endif
