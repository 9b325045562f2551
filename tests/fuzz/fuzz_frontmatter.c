/* fuzz_frontmatter.c - libFuzzer target for the loading stage: arbitrary
 * bytes go through source_normalize (encoding checks, BOM, CRLF, NFC), then
 * value_parse_yaml (as a whole document) and frontmatter_parse (as a page),
 * the page's title through slug_from_text, and, when the bytes are a YAML
 * map, config_load as content/site.yaml (languages, facts flattened and
 * expanded, cycles refused). Every call must return without a crash, a leak
 * or a sanitizer report, whatever the input; diagnostics are the expected
 * outcome for bad input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arena.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "frontmatter.h"
#include "slug.h"
#include "source.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char strings_yaml[] =
	"site_name: S\nskip_link: Skip\nnav_label: Main\nlanguage_label: Language\n"
	"footer_label: Notices\nhome: Home\nupdated: \"Updated {date}\"\n"
	"large_print: Large print\nweb_version: Web\npage_label: Page\nof_label: of\n"
	"note: Note\nwarning: Warning\nnonurgent: Non-urgent\nurgent: Urgent\n"
	"emergency: Emergency\nfootnotes: Notes\nfootnote_back: \"Back {n}\"\n"
	"not_found_title: Not found\nnot_found_text: x\nback_home: Home\n"
	"untranslated: \"Not in {language}\"\ncontents: Contents\n"
	"choose_language: Choose\n";

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		abort();
	fwrite(text, 1, len, fp);
	fclose(fp);
}

/* Loads text as the site.yaml of a scratch source dir (with the strings of
 * "en"), made and removed around each call: libFuzzer exits without atexit
 * handlers, so nothing may outlive one input. */
static void try_config(const char *text, size_t len)
{
	char dir[64], path[128];
	struct config c;
	struct diags d = { 0 };
	snprintf(dir, sizeof(dir), "%s/carepress-fuzz-XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/en", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/en/strings.yaml", dir);
	write_file(path, strings_yaml, sizeof(strings_yaml) - 1);
	snprintf(path, sizeof(path), "%s/site.yaml", dir);
	write_file(path, text, len);
	config_load(&c, dir, &d);
	config_release(&c);
	diags_release(&d);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en/strings.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en", dir);
	rmdir(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf text = BUF_INIT, slug = BUF_INIT;
	struct arena a = ARENA_INIT;
	struct diags d = { 0 };
	struct page_meta m;
	struct value *root = NULL;
	size_t body_offset = 0;
	int body_line = 0;

	buf_add(&text, data, size);
	if (source_normalize("fuzz.md", &text, &d))
		goto out;

	/* The whole input as one YAML document (site.yaml, strings.yaml). */
	if (!value_parse_yaml(text.ptr, text.len, "fuzz.yaml", 0, &a, &root, &d) &&
	    root->type == VALUE_MAP)
		try_config(text.ptr, text.len);

	/* As a page: front matter split and checked. */
	if (!frontmatter_parse("fuzz.md", text.ptr, text.len, &a, &m, &body_offset, &body_line,
			       &d)) {
		if (body_offset > text.len)
			abort(); /* the contract: the body is inside the text */
		if (m.title)
			slug_from_text(m.title, strlen(m.title), &slug);
	}
out:
	/* Printing exercises the caret code on every diagnostic (to /dev/null). */
	{
		static FILE *null;
		if (!null)
			null = fopen("/dev/null", "w");
		if (null)
			diags_print(&d, null);
	}
	buf_release(&text);
	buf_release(&slug);
	slug_thread_release();
	arena_release(&a);
	diags_release(&d);
	return 0;
}
