/* floor.c - the benchmark's floor: the least work any generator of this
 * site must do, done in the simplest way, on one thread. For every *.md file
 * in the given language folders it reads the file, skips its front matter,
 * parses and renders the body with cmark-gfm (tables, autolinks, footnotes:
 * the extensions carepress uses), wraps the HTML in a fixed page shell and
 * writes it twice, as OUT/<lang>/<name>/index.html and as the large-print
 * copy OUT/<lang>/<name>/print/index.html. No checks, no templates, no
 * links between pages: carepress does all of that and more, so the floor is
 * what it should aim to be no slower than.
 *
 * Usage: floor OUT DIR...   (each DIR is a language folder, e.g. SRC/en)
 * Exit status: 0, or 1 if a file could not be read or written.
 */
#define _POSIX_C_SOURCE 200809L
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const extension_names[] = { "table", "autolink" };

static const char shell_head[] =
	"<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>%s</title>\n<link rel=\"stylesheet\" href=\"/assets/%s.css\">\n"
	"</head>\n<body>\n<main id=\"main\">\n";
static const char shell_tail[] = "</main>\n</body>\n</html>\n";

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s '%s': %s\n", what, path, strerror(errno));
	return -1;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	data[size] = '\0';
	*len = (size_t)size;
	return data;
}

/* The body after a leading "---" ... "---" block; the whole text if none. */
static const char *skip_front_matter(const char *text, size_t *len)
{
	const char *end;

	if (strncmp(text, "---\n", 4) != 0)
		return text;
	end = strstr(text + 4, "\n---");
	if (!end)
		return text;
	end += 4;
	while (*end && *end != '\n')
		end++;
	if (*end == '\n')
		end++;
	*len -= (size_t)(end - text);
	return end;
}

static int write_page(const char *path, const char *lang, const char *name,
		      const char *css, const char *html)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return fail("cannot write", path);
	fprintf(f, shell_head, lang, name, css);
	fputs(html, f);
	fputs(shell_tail, f);
	ok = !ferror(f);
	if (fclose(f) || !ok)
		return fail("cannot write", path);
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0777) && errno != EEXIST)
		return fail("cannot create", path);
	return 0;
}

static int render_one(const char *src, const char *out_lang, const char *lang,
		      const char *file)
{
	char path[8192], name[1024];
	size_t len, base_len = strlen(file) - 3;
	const char *body;
	char *text, *html;
	cmark_parser *parser;
	cmark_node *doc;
	size_t i;
	int ret = 0;

	if (base_len >= sizeof(name))
		return -1;
	memcpy(name, file, base_len);
	name[base_len] = '\0';

	snprintf(path, sizeof(path), "%s/%s", src, file);
	text = read_file(path, &len);
	if (!text)
		return fail("cannot read", path);
	body = skip_front_matter(text, &len);

	parser = cmark_parser_new(CMARK_OPT_FOOTNOTES);
	for (i = 0; i < sizeof(extension_names) / sizeof(extension_names[0]); i++)
		cmark_parser_attach_syntax_extension(
			parser, cmark_find_syntax_extension(extension_names[i]));
	cmark_parser_feed(parser, body, len);
	doc = cmark_parser_finish(parser);
	html = cmark_render_html(doc, CMARK_OPT_FOOTNOTES,
				 cmark_parser_get_syntax_extensions(parser));

	snprintf(path, sizeof(path), "%s/%s", out_lang, name);
	if (make_dir(path) == 0) {
		snprintf(path, sizeof(path), "%s/%s/index.html", out_lang, name);
		ret = write_page(path, lang, name, "site", html);
		snprintf(path, sizeof(path), "%s/%s/print", out_lang, name);
		if (ret == 0 && make_dir(path) == 0) {
			snprintf(path, sizeof(path), "%s/%s/print/index.html", out_lang, name);
			ret = write_page(path, lang, name, "print", html);
		} else {
			ret = -1;
		}
	} else {
		ret = -1;
	}

	free(html);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	free(text);
	return ret;
}

int main(int argc, char **argv)
{
	char out_lang[4096];
	int i, status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: floor OUT DIR...\n");
		return 2;
	}
	cmark_gfm_core_extensions_ensure_registered();
	for (i = 0; i < (int)(sizeof(extension_names) / sizeof(extension_names[0])); i++)
		if (!cmark_find_syntax_extension(extension_names[i])) {
			fprintf(stderr, "floor: cmark-gfm has no '%s' extension\n",
				extension_names[i]);
			return 1;
		}
	if (make_dir(argv[1]))
		return 1;

	for (i = 2; i < argc; i++) {
		const char *src = argv[i], *lang = strrchr(src, '/');
		struct dirent *e;
		DIR *d;

		lang = lang ? lang + 1 : src;
		snprintf(out_lang, sizeof(out_lang), "%s/%s", argv[1], lang);
		if (make_dir(out_lang))
			return 1;
		d = opendir(src);
		if (!d) {
			fail("cannot open", src);
			return 1;
		}
		while ((e = readdir(d))) {
			size_t n = strlen(e->d_name);

			if (n <= 3 || strcmp(e->d_name + n - 3, ".md") != 0)
				continue;
			if (render_one(src, out_lang, lang, e->d_name))
				status = 1;
		}
		closedir(d);
	}
	return status;
}
