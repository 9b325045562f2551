/* test_pagecache.c - a page's render as the page cache keeps it: what is
 * restored is what was rendered (findings, heading ids, facts, counts,
 * reading level, links to anchors), a damaged or outdated record is never
 * used, and the key changes with every input of the render. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "pagecache.h"

struct fx {
	struct config cfg;
	struct site site;
	struct hash by_url[2];
	struct page care, other, copy;
	struct page *pages[2];
	struct diags d;
	struct buf rec;
	char dir[64];
};

static const char *anchors[] = { "what-you-need", "need-help" };
static const char *facts[] = { "phone.main" };

/* "care" (English) links to an anchor of "other" (Spanish); care's render
 * found two things, one with a note and a message of awkward bytes. */
static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	f->cfg.n_langs = 2;
	f->site.cfg = &f->cfg;
	f->site.by_url = f->by_url;
	f->site.pages = f->pages;
	f->site.n_pages = 2;
	f->pages[0] = &f->care;
	f->pages[1] = &f->other;
	f->care.path = "content/en/care.md";
	f->care.name = "care";
	f->care.url = "/en/care/";
	f->care.text_hash = 1;
	f->other.path = "content/es/otra.md";
	f->other.name = "otra";
	f->other.url = "/es/otra/";
	f->other.lang = 1;
	hash_put(&f->by_url[0], f->care.url, &f->care);
	hash_put(&f->by_url[1], f->other.url, &f->other);
	f->care.anchors = anchors;
	f->care.n_anchors = 2;
	f->care.facts_used = facts;
	f->care.n_facts_used = 1;
	f->care.n_h2 = 2;
	f->care.n_footnotes = 1;
	f->care.read.words = 120;
	f->care.read.sentences = 9;
	f->care.read.syllables = 170;
	f->care.read.score = 6.123456789012345;
	f->care.read.scale = READABILITY_SCALE_FK;
	site_add_ref(&f->care, &f->other, "como-empezar", 7, 3);
	diag(&f->d, RULE_FACT_TYPED, f->care.path, 11, 60, "phone number typed by hand");
	diag_note(&f->d, "use {{ phone.main }}");
	diag(&f->d, RULE_A11Y_VAGUE_LINK, NULL, 0, 0, "link text 'here'\n12:34 - x");
	page_cache_format(&f->care, &f->d, &f->rec);
	strcpy(f->dir, "/tmp/test-pagecache-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static void release_results(struct page *p)
{
	size_t i;
	for (i = 0; i < p->n_anchors; i++)
		free((char *)p->anchors[i]);
	free(p->anchors);
	for (i = 0; i < p->n_facts_used; i++)
		free((char *)p->facts_used[i]);
	free(p->facts_used);
	for (i = 0; i < p->n_refs; i++)
		free((char *)p->refs[i].anchor);
	free(p->refs);
	memset(&p->anchors, 0, sizeof(*p) - offsetof(struct page, anchors));
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	size_t i;
	for (i = 0; i < f->care.n_refs; i++)
		free((char *)f->care.refs[i].anchor);
	free(f->care.refs);
	release_results(&f->copy);
	hash_release(&f->by_url[0]);
	hash_release(&f->by_url[1]);
	diags_release(&f->d);
	buf_release(&f->rec);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_record_restores_the_render(void **state)
{
	struct fx *f = *state;
	struct diags d = { 0 };
	size_t i;
	assert_int_equal(page_cache_apply(f->rec.ptr, f->rec.len, &f->site, &f->copy, &d), 0);
	assert_int_equal(f->copy.n_anchors, 2);
	assert_string_equal(f->copy.anchors[0], "what-you-need");
	assert_string_equal(f->copy.anchors[1], "need-help");
	assert_int_equal(f->copy.n_facts_used, 1);
	assert_string_equal(f->copy.facts_used[0], "phone.main");
	assert_int_equal(f->copy.n_h2, 2);
	assert_int_equal(f->copy.n_footnotes, 1);
	assert_int_equal(f->copy.read.words, 120);
	assert_int_equal(f->copy.read.sentences, 9);
	assert_int_equal(f->copy.read.syllables, 170);
	/* Exactly: the report prints the score, and must print the same. */
	assert_true(f->copy.read.score == 6.123456789012345);
	assert_string_equal(f->copy.read.scale, READABILITY_SCALE_FK);
	assert_int_equal(f->copy.n_refs, 1);
	assert_ptr_equal(f->copy.refs[0].target, &f->other);
	assert_string_equal(f->copy.refs[0].anchor, "como-empezar");
	assert_int_equal(f->copy.refs[0].line, 7);
	assert_int_equal(f->copy.refs[0].col, 3);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.warnings, f->d.warnings);
	assert_int_equal(d.errors, f->d.errors);
	for (i = 0; i < 2; i++) {
		assert_int_equal(d.v[i].rule, f->d.v[i].rule);
		assert_int_equal(d.v[i].severity, f->d.v[i].severity);
		assert_int_equal(d.v[i].line, f->d.v[i].line);
		assert_int_equal(d.v[i].col, f->d.v[i].col);
		assert_string_equal(d.v[i].message, f->d.v[i].message);
	}
	/* The build that found them printed them. */
	assert_int_equal(d.v[0].earlier, 1);
	assert_int_equal(d.v[1].earlier, 1);
	assert_string_equal(d.v[0].file, "content/en/care.md");
	assert_string_equal(d.v[0].note, "use {{ phone.main }}");
	assert_null(d.v[1].file);
	assert_null(d.v[1].note);
	diags_release(&d);
}

/* Every shortened or altered record is refused, and refusing it changes
 * neither the page nor the findings. */
static void test_damaged_record_is_refused(void **state)
{
	struct fx *f = *state;
	struct diags d = { 0 };
	char *copy = malloc(f->rec.len);
	size_t n, i;
	for (n = 0; n < f->rec.len; n++) {
		assert_int_equal(page_cache_apply(f->rec.ptr, n, &f->site, &f->copy, &d), -1);
		assert_null(f->copy.anchors);
		assert_int_equal(d.n, 0);
	}
	/* A digit made a letter, a space made a letter: anywhere. */
	for (i = 0; i < f->rec.len; i++) {
		char c = f->rec.ptr[i];
		if (!(c >= '0' && c <= '9') && c != ' ' && c != '\n')
			continue;
		memcpy(copy, f->rec.ptr, f->rec.len);
		copy[i] = 'x';
		if (page_cache_apply(copy, f->rec.len, &f->site, &f->copy, &d) == 0) {
			/* Only inside a string's bytes may it still parse. */
			release_results(&f->copy);
			diags_release(&d);
			continue;
		}
		assert_null(f->copy.anchors);
		assert_int_equal(d.n, 0);
	}
	free(copy);
}

/* A link to a page the site no longer has: the page is rendered again,
 * so that the link is reported. */
static void test_record_linking_to_a_gone_page_is_refused(void **state)
{
	struct fx *f = *state;
	struct diags d = { 0 };
	hash_release(&f->by_url[1]);
	assert_int_equal(page_cache_apply(f->rec.ptr, f->rec.len, &f->site, &f->copy, &d), -1);
	assert_null(f->copy.anchors);
	assert_int_equal(d.n, 0);
}

static void write_cache(struct fx *f, uint64_t site_key, const char *text, size_t len)
{
	char path[128];
	FILE *fp;
	snprintf(path, sizeof(path), "%s/" PAGE_CACHE_FILE, f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	if (text) {
		assert_int_equal(fwrite(text, 1, len, fp), len);
	} else {
		struct buf file = BUF_INIT;
		page_cache_begin_file(site_key, &file);
		page_cache_add_record(f->care.url, 42, f->rec.ptr, f->rec.len, &file);
		page_cache_add_record(f->other.url, 43, "", 0, &file);
		assert_int_equal(fwrite(file.ptr, 1, file.len, fp), file.len);
		buf_release(&file);
	}
	fclose(fp);
}

static void test_cache_file_found_by_address_and_key(void **state)
{
	struct fx *f = *state;
	struct page_cache pc;
	const char *rec;
	size_t len = 0;
	write_cache(f, 7, NULL, 0);
	page_cache_read(&pc, f->dir, PAGE_CACHE_FILE, 7);
	rec = page_cache_find(&pc, "/en/care/", 42, &len);
	assert_non_null(rec);
	assert_int_equal(len, f->rec.len);
	assert_memory_equal(rec, f->rec.ptr, len);
	assert_non_null(page_cache_find(&pc, "/es/otra/", 43, &len));
	assert_int_equal(len, 0);
	/* Another key: the page's inputs changed. */
	assert_null(page_cache_find(&pc, "/en/care/", 41, &len));
	assert_null(page_cache_find(&pc, "/en/nueva/", 42, &len));
	page_cache_release(&pc);

	/* Made for another site key (other templates, strings, carepress). */
	page_cache_read(&pc, f->dir, PAGE_CACHE_FILE, 8);
	assert_null(page_cache_find(&pc, "/en/care/", 42, &len));
	page_cache_release(&pc);
}

/* A cache file cut short anywhere is not used at all. */
static void test_damaged_cache_file_is_ignored(void **state)
{
	struct fx *f = *state;
	struct buf file = BUF_INIT;
	struct page_cache pc;
	size_t n, len;
	page_cache_begin_file(7, &file);
	page_cache_add_record(f->care.url, 42, f->rec.ptr, f->rec.len, &file);
	for (n = 0; n < file.len; n += 7) {
		write_cache(f, 7, file.ptr, n);
		page_cache_read(&pc, f->dir, PAGE_CACHE_FILE, 7);
		assert_null(page_cache_find(&pc, "/en/care/", 42, &len));
		page_cache_release(&pc);
	}
	buf_release(&file);
	/* No file at all. */
	page_cache_read(&pc, "/nonexistent", PAGE_CACHE_FILE, 7);
	assert_null(page_cache_find(&pc, "/en/care/", 42, &len));
	page_cache_release(&pc);
}

/* The key follows the page's source, its context and the site key; a
 * value the caller marks as common is not hashed again per page. */
static void test_key_follows_every_input(void **state)
{
	struct fx *f = *state;
	struct arena a = ARENA_INIT;
	struct value *ctx = value_new(&a, VALUE_MAP), *strings = value_new(&a, VALUE_MAP);
	const struct value *common[1] = { strings };
	uint64_t k;
	value_map_set_string(&a, ctx, "title", "Get care");
	value_map_set(&a, ctx, "strings", strings);
	value_map_set_string(&a, strings, "skip", "Skip to content");
	k = page_cache_key(1, &f->care, ctx, common, 1, &a);
	assert_true(k == page_cache_key(1, &f->care, ctx, common, 1, &a));
	assert_true(k != page_cache_key(2, &f->care, ctx, common, 1, &a));
	f->care.text_hash = 2;
	assert_true(k != page_cache_key(1, &f->care, ctx, common, 1, &a));
	f->care.text_hash = 1;
	value_map_set_string(&a, ctx, "title", "Get Care");
	assert_true(k != page_cache_key(1, &f->care, ctx, common, 1, &a));
	value_map_set_string(&a, ctx, "title", "Get care");
	assert_true(k == page_cache_key(1, &f->care, ctx, common, 1, &a));
	/* Common values are the site key's. */
	value_map_set_string(&a, strings, "skip", "Skip");
	assert_true(k == page_cache_key(1, &f->care, ctx, common, 1, &a));
	assert_true(k != page_cache_key(1, &f->care, ctx, NULL, 0, &a));
	/* A fallback copy's key is its source's text's. */
	f->copy.fallback_of = &f->care;
	f->copy.path = "content/en/care.md";
	assert_true(page_cache_key(1, &f->copy, ctx, common, 1, &a) != 0);
	f->care.text_hash = 3;
	assert_true(page_cache_key(1, &f->copy, ctx, common, 1, &a) !=
		    page_cache_key(1, &f->copy, ctx, NULL, 0, &a));
	f->copy.fallback_of = NULL;
	arena_release(&a);
}

/* Addresses: a page renamed, moved or added changes what links resolve to. */
static void test_addresses_follow_every_page(void **state)
{
	struct fx *f = *state;
	uint64_t h = page_cache_addresses(&f->site);
	assert_true(h == page_cache_addresses(&f->site));
	f->other.url = "/es/otra-cosa/";
	assert_true(h != page_cache_addresses(&f->site));
	f->other.url = "/es/otra/";
	f->other.name = "otra-cosa";
	assert_true(h != page_cache_addresses(&f->site));
	f->other.name = "otra";
	f->site.n_pages = 1;
	assert_true(h != page_cache_addresses(&f->site));
}

/* A source as loaded comes back whole: front matter (with a negative
 * order and absent fields), text length, hashes, body place, and the
 * warnings of its parse, marked earlier; a cut record is refused. */
static void test_source_record_round_trip(void **state)
{
	struct fx *f = *state;
	struct page src, back;
	struct diags found = { 0 }, d = { 0 };
	struct buf rec = BUF_INIT;
	struct arena a = ARENA_INIT;
	size_t n;
	(void)f;
	memset(&src, 0, sizeof(src));
	memset(&back, 0, sizeof(back));
	src.meta.title = "Urgent care: what to do";
	src.meta.description = "";
	src.meta.key = "urgent";
	src.meta.order = -3;
	src.meta.has_order = 1;
	src.meta.translation = TRANSLATION_REVIEWED;
	src.meta.has_translation = 1;
	src.meta.reviewer = "R. Díaz";
	src.meta.source_hash = "0123456789ab";
	src.meta.title_line = 2;
	src.meta.key_line = 3;
	src.meta.key_col = 6;
	src.text_hash = 0xfedcba9876543210ULL;
	strcpy(src.body_hash, "ba9876543210");
	src.len = 4321;
	src.body_offset = 120;
	src.body_line = 7;
	diag(&found, RULE_FRONT_MATTER_KEY, "content/en/urgent.md", 4, 1, "unknown key 'tilte'");
	diag_note(&found, "did you mean 'title'?");
	page_cache_format_source(&src, &found, &rec);
	assert_int_equal(page_cache_apply_source(rec.ptr, rec.len, &back, &a, &d), 0);
	assert_string_equal(back.meta.title, "Urgent care: what to do");
	assert_string_equal(back.meta.description, "");
	assert_null(back.meta.slug);
	assert_string_equal(back.meta.key, "urgent");
	assert_null(back.meta.updated);
	assert_int_equal(back.meta.order, -3);
	assert_int_equal(back.meta.has_order, 1);
	assert_int_equal(back.meta.translation, TRANSLATION_REVIEWED);
	assert_string_equal(back.meta.reviewer, "R. Díaz");
	assert_null(back.meta.reviewed);
	assert_string_equal(back.meta.source_hash, "0123456789ab");
	assert_int_equal(back.meta.key_col, 6);
	assert_true(back.text_hash == src.text_hash);
	assert_string_equal(back.body_hash, "ba9876543210");
	assert_int_equal(back.len, 4321);
	assert_int_equal(back.body_offset, 120);
	assert_int_equal(back.body_line, 7);
	assert_null(back.text);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.v[0].earlier, 1);
	assert_string_equal(d.v[0].note, "did you mean 'title'?");
	for (n = 0; n < rec.len; n++) {
		struct page none;
		struct diags nd = { 0 };
		memset(&none, 0, sizeof(none));
		assert_int_equal(page_cache_apply_source(rec.ptr, n, &none, &a, &nd), -1);
		assert_null(none.meta.title);
		assert_int_equal(nd.n, 0);
	}
	diags_release(&found);
	diags_release(&d);
	buf_release(&rec);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_restores_the_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_record_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_linking_to_a_gone_page_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cache_file_found_by_address_and_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damaged_cache_file_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_follows_every_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses_follow_every_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_record_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
