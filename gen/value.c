/* value.c - YAML documents into value trees (libyaml events), builders and
 * lookups. Never prints; every problem is a diagnostic with a position. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "source.h"
#include "util.h"
#include "value.h"

/* Deeper YAML than this is refused: no content needs it, and it bounds the
 * recursion of the loader on hostile input (10,000 nested lists). */
#define VALUE_MAX_DEPTH 64

struct loader {
	yaml_parser_t parser;
	const char *text;     /* the input, to turn libyaml's columns into bytes */
	size_t len;
	size_t line_start;    /* byte offset where line `line` starts */
	size_t line;          /* 0-based, moves forward as events arrive */
	const char *path;
	int line_offset;
	struct arena *a;
	struct diags *d;
};

/* libyaml counts columns in characters; diagnostics count bytes (the caret
 * must land under the column in Spanish text too). */
static int byte_col(struct loader *l, yaml_mark_t m)
{
	size_t i, chars;
	if (m.line < l->line) {
		l->line = 0;
		l->line_start = 0;
	}
	while (l->line < m.line) {
		const char *nl = memchr(l->text + l->line_start, '\n', l->len - l->line_start);
		if (!nl)
			return (int)m.column + 1;
		l->line_start = (size_t)(nl - l->text) + 1;
		l->line++;
	}
	for (i = l->line_start, chars = 0; i < l->len && chars < m.column; chars++) {
		i++;
		while (i < l->len && ((unsigned char)l->text[i] & 0xC0) == 0x80)
			i++;
	}
	return (int)(i - l->line_start) + 1;
}

/* What an error leaves unclosed: quoted text or a flow collection that
 * libyaml reads to the end of the input, or to where it gives up, before it
 * notices. The place to show is then where it opens (the context mark), not
 * where libyaml gave up (the problem mark, often a line or more later).
 * NULL for every other error, whose problem mark is the place. */
static const char *unclosed(const yaml_parser_t *p)
{
	const char *ctx = p->context, *problem = p->problem;
	if (!ctx || !problem)
		return NULL;
	if (!strcmp(ctx, "while scanning a quoted scalar") &&
	    (!strcmp(problem, "found unexpected end of stream") ||
	     !strcmp(problem, "found unexpected document indicator")))
		return "quoted text";
	if (!strcmp(ctx, "while parsing a flow sequence"))
		return "list '['";
	if (!strcmp(ctx, "while parsing a flow mapping"))
		return "map '{'";
	return NULL;
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	const char *what;
	yaml_mark_t at;
	if (yaml_parser_parse(&l->parser, ev))
		return 0;
	what = unclosed(&l->parser);
	at = what ? l->parser.context_mark : l->parser.problem_mark;
	diag(l->d, RULE_YAML, l->path, (int)at.line + 1 + l->line_offset, byte_col(l, at),
	     "YAML syntax error: %s%s%s",
	     l->parser.problem ? l->parser.problem : "unknown problem",
	     l->parser.context ? " " : "", l->parser.context ? l->parser.context : "");
	if (what)
		diag_note(l->d, "the %s that starts here is not closed (YAML gave up at line %d, "
			  "column %d)", what,
			  (int)l->parser.problem_mark.line + 1 + l->line_offset,
			  byte_col(l, l->parser.problem_mark));
	return -1;
}

static int is_number(const char *s, double *out)
{
	char *end;
	/* Decimal numbers only: not hex, inf or nan, which strtod also takes. */
	if (!*s || strchr("+-.0123456789", *s) == NULL || strpbrk(s, "xXnNiI"))
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno == 0;
}

static struct value *scalar_value(struct loader *l, const yaml_event_t *ev)
{
	struct value *v = value_new(l->a, VALUE_STRING);
	const char *s = (const char *)ev->data.scalar.value;
	v->str = arena_strndup(l->a, s, ev->data.scalar.length);
	v->len = ev->data.scalar.length;
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && strlen(v->str) == v->len) {
		if (!v->len || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
		    !strcmp(s, "NULL")) {
			v->type = VALUE_NULL;
		} else if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
			v->type = VALUE_BOOL;
			v->boolean = 1;
		} else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
			v->type = VALUE_BOOL;
		} else if (is_number(s, &v->number)) {
			v->type = VALUE_NUMBER;
		}
	}
	return v;
}

static int load_node(struct loader *l, yaml_event_t *ev, int depth, struct value **out);

/* Refuses a scalar that holds a character no page may hold. The file itself
 * was checked when it was read (source.c), so such a character comes from a
 * double-quoted escape ("\e", "\x1B", "\uFFFF", "\0"). Returns 0 or -1. */
static int check_scalar(struct loader *l, const struct value *v)
{
	const unsigned char *s = (const unsigned char *)v->str;
	size_t i = 0, len;
	while (i < v->len) {
		unsigned cp = s[i];
		struct buf what = BUF_INIT;
		if ((cp >= 0x20 && cp < 0x7F) || cp == '\t' || cp == '\n') {
			i++; /* printable ASCII, most of any scalar */
			continue;
		}
		len = utf8_valid_len(s + i, v->len - i);
		if (len)
			cp = utf8_decode(s + i, len);
		if (len && source_char_allowed(cp)) {
			i += len;
			continue;
		}
		if (len)
			source_char_describe(cp, &what);
		else
			buf_addf(&what, "invalid UTF-8 byte 0x%02X", cp);
		diag(l->d, RULE_ENCODING, l->path, v->line, v->col,
		     "quoted text holds %s, written as an escape", what.ptr);
		diag_note(l->d, "remove the escape; XML and HTML do not allow control characters "
			  "or noncharacters in a page");
		buf_release(&what);
		return -1;
	}
	return 0;
}

static void set_pos(struct loader *l, struct value *v, const yaml_event_t *ev)
{
	v->line = (int)ev->start_mark.line + 1 + l->line_offset;
	v->col = byte_col(l, ev->start_mark);
}

static int load_children(struct loader *l, struct value *v, int depth)
{
	yaml_event_t ev;
	yaml_event_type_t end = v->type == VALUE_MAP ? YAML_MAPPING_END_EVENT
						      : YAML_SEQUENCE_END_EVENT;
	for (;;) {
		struct value *key = NULL, *item = NULL;
		size_t i;
		if (next_event(l, &ev))
			return -1;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (v->type == VALUE_LIST) {
			if (load_node(l, &ev, depth + 1, &item))
				return -1;
			value_list_push(l->a, v, item);
			continue;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			diag(l->d, RULE_YAML_TYPE, l->path, (int)ev.start_mark.line + 1 + l->line_offset,
			     byte_col(l, ev.start_mark), "a map key must be a plain name");
			yaml_event_delete(&ev);
			return -1;
		}
		key = scalar_value(l, &ev);
		set_pos(l, key, &ev);
		yaml_event_delete(&ev);
		if (check_scalar(l, key))
			return -1;
		for (i = 0; i < v->n; i++) {
			if (!strcmp(v->keys[i], key->str)) {
				diag(l->d, RULE_YAML_DUPLICATE, l->path, key->line, key->col,
				     "duplicate key '%s'", key->str);
				diag_note(l->d, "first given on line %d; remove one of them",
					  v->key_lines[i]);
				return -1;
			}
		}
		if (next_event(l, &ev))
			return -1;
		if (load_node(l, &ev, depth + 1, &item))
			return -1;
		value_map_set(l->a, v, key->str, item);
		v->key_lines[v->n - 1] = key->line;
	}
}

/* Loads the node that starts with ev (which it deletes) into *out. */
static int load_node(struct loader *l, yaml_event_t *ev, int depth, struct value **out)
{
	struct value *v;
	int ret = 0;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		v = scalar_value(l, ev);
		set_pos(l, v, ev);
		ret = check_scalar(l, v);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		v = value_new(l->a, ev->type == YAML_MAPPING_START_EVENT ? VALUE_MAP : VALUE_LIST);
		set_pos(l, v, ev);
		if (depth >= VALUE_MAX_DEPTH) {
			diag(l->d, RULE_NESTING, l->path, v->line, v->col,
			     "YAML nested deeper than %d levels", VALUE_MAX_DEPTH);
			ret = -1;
			break;
		}
		yaml_event_delete(ev);
		*out = v;
		return load_children(l, v, depth);
	case YAML_ALIAS_EVENT:
		diag(l->d, RULE_YAML, l->path, (int)ev->start_mark.line + 1 + l->line_offset,
		     byte_col(l, ev->start_mark), "YAML aliases (*name) are not supported");
		diag_note(l->d, "write the value out in full");
		ret = -1;
		v = NULL;
		break;
	default:
		BUG("unexpected YAML event %d", (int)ev->type);
	}
	yaml_event_delete(ev);
	*out = v;
	return ret;
}

int value_parse_yaml(const char *text, size_t len, const char *path, int line_offset,
		     struct arena *a, struct value **out, struct diags *d)
{
	struct loader l;
	yaml_event_t ev;
	int ret = -1;
	memset(&l, 0, sizeof(l));
	l.path = path;
	l.text = text;
	l.len = len;
	l.line_offset = line_offset;
	l.a = a;
	l.d = d;
	*out = value_new(a, VALUE_NULL);
	if (!yaml_parser_initialize(&l.parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	for (;;) {
		if (next_event(&l, &ev))
			goto out;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
			yaml_event_delete(&ev);
			continue;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			ret = 0;
			goto out;
		default:
			break;
		}
		break;
	}
	if (load_node(&l, &ev, 0, out))
		goto out;
	/* Reject a second document: its keys would be silently ignored. */
	while (!next_event(&l, &ev)) {
		yaml_event_type_t t = ev.type;
		int line = (int)ev.start_mark.line + 1 + line_offset;
		yaml_event_delete(&ev);
		if (t == YAML_DOCUMENT_START_EVENT) {
			diag(d, RULE_YAML, path, line, 1, "more than one YAML document");
			goto out;
		}
		if (t == YAML_STREAM_END_EVENT) {
			ret = 0;
			goto out;
		}
	}
out:
	yaml_parser_delete(&l.parser);
	return ret;
}

struct value *value_new(struct arena *a, enum value_type type)
{
	struct value *v = arena_alloc(a, sizeof(*v));
	v->type = type;
	return v;
}

struct value *value_new_string(struct arena *a, const char *s)
{
	struct value *v = value_new(a, VALUE_STRING);
	v->str = s;
	v->len = strlen(s);
	return v;
}

struct value *value_new_bool(struct arena *a, int b)
{
	struct value *v = value_new(a, VALUE_BOOL);
	v->boolean = !!b;
	v->str = b ? "true" : "false";
	v->len = strlen(v->str);
	return v;
}

static void value_reserve(struct arena *a, struct value *v)
{
	size_t cap;
	struct value **items;
	const char **keys;
	int *key_lines;
	if (v->n < v->cap)
		return;
	cap = v->cap ? v->cap * 2 : 8;
	items = arena_alloc(a, st_mult(cap, sizeof(*items)));
	if (v->n)
		memcpy(items, v->items, v->n * sizeof(*items));
	v->items = items;
	if (v->type == VALUE_MAP) {
		keys = arena_alloc(a, st_mult(cap, sizeof(*keys)));
		if (v->n)
			memcpy(keys, v->keys, v->n * sizeof(*keys));
		v->keys = keys;
		key_lines = arena_alloc(a, st_mult(cap, sizeof(*key_lines)));
		if (v->n)
			memcpy(key_lines, v->key_lines, v->n * sizeof(*key_lines));
		v->key_lines = key_lines;
	}
	v->cap = cap;
}

struct value *value_new_made_list(struct arena *a, size_t n,
				  const struct value *(*make)(void *make_ctx, size_t i,
							      struct arena *a),
				  void *make_ctx)
{
	struct value *v = value_new(a, VALUE_LIST);
	v->n = n;
	v->make = make;
	v->make_ctx = make_ctx;
	return v;
}

const struct value *value_list_at(const struct value *list, size_t i, struct arena *a)
{
	if (list->type != VALUE_LIST || i >= list->n)
		BUG("value_list_at past the end of a list");
	return list->make ? list->make(list->make_ctx, i, a) : list->items[i];
}

static void hash_text(struct hasher *h, const char *s, size_t len)
{
	uint64_t n = len;
	hasher_add(h, &n, sizeof(n));
	hasher_add(h, s, len);
}

void value_hash(const struct value *v, struct hasher *h, const struct value *const *shared,
		size_t n_shared, struct arena *a)
{
	unsigned char tag;
	uint64_t n;
	size_t i;
	for (i = 0; i < n_shared; i++)
		if (v == shared[i]) {
			uint64_t mark = i;
			tag = 0xff;
			hasher_add(h, &tag, 1);
			hasher_add(h, &mark, sizeof(mark));
			return;
		}
	tag = (unsigned char)v->type;
	hasher_add(h, &tag, 1);
	if (v->type == VALUE_BOOL) {
		tag = (unsigned char)v->boolean;
		hasher_add(h, &tag, 1);
	}
	if (value_is_scalar(v)) {
		hash_text(h, v->str ? v->str : "", v->str ? v->len : 0);
		return;
	}
	n = v->n;
	hasher_add(h, &n, sizeof(n));
	for (i = 0; i < v->n; i++) {
		if (v->type == VALUE_MAP)
			hash_text(h, v->keys[i], strlen(v->keys[i]));
		value_hash(v->type == VALUE_MAP ? v->items[i] : value_list_at(v, i, a), h, shared,
			   n_shared, a);
	}
}

void value_list_push(struct arena *a, struct value *list, struct value *item)
{
	if (list->type != VALUE_LIST || list->make)
		BUG("value_list_push on a non-list or a made list");
	value_reserve(a, list);
	list->items[list->n++] = item;
}

void value_map_set(struct arena *a, struct value *map, const char *key, struct value *v)
{
	size_t i;
	if (map->type != VALUE_MAP)
		BUG("value_map_set on a non-map");
	/* The first byte before the call: a report's context is made of
	 * thousands of maps, and is read a name at a time. */
	for (i = 0; i < map->n; i++) {
		if (map->keys[i][0] == key[0] && !strcmp(map->keys[i], key)) {
			map->items[i] = v;
			return;
		}
	}
	value_reserve(a, map);
	map->keys[map->n] = key;
	map->key_lines[map->n] = 0;
	map->items[map->n++] = v;
}

void value_map_set_string(struct arena *a, struct value *map, const char *key, const char *s)
{
	value_map_set(a, map, key, value_new_string(a, s));
}

const struct value *value_map_get(const struct value *map, const char *key)
{
	size_t i;
	if (!map || map->type != VALUE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->keys[i][0] == key[0] && !strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

const struct value *value_get_path(const struct value *root, const char *path)
{
	const struct value *v = root;
	char key[256];
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = value_map_get(v, key);
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}

int value_truthy(const struct value *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case VALUE_NULL: return 0;
	case VALUE_BOOL: return v->boolean;
	case VALUE_LIST: return v->n > 0;
	default: return 1;
	}
}

int value_is_scalar(const struct value *v)
{
	return v && v->type != VALUE_LIST && v->type != VALUE_MAP;
}
