/* test_value.c - unit tests for value.c: YAML into value trees (typing,
 * positions, the errors an author sees), the limits on hostile input, and
 * the builders and lookups templates rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "util.h"
#include "value.h"

/* Per test: an arena and a diagnostics list, released by teardown even when
 * an assertion fails, so a failing test does not also report leaks. */
struct fx {
	struct arena a;
	struct diags d;
	char *scratch; /* freed by teardown */
};

static int setup(void **state)
{
	*state = xcalloc(1, sizeof(struct fx));
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_release(&f->a);
	diags_release(&f->d);
	free(f->scratch);
	free(f);
	return 0;
}

/* Parses s as file "t.yaml"; returns what value_parse_yaml returned. */
static int parse(const char *s, int line_offset, struct arena *a, struct value **out,
		 struct diags *d)
{
	return value_parse_yaml(s, strlen(s), "t.yaml", line_offset, a, out, d);
}

static const struct value *get(const struct value *map, const char *key)
{
	const struct value *v = value_map_get(map, key);
	assert_non_null(v);
	return v;
}

static void test_scalar_types(void **state)
{
	static const char text[] =
		"n1: ~\n"
		"n2: null\n"
		"n3:\n"
		"n4: NULL\n"
		"b1: true\n"
		"b2: False\n"
		"b3: TRUE\n"
		"i: 42\n"
		"neg: -3.5\n"
		"exp: 1e3\n"
		"s: hello world\n"
		"q1: \"42\"\n"
		"q2: 'true'\n"
		"q3: \"null\"\n"
		"q4: ''\n"
		"q5: \"~\"\n"
		"date: 2024-05-01\n"
		"phone: 1-833-574-2273\n"
		"ver: 1.2.3\n"
				"block: |\n"
		"  42\n";
	struct fx *f = *state;
	struct value *root;
	const struct value *v;
	assert_int_equal(parse(text, 0, &f->a, &root, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(root->type, VALUE_MAP);
	assert_int_equal(root->n, 20);
	assert_int_equal(get(root, "n1")->type, VALUE_NULL);
	assert_int_equal(get(root, "n2")->type, VALUE_NULL);
	assert_int_equal(get(root, "n3")->type, VALUE_NULL);
	assert_int_equal(get(root, "n4")->type, VALUE_NULL);
	v = get(root, "b1");
	assert_int_equal(v->type, VALUE_BOOL);
	assert_int_equal(v->boolean, 1);
	v = get(root, "b2");
	assert_int_equal(v->type, VALUE_BOOL);
	assert_int_equal(v->boolean, 0);
	assert_int_equal(get(root, "b3")->boolean, 1);
	v = get(root, "i");
	assert_int_equal(v->type, VALUE_NUMBER);
	assert_true(v->number == 42.0);
	assert_string_equal(v->str, "42"); /* text as written, for templates */
	assert_int_equal(v->len, 2);
	v = get(root, "neg");
	assert_int_equal(v->type, VALUE_NUMBER);
	assert_true(v->number == -3.5);
	assert_true(get(root, "exp")->number == 1000.0);
	v = get(root, "s");
	assert_int_equal(v->type, VALUE_STRING);
	assert_string_equal(v->str, "hello world");
	assert_int_equal(v->len, 11);
	/* Quoted scalars are strings whatever they look like. */
	v = get(root, "q1");
	assert_int_equal(v->type, VALUE_STRING);
	assert_string_equal(v->str, "42");
	assert_int_equal(get(root, "q2")->type, VALUE_STRING);
	assert_int_equal(get(root, "q3")->type, VALUE_STRING);
	v = get(root, "q4");
	assert_int_equal(v->type, VALUE_STRING);
	assert_string_equal(v->str, "");
	assert_int_equal(get(root, "q5")->type, VALUE_STRING);
	/* Things that start like numbers but are not. */
	assert_int_equal(get(root, "date")->type, VALUE_STRING);
	assert_int_equal(get(root, "phone")->type, VALUE_STRING);
	assert_int_equal(get(root, "ver")->type, VALUE_STRING);
	v = get(root, "block");
	assert_int_equal(v->type, VALUE_STRING);
	assert_string_equal(v->str, "42\n");
}

static void test_keys_keep_document_order(void **state)
{
	struct fx *f = *state;
	struct value *root;
	assert_int_equal(parse("z: 1\na: 2\nm: 3\n", 0, &f->a, &root, &f->d), 0);
	assert_int_equal(root->n, 3);
	assert_string_equal(root->keys[0], "z");
	assert_string_equal(root->keys[1], "a");
	assert_string_equal(root->keys[2], "m");
}

static void test_nested_maps_and_lists(void **state)
{
	static const char text[] =
		"languages:\n"
		"  - tag: en\n"
		"    name: English\n"
		"  - {tag: es, name: \"Español\"}\n"
		"facts:\n"
		"  phone:\n"
		"    main: \"1-800-555-0100\"\n"
		"    tty: 711\n"
		"pages: [index, about, [x, y], {k: v}]\n"
		"empty_list: []\n"
		"empty_map: {}\n";
	struct fx *f = *state;
	struct value *root;
	const struct value *langs, *pages, *v;
	assert_int_equal(parse(text, 0, &f->a, &root, &f->d), 0);
	langs = get(root, "languages");
	assert_int_equal(langs->type, VALUE_LIST);
	assert_null(langs->keys);
	assert_int_equal(langs->n, 2);
	assert_int_equal(langs->items[0]->type, VALUE_MAP);
	assert_string_equal(get(langs->items[0], "name")->str, "English");
	assert_string_equal(get(langs->items[1], "name")->str, "Español");
	v = value_get_path(root, "facts.phone.main");
	assert_non_null(v);
	assert_string_equal(v->str, "1-800-555-0100");
	v = value_get_path(root, "facts.phone.tty");
	assert_non_null(v);
	assert_int_equal(v->type, VALUE_NUMBER);
	assert_string_equal(v->str, "711");
	pages = get(root, "pages");
	assert_int_equal(pages->n, 4);
	assert_string_equal(pages->items[1]->str, "about");
	assert_int_equal(pages->items[2]->type, VALUE_LIST);
	assert_string_equal(pages->items[2]->items[1]->str, "y");
	assert_string_equal(get(pages->items[3], "k")->str, "v");
	v = get(root, "empty_list");
	assert_int_equal(v->type, VALUE_LIST);
	assert_int_equal(v->n, 0);
	assert_false(value_truthy(v));
	v = get(root, "empty_map");
	assert_int_equal(v->type, VALUE_MAP);
	assert_int_equal(v->n, 0);
}

static void test_positions(void **state)
{
	static const char text[] =
		"title: Urgent care\n"     /* 1 */
		"facts:\n"                 /* 2 */
		"  phone:\n"               /* 3 */
		"    main: \"711\"\n"      /* 4 */
		"list: [a, bb, c]\n"       /* 5 */
		"block:\n"                 /* 6 */
		"  - one\n";               /* 7 */
	struct fx *f = *state;
	struct value *root;
	const struct value *v;
	assert_int_equal(parse(text, 0, &f->a, &root, &f->d), 0);
	assert_int_equal(root->line, 1);
	assert_int_equal(root->col, 1);
	v = get(root, "title");
	assert_int_equal(v->line, 1);
	assert_int_equal(v->col, 8);
	v = value_get_path(root, "facts.phone.main");
	assert_int_equal(v->line, 4);
	assert_int_equal(v->col, 11); /* the opening quote */
	v = get(root, "list");
	assert_int_equal(v->line, 5);
	assert_int_equal(v->col, 7);
	assert_int_equal(v->items[1]->line, 5);
	assert_int_equal(v->items[1]->col, 11);
	assert_int_equal(v->items[2]->col, 15);
	v = get(root, "block");
	assert_int_equal(v->items[0]->line, 7);
	assert_int_equal(v->items[0]->col, 5);
}

/* Columns count bytes, as every diagnostic does: "é" is two. */
static void test_columns_are_bytes(void **state)
{
	struct fx *f = *state;
	struct value *root;
	const struct value *v;
	assert_int_equal(parse("nombre: Espa\xC3\xB1ol\nlista: [\xC3\xA9, b, \xE4\xB8\xAD, c]\n", 0,
			       &f->a, &root, &f->d), 0);
	v = get(root, "lista");
	assert_int_equal(v->col, 8);
	assert_int_equal(v->items[0]->col, 9);
	assert_int_equal(v->items[1]->col, 13);  /* 12 in characters */
	assert_int_equal(v->items[2]->col, 16);
	assert_int_equal(v->items[3]->col, 21);  /* 18 in characters */
	/* Errors too: the alias after "ñ, " is at byte 9 (character 8). */
	assert_int_equal(parse("a: &x 1\nb: [\xC3\xB1, *x]\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 9);
}

static void test_line_offset(void **state)
{
	struct fx *f = *state;
	struct value *root;
	const struct value *v;
	/* Front matter: the YAML starts on line 2 of the file. */
	assert_int_equal(parse("title: A\nslug: b\n", 1, &f->a, &root, &f->d), 0);
	v = get(root, "slug");
	assert_int_equal(v->line, 3);
	assert_int_equal(v->col, 7);
	/* Errors carry the offset too. */
	assert_int_equal(parse("title: A\ntitle: B\n", 10, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_DUPLICATE);
	assert_int_equal(f->d.v[0].line, 12);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].note, "first given on line 11; remove one of them");
}

static void test_text_need_not_be_terminated(void **state)
{
	struct fx *f = *state;
	struct value *root;
	static const char text[] = "a: 1\nb: 2\nGARBAGE: [";
	/* Only the first 10 bytes are the document. */
	assert_int_equal(value_parse_yaml(text, 10, "t.yaml", 0, &f->a, &root, &f->d), 0);
	assert_int_equal(root->n, 2);
	assert_null(value_map_get(root, "GARBAGE"));
}

static void test_empty_document(void **state)
{
	struct fx *f = *state;
	struct value *root = NULL;
	assert_int_equal(parse("", 0, &f->a, &root, &f->d), 0);
	assert_non_null(root);
	assert_int_equal(root->type, VALUE_NULL);
	root = NULL;
	assert_int_equal(parse("# only a comment\n\n", 0, &f->a, &root, &f->d), 0);
	assert_non_null(root);
	assert_int_equal(root->type, VALUE_NULL);
	assert_int_equal(f->d.n, 0);
}

static void test_syntax_error_position(void **state)
{
	struct fx *f = *state;
	struct value *root;
	/* A tab used for indentation (line 3) is a YAML error. */
	assert_int_equal(parse("a: 1\nb:\n\tc: 2\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].severity, SEV_ERROR);
	assert_string_equal(f->d.v[0].file, "t.yaml");
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[0].col, 1);
	assert_true(!strncmp(f->d.v[0].message, "YAML syntax error: ", 19));
	diags_release(&f->d);

	/* An unclosed flow list: reported at its '[', not where libyaml gave up
	 * (named in the note), with the offset added. */
	assert_int_equal(parse("title: x\npages: [a, b\nother: 1\n", 1, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].line, 3); /* line 2 of the text, plus 1 */
	assert_int_equal(f->d.v[0].col, 8);
	assert_string_equal(f->d.v[0].message, "YAML syntax error: did not find expected ',' "
			    "or ']' while parsing a flow sequence");
	assert_string_equal(f->d.v[0].note, "the list '[' that starts here is not closed (YAML "
			    "gave up at line 4, column 6)");
	diags_release(&f->d);

	/* The same for a map, and for a quote never closed (columns in bytes). */
	assert_int_equal(parse("a: {b: 1\nc: 2\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 4);
	assert_string_equal(f->d.v[0].note, "the map '{' that starts here is not closed (YAML "
			    "gave up at line 2, column 2)");
	diags_release(&f->d);
	assert_int_equal(parse("\xC3\xA9: 1\nt\xC3\xADtulo: \"Acerca de\nb: 2\n", 0, &f->a, &root,
			       &f->d), -1);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 10);
	assert_string_equal(f->d.v[0].message, "YAML syntax error: found unexpected end of stream "
			    "while scanning a quoted scalar");
	diags_release(&f->d);

	/* A bad escape inside quotes is where the escape is. */
	assert_int_equal(parse("a: \"x\\qy\"\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 6);
	assert_null(f->d.v[0].note);
	diags_release(&f->d);

	/* A key without a value separator inside a map. */
	assert_int_equal(parse("a: 1\nb\nc: 2\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].line, 3);
}

static void test_duplicate_key(void **state)
{
	struct fx *f = *state;
	struct value *root;
	assert_int_equal(parse("a: 1\nb: 2\na: 3\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_DUPLICATE);
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].message, "duplicate key 'a'");
	assert_string_equal(f->d.v[0].note, "first given on line 1; remove one of them");
	diags_release(&f->d);

	/* Nested, and quoting does not make a key different. */
	assert_int_equal(parse("facts:\n  org: A\n  'org': B\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_DUPLICATE);
	assert_int_equal(f->d.v[0].line, 3);
	assert_int_equal(f->d.v[0].col, 3);
	assert_string_equal(f->d.v[0].message, "duplicate key 'org'");
	assert_string_equal(f->d.v[0].note, "first given on line 2; remove one of them");
}

/* The note names the line of the first key. When that key's value is a
 * block on the following lines, the line of the value is not the line of
 * the key. */
static void test_duplicate_key_note_names_key_line(void **state)
{
	struct fx *f = *state;
	struct value *root;
	assert_int_equal(parse("pages:\n  - index\n  - about\npages: [x]\n", 0, &f->a, &root, &f->d),
			 -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_DUPLICATE);
	assert_int_equal(f->d.v[0].line, 4);
	assert_string_equal(f->d.v[0].note, "first given on line 1; remove one of them");
}

/* A double-quoted escape can make a character the file could not hold: a
 * control character or a noncharacter would reach the page, so the scalar
 * is refused where it starts. Tab and newline escapes are text. */
static void test_escaped_control_characters_refused(void **state)
{
	struct fx *f = *state;
	static const struct { const char *yaml, *message; } bad[] = {
		{ "org: \"Example\\e Health\"\n", "control character 0x1B" },
		{ "org: \"a\\x1b\"\n", "control character 0x1B" },
		{ "org: \"a\\0b\"\n", "control character 0x00" },
		{ "org: \"a\\N\"\n", "control character U+0085" },
		{ "org: \"a\\uFFFF\"\n", "noncharacter U+FFFF" },
		{ "org: \"a\\U0001FFFE\"\n", "noncharacter U+1FFFE" },
		{ "\"or\\fg\": a\n", "control character 0x0C" },
	};
	struct value *root;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char message[128];
		assert_int_equal(parse(bad[i].yaml, 1, &f->a, &root, &f->d), -1);
		assert_int_equal(f->d.n, 1);
		assert_int_equal(f->d.v[0].rule, RULE_ENCODING);
		assert_int_equal(f->d.v[0].line, 2);
		assert_int_equal(f->d.v[0].col, bad[i].yaml[0] == '"' ? 1 : 6);
		snprintf(message, sizeof(message), "quoted text holds %s, written as an escape",
			 bad[i].message);
		assert_string_equal(f->d.v[0].message, message);
		diags_release(&f->d);
	}
	assert_int_equal(parse("a: \"x\\ty\\nz \\u00e9\"\n", 0, &f->a, &root, &f->d), 0);
	assert_string_equal(get(root, "a")->str, "x\ty\nz \xC3\xA9");
}

static void test_non_scalar_key_refused(void **state)
{
	struct fx *f = *state;
	struct value *root;
	assert_int_equal(parse("ok: 1\n? [a, b]\n: 2\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML_TYPE);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 3);
	assert_string_equal(f->d.v[0].message, "a map key must be a plain name");
}

static void test_alias_refused(void **state)
{
	struct fx *f = *state;
	struct value *root;
	/* An anchor alone is harmless; using it is refused (billion laughs). */
	assert_int_equal(parse("a: &x [1, 2]\nb: *x\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 4);
	assert_string_equal(f->d.v[0].message, "YAML aliases (*name) are not supported");
	assert_string_equal(f->d.v[0].note, "write the value out in full");
	diags_release(&f->d);
	assert_int_equal(parse("a: &x 1\nb: [1, *x]\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].col, 8);
}

/* Builds depth '[' then depth ']' (malloc'd). */
static char *nested_lists(size_t depth)
{
	char *s = xmalloc(2 * depth + 1);
	memset(s, '[', depth);
	memset(s + depth, ']', depth);
	s[2 * depth] = '\0';
	return s;
}

static void test_depth_limit(void **state)
{
	struct fx *f = *state;
	struct value *root;
	const struct value *v;
	char *s;
	size_t i;
	/* 64 levels are allowed. */
	free(f->scratch);
	s = f->scratch = nested_lists(64);
	assert_int_equal(parse(s, 0, &f->a, &root, &f->d), 0);
	for (v = root, i = 1; i < 64; i++) {
		assert_int_equal(v->type, VALUE_LIST);
		assert_int_equal(v->n, 1);
		v = v->items[0];
	}
	assert_int_equal(v->n, 0);
	/* The 65th is refused, at its own position. */
	free(f->scratch);
	s = f->scratch = nested_lists(65);
	assert_int_equal(parse(s, 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_NESTING);
	assert_int_equal(f->d.v[0].line, 1);
	assert_int_equal(f->d.v[0].col, 65);
	assert_string_equal(f->d.v[0].message, "YAML nested deeper than 64 levels");
	diags_release(&f->d);
	/* Hostile input: 10,000 levels, no crash, one diagnostic. */
	free(f->scratch);
	s = f->scratch = nested_lists(10000);
	assert_int_equal(parse(s, 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_NESTING);
	diags_release(&f->d);
	/* Maps count the same: {a: {a: ... 1}} 200 deep. */
	free(f->scratch);
	s = f->scratch = xmalloc(200 * 5 + 2);
	for (i = 0; i < 200; i++)
		memcpy(s + 4 * i, "{a: ", 4);
	s[800] = '1';
	memset(s + 801, '}', 200);
	s[1001] = '\0';
	assert_int_equal(parse(s, 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_NESTING);
}

static void test_second_document_refused(void **state)
{
	struct fx *f = *state;
	struct value *root;
	assert_int_equal(parse("a: 1\n---\nb: 2\n", 0, &f->a, &root, &f->d), -1);
	assert_int_equal(f->d.n, 1);
	assert_int_equal(f->d.v[0].rule, RULE_YAML);
	assert_int_equal(f->d.v[0].line, 2);
	assert_int_equal(f->d.v[0].col, 1);
	assert_string_equal(f->d.v[0].message, "more than one YAML document");
	diags_release(&f->d);
	/* An explicit start of the first document is fine, and so is an end. */
	assert_int_equal(parse("---\na: 1\n...\n", 0, &f->a, &root, &f->d), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(get(root, "a")->str, "1");
}

static void test_builders(void **state)
{
	struct fx *f = *state;
	struct value *map = value_new(&f->a, VALUE_MAP), *list = value_new(&f->a, VALUE_LIST);
	struct value *t = value_new_bool(&f->a, 7), *no = value_new_bool(&f->a, 0);
	const struct value *v;
	char key[16];
	int i;
	assert_int_equal(map->n, 0);
	assert_int_equal(map->line, 0);
	assert_int_equal(t->type, VALUE_BOOL);
	assert_int_equal(t->boolean, 1);
	assert_string_equal(t->str, "true");
	assert_string_equal(no->str, "false");
	assert_int_equal(no->len, 5);

	value_map_set_string(&f->a, map, "title", "Urgent care");
	v = value_map_get(map, "title");
	assert_int_equal(v->type, VALUE_STRING);
	assert_string_equal(v->str, "Urgent care");
	assert_int_equal(v->len, 11);
	/* Setting a key again replaces it in place. */
	value_map_set_string(&f->a, map, "title", "Emergency");
	assert_int_equal(map->n, 1);
	assert_string_equal(value_map_get(map, "title")->str, "Emergency");
	/* Growth past the first allocation keeps every entry. */
	for (i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		value_map_set(&f->a, map, arena_strdup(&f->a, key), value_new_bool(&f->a, i % 2));
		value_list_push(&f->a, list, value_new_string(&f->a, "x"));
	}
	assert_int_equal(map->n, 51);
	assert_int_equal(list->n, 50);
	assert_string_equal(map->keys[0], "title");
	assert_int_equal(value_map_get(map, "k49")->boolean, 1);
	assert_int_equal(value_map_get(map, "k0")->boolean, 0);
	assert_string_equal(list->items[49]->str, "x");
	assert_null(value_map_get(map, "k50"));
	assert_null(value_map_get(list, "k1"));
	assert_null(value_map_get(NULL, "k1"));
}

static void test_get_path(void **state)
{
	struct fx *f = *state;
	struct value *root;
	char long_path[400];
	assert_int_equal(parse("phone:\n  tty: \"711\"\n  main: x\nlist: [1]\ns: y\n", 0, &f->a,
			       &root, &f->d), 0);
	assert_string_equal(value_get_path(root, "phone.tty")->str, "711");
	assert_int_equal(value_get_path(root, "phone")->type, VALUE_MAP);
	assert_ptr_equal(value_get_path(root, ""), root);
	assert_null(value_get_path(root, "phone.fax"));
	assert_null(value_get_path(root, "fax.tty"));
	assert_null(value_get_path(root, "s.x"));      /* through a scalar */
	assert_null(value_get_path(root, "list.0"));   /* lists are not indexed */
	assert_null(value_get_path(NULL, "phone"));
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	assert_null(value_get_path(root, long_path));  /* over the key buffer, no overflow */
}

static void test_truthy_and_scalar(void **state)
{
	struct fx *f = *state;
	struct value *list = value_new(&f->a, VALUE_LIST);
	assert_false(value_truthy(NULL));
	assert_false(value_truthy(value_new(&f->a, VALUE_NULL)));
	assert_false(value_truthy(value_new_bool(&f->a, 0)));
	assert_true(value_truthy(value_new_bool(&f->a, 1)));
	assert_false(value_truthy(list));
	value_list_push(&f->a, list, value_new_string(&f->a, ""));
	assert_true(value_truthy(list));
	assert_true(value_truthy(value_new_string(&f->a, ""))); /* Mustache: "" is truthy */
	assert_true(value_truthy(value_new(&f->a, VALUE_MAP)));
	assert_true(value_is_scalar(value_new(&f->a, VALUE_NULL)));
	assert_true(value_is_scalar(value_new_string(&f->a, "x")));
	assert_true(value_is_scalar(value_new(&f->a, VALUE_NUMBER)));
	assert_false(value_is_scalar(list));
	assert_false(value_is_scalar(value_new(&f->a, VALUE_MAP)));
	assert_false(value_is_scalar(NULL));
}

static uint64_t hash_of(const struct value *v, const struct value *const *shared, size_t n,
			struct arena *a)
{
	struct hasher h;
	hasher_init(&h);
	value_hash(v, &h, shared, n, a);
	return hasher_end(&h);
}

/* Trees hash alike only when a template would render them alike: the
 * type counts ("true" is not true), as do key order and list shape. */
static void test_hash_sees_what_templates_see(void **state)
{
	struct fx *f = *state;
	struct arena *a = &f->a;
	struct value *m1 = value_new(a, VALUE_MAP), *m2 = value_new(a, VALUE_MAP);
	struct value *list = value_new(a, VALUE_LIST), *s = value_new_string(a, "true");
	const struct value *shared[1];
	value_map_set_string(a, m1, "a", "x");
	value_map_set_string(a, m1, "b", "y");
	value_map_set_string(a, m2, "a", "x");
	value_map_set_string(a, m2, "b", "y");
	assert_true(hash_of(m1, NULL, 0, a) == hash_of(m2, NULL, 0, a));
	value_map_set_string(a, m2, "b", "yy");
	assert_true(hash_of(m1, NULL, 0, a) != hash_of(m2, NULL, 0, a));
	/* "ab" + "" is not "a" + "b". */
	value_map_set_string(a, m2, "a", "xy");
	value_map_set_string(a, m2, "b", "");
	assert_true(hash_of(m1, NULL, 0, a) != hash_of(m2, NULL, 0, a));
	assert_true(hash_of(s, NULL, 0, a) != hash_of(value_new_bool(a, 1), NULL, 0, a));
	assert_true(hash_of(value_new_bool(a, 0), NULL, 0, a) !=
		    hash_of(value_new_bool(a, 1), NULL, 0, a));
	value_list_push(a, list, m1);
	assert_true(hash_of(list, NULL, 0, a) != hash_of(m1, NULL, 0, a));
	/* A shared value is a mark: its content is the caller's to hash. */
	shared[0] = m1;
	{
		uint64_t h = hash_of(list, shared, 1, a);
		value_map_set_string(a, m1, "a", "changed");
		assert_true(h == hash_of(list, shared, 1, a));
		assert_true(h != hash_of(list, NULL, 0, a));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scalar_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_keep_document_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_maps_and_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns_are_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_need_not_be_terminated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_error_position, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key_note_names_key_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaped_control_characters_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_non_scalar_key_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_document_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_builders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truthy_and_scalar, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_sees_what_templates_see, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
