/* md_autolink.c - bare URLs in text ("https://kp.org/getcare",
 * "www.hhs.gov/ocr") become links, as GFM's autolink extension would make
 * them. carepress does this itself because that extension changes a table
 * that cmark-gfm shares between all parsers, so pages could not be parsed in
 * parallel with it attached. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "md_internal.h"
#include "util.h"

static int is_type(cmark_node *n, cmark_node_type t)
{
	return n && cmark_node_get_type(n) == t;
}

/* Length of the URL prefix at s ("https://", "http://", "www."), or 0. */
static size_t url_prefix(const char *s)
{
	/* Asked at every position of every text: most are not 'h' or 'w'. */
	if (*s != 'h' && *s != 'w')
		return 0;
	if (!strncmp(s, "https://", 8))
		return 8;
	if (!strncmp(s, "http://", 7))
		return 7;
	if (!strncmp(s, "www.", 4))
		return 4;
	return 0;
}

/* End of the URL that starts at s[start] (GFM's rules: up to white space or
 * '<', without trailing punctuation or an unbalanced ')'). */
static size_t url_end(const char *s, size_t start)
{
	size_t end = start, i;
	int open = 0, close = 0;
	while (s[end] && !isspace((unsigned char)s[end]) && s[end] != '<')
		end++;
	for (;;) {
		while (end > start && strchr("?!.,:*_~'\";", s[end - 1]))
			end--;
		if (end > start && s[end - 1] == ')') {
			open = close = 0;
			for (i = start; i < end; i++) {
				open += s[i] == '(';
				close += s[i] == ')';
			}
			if (close > open) {
				end--;
				continue;
			}
		}
		return end;
	}
}

/* Splits text node t at every bare URL; returns 1 if it made a link. */
static int link_urls(struct md *m, cmark_node *t)
{
	const char *lit = cmark_node_get_literal(t);
	size_t i = 0, done = 0, len = strlen(lit);
	int made = 0;
	char *copy = xstrndup(lit, len);
	while (i < len) {
		size_t p = url_prefix(copy + i), end;
		cmark_node *link;
		struct buf href = BUF_INIT;
		if (!p || (i > 0 && (isalnum((unsigned char)copy[i - 1]) || copy[i - 1] == '/' ||
				     copy[i - 1] == '@'))) {
			i++;
			continue;
		}
		end = url_end(copy, i);
		if (end <= i + p || (p == 4 && !memchr(copy + i + 4, '.', end - i - 4))) {
			i += p;
			continue;
		}
		if (i > done)
			cmark_node_insert_before(t, md_new_text(copy + done, i - done));
		if (p == 4)
			buf_adds(&href, "http://");
		buf_add(&href, copy + i, end - i);
		link = cmark_node_new(CMARK_NODE_LINK);
		cmark_node_set_url(link, href.ptr);
		cmark_node_append_child(link, md_new_text(copy + i, end - i));
		cmark_node_insert_before(t, link);
		md_info(m, link);
		buf_release(&href);
		done = i = end;
		made = 1;
	}
	if (made) {
		if (done < len)
			cmark_node_insert_before(t, md_new_text(copy + done, len - done));
		md_drop(t);
	}
	free(copy);
	return made;
}

void md_pass_autolinks(struct md *m)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node **texts = NULL;
	size_t n = 0, cap = 0, i;
	/* Emphasis characters split a URL into several text nodes: join them. */
	cmark_consolidate_text_nodes(m->doc);
	it = cmark_iter_new(m->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || !is_type(node, CMARK_NODE_TEXT) || md_in_link(node) ||
		    !strpbrk(cmark_node_get_literal(node), ":w"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			texts = xrealloc(texts, st_mult(cap, sizeof(*texts)));
		}
		texts[n++] = node;
	}
	cmark_iter_free(it);
	/* Changed only after the walk: the iterator must not see new nodes. */
	for (i = 0; i < n; i++)
		link_urls(m, texts[i]);
	free(texts);
}
