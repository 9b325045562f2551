/* value.h - a tree of YAML-like values (maps, lists, scalars) with source
 * positions. It is what libyaml documents load into (site.yaml, strings.yaml,
 * front matter, the Mustache spec) and what templates render from. All memory
 * comes from the arena passed in: a value tree is freed with its arena. */
#ifndef CAREPRESS_VALUE_H
#define CAREPRESS_VALUE_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "hash.h"

enum value_type {
	VALUE_NULL,    /* ~, null, empty plain scalar */
	VALUE_BOOL,    /* true/false (plain scalars only) */
	VALUE_NUMBER,  /* a plain scalar that parses as an integer or float */
	VALUE_STRING,  /* any other scalar, and every quoted scalar */
	VALUE_LIST,
	VALUE_MAP
};

struct value {
	enum value_type type;
	const char *str;      /* scalar text as written (NUL-terminated); NULL for list/map */
	size_t len;           /* strlen(str) */
	int boolean;          /* VALUE_BOOL: 0 or 1 */
	double number;        /* VALUE_NUMBER */
	size_t n;             /* list items or map entries */
	size_t cap;           /* allocated entries (for value_list_push/value_map_set) */
	struct value **items; /* list items; map values */
	const char **keys;    /* map keys, parallel to items; NULL for lists */
	int *key_lines;       /* map keys' 1-based lines, parallel to keys; 0 if built */
	int line, col;        /* 1-based position of the value in its file; 0 if built */
	/* A list made on demand (value_new_made_list): items is NULL and item i
	 * is make(make_ctx, i, arena); see value_list_at. */
	const struct value *(*make)(void *make_ctx, size_t i, struct arena *a);
	void *make_ctx;
};

/* Parses one YAML document from text (len bytes, need not be NUL-terminated).
 * path names the file in diagnostics; line_offset is added to every line (for
 * front matter that starts after a '---' line). Keys must be scalars and
 * unique per map; aliases are refused (no billion laughs). Returns 0 and sets
 * *out (a VALUE_NULL for an empty document), or -1 after adding diagnostics. */
int value_parse_yaml(const char *text, size_t len, const char *path, int line_offset,
		     struct arena *a, struct value **out, struct diags *d);

/* Builders, for contexts made in code. Strings are not copied: they must
 * outlive the tree (use arena_strdup when they would not). */
struct value *value_new(struct arena *a, enum value_type type);
struct value *value_new_string(struct arena *a, const char *s);
struct value *value_new_bool(struct arena *a, int b);
/* A VALUE_LIST of n items made one at a time when read (value_list_at),
 * so that a context far larger than memory needs (a report of thousands of
 * pages) never exists whole. make must be safe to call more than once for
 * the same i and must not keep what it builds in a. */
struct value *value_new_made_list(struct arena *a, size_t n,
				  const struct value *(*make)(void *make_ctx, size_t i,
							      struct arena *a),
				  void *make_ctx);
/* Item i (< list->n) of a VALUE_LIST: a made item is built in a and lives
 * until a is released; any other lives as long as the list. */
const struct value *value_list_at(const struct value *list, size_t i, struct arena *a);
/* Appends item to a VALUE_LIST (not a made one). */
void value_list_push(struct arena *a, struct value *list, struct value *item);
/* Sets key in a VALUE_MAP, replacing an existing entry with the same key. */
void value_map_set(struct arena *a, struct value *map, const char *key, struct value *v);
/* Shorthand for value_map_set(a, map, key, value_new_string(a, s)). */
void value_map_set_string(struct arena *a, struct value *map, const char *key, const char *s);

/* Adds to h all a template can see of v, depth first: each value's type,
 * map keys in order, list lengths and scalars as written; two trees give the
 * same additions only when they render the same in every template. A value
 * that is shared[i] is added as the mark i alone: values common to many
 * trees (a language's strings), which the caller hashes once. Made lists
 * are made in a. */
void value_hash(const struct value *v, struct hasher *h, const struct value *const *shared,
		size_t n_shared, struct arena *a);

/* Returns the value of key in a VALUE_MAP, or NULL (also when map is not a
 * map). Linear: maps here are small. */
const struct value *value_map_get(const struct value *map, const char *key);
/* Follows a dotted path ("phone.tty") through nested maps; NULL if absent. */
const struct value *value_get_path(const struct value *root, const char *path);
/* Mustache truthiness: false for NULL, false, and empty lists. */
int value_truthy(const struct value *v);
/* 1 for NULL, BOOL, NUMBER and STRING. */
int value_is_scalar(const struct value *v);

#endif
