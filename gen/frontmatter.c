/* frontmatter.c - split and check page front matter. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "frontmatter.h"
#include "util.h"
#include "value.h"

const char *const translation_name[TRANSLATION_MAX] = { "source", "provided", "reviewed" };

enum fm_key {
	FM_TITLE, FM_DESCRIPTION, FM_SLUG, FM_KEY, FM_ORDER, FM_UPDATED, FM_TRANSLATION,
	FM_REVIEWER, FM_REVIEWED, FM_SOURCE_HASH, FM_MAX
};

static const char *const fm_name[FM_MAX] = {
	"title", "description", "slug", "key", "order", "updated", "translation",
	"reviewer", "reviewed", "source_hash",
};

/* Hugo front matter names that mean the same as ours. */
static const struct { const char *alias; enum fm_key key; } fm_alias[] = {
	{ "translationKey", FM_KEY }, { "weight", FM_ORDER }, { "date", FM_UPDATED },
};

static int lookup_key(const char *name)
{
	size_t i;
	for (i = 0; i < FM_MAX; i++)
		if (!strcmp(name, fm_name[i]))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(fm_alias); i++)
		if (!strcmp(name, fm_alias[i].alias))
			return (int)fm_alias[i].key;
	return -1;
}

/* The index of the first entry of map, among the first n, that names key k
 * (by our name or a Hugo alias), or n if none does. */
static size_t first_with_key(const struct value *map, size_t n, int k)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (lookup_key(map->keys[i]) == k)
			break;
	return i;
}

/* Finds the closing "---" (or "...") line; returns the offset of that line
 * or -1. *lines counts the lines before it. */
static long find_close(const char *text, size_t len, size_t from, int *lines)
{
	size_t i = from;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - i;
		while (n && (text[i + n - 1] == ' ' || text[i + n - 1] == '\t'))
			n--;
		if (n == 3 && (!memcmp(text + i, "---", 3) || !memcmp(text + i, "...", 3)))
			return (long)i;
		(*lines)++;
		i = end + 1;
	}
	return -1;
}

/* A date as YYYY-MM-DD, or the date part of a Hugo timestamp. */
static const char *check_date(struct arena *a, const char *path, const struct value *v,
			      const char *key, struct diags *d)
{
	const char *s = v->str;
	int ok = s && strlen(s) >= 10;
	size_t i;
	for (i = 0; ok && i < 10; i++)
		ok = (i == 4 || i == 7) ? s[i] == '-' : isdigit((unsigned char)s[i]);
	if (ok && s[10] && s[10] != 'T' && s[10] != ' ')
		ok = 0;
	if (ok) {
		static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int year = atoi(s), mon = (s[5] - '0') * 10 + (s[6] - '0');
		int day = (s[8] - '0') * 10 + (s[9] - '0');
		int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		ok = mon >= 1 && mon <= 12 && day >= 1 && day <= days[mon - 1] &&
		     !(mon == 2 && day == 29 && !leap);
	}
	if (!ok) {
		diag(d, RULE_YAML_TYPE, path, v->line, v->col, "'%s' must be a date (YYYY-MM-DD)", key);
		return NULL;
	}
	return arena_strndup(a, s, 10);
}

static int set_field(struct page_meta *m, enum fm_key k, const struct value *v, const char *name,
		     const char *path, struct arena *a, struct diags *d)
{
	size_t i;
	if (!value_is_scalar(v) || v->type == VALUE_NULL) {
		diag(d, RULE_YAML_TYPE, path, v->line, v->col, "'%s' must be a single value, not %s",
		     name, v->type == VALUE_LIST ? "a list" : v->type == VALUE_MAP ? "a map" : "empty");
		return -1;
	}
	switch (k) {
	case FM_TITLE:
		m->title = v->str;
		m->title_line = v->line;
		break;
	case FM_DESCRIPTION: m->description = v->str; break;
	case FM_SLUG:
		m->slug = v->str;
		m->slug_line = v->line;
		m->slug_col = v->col;
		break;
	case FM_KEY:
		m->key = v->str;
		m->key_line = v->line;
		m->key_col = v->col;
		break;
	case FM_REVIEWER: m->reviewer = v->str; break;
	case FM_SOURCE_HASH: m->source_hash = v->str; break;
	case FM_ORDER:
		/* Range first: converting a larger double to int is undefined. */
		if (v->type != VALUE_NUMBER || v->number < -1e9 || v->number > 1e9 ||
		    v->number != (double)(int)v->number) {
			diag(d, RULE_YAML_TYPE, path, v->line, v->col, "'%s' must be a whole number", name);
			return -1;
		}
		m->order = (int)v->number;
		m->has_order = 1;
		break;
	case FM_UPDATED:
		return (m->updated = check_date(a, path, v, name, d)) ? 0 : -1;
	case FM_REVIEWED:
		return (m->reviewed = check_date(a, path, v, name, d)) ? 0 : -1;
	case FM_TRANSLATION:
		for (i = 0; i < TRANSLATION_MAX; i++)
			if (!strcmp(v->str, translation_name[i]))
				break;
		if (i == TRANSLATION_MAX) {
			diag(d, RULE_YAML_TYPE, path, v->line, v->col,
			     "translation must be source, provided or reviewed, not '%s'", v->str);
			return -1;
		}
		m->translation = (enum translation_status)i;
		m->has_translation = 1;
		break;
	case FM_MAX:
		BUG("FM_MAX is not a key");
	}
	return 0;
}

int frontmatter_parse(const char *path, const char *text, size_t len, struct arena *a,
		      struct page_meta *m, size_t *body_offset, int *body_line,
		      struct diags *d)
{
	struct value *root;
	int lines = 1, ret = 0;
	long close;
	size_t i, start;
	memset(m, 0, sizeof(*m));
	m->description = "";
	if (!len) {
		diag(d, RULE_FRONT_MATTER, path, 1, 1, "empty file");
		diag_note(d, "a page starts with front matter: ---, title: ..., ---");
		return -1;
	}
	if (len < 3 || memcmp(text, "---", 3) || (len > 3 && text[3] != '\n' &&
	    strspn(text + 3, " \t") != strcspn(text + 3, "\n"))) {
		diag(d, RULE_FRONT_MATTER, path, 1, 1, "missing front matter");
		diag_note(d, "start the file with a line '---', then 'title: ...', then '---'");
		return -1;
	}
	start = (size_t)(strchr(text, '\n') ? strchr(text, '\n') - text + 1 : (long)len);
	close = find_close(text, len, start, &lines);
	if (close < 0) {
		diag(d, RULE_FRONT_MATTER, path, 1, 1, "front matter is not closed");
		diag_note(d, "end it with a line '---' before the page text");
		return -1;
	}
	if (value_parse_yaml(text + start, (size_t)close - start, path, 1, a, &root, d))
		return -1;
	if (root->type != VALUE_MAP) {
		diag(d, RULE_FRONT_MATTER, path, 2, 1, "front matter must be 'key: value' lines");
		return -1;
	}
	for (i = 0; i < root->n; i++) {
		int k = lookup_key(root->keys[i]);
		size_t j;
		if (k >= 0 && (j = first_with_key(root, i, k)) < i) {
			/* YAML saw two different names; for us they are one key
			 * ('order' and Hugo's 'weight'), and the later would win. */
			diag(d, RULE_YAML_DUPLICATE, path, root->key_lines[i], 1,
			     "duplicate key '%s' (the same as '%s' on line %d)", root->keys[i],
			     root->keys[j], root->key_lines[j]);
			diag_note(d, "'%s' and '%s' both set the page's %s; keep one of them",
				  root->keys[j], root->keys[i], fm_name[k]);
			ret = -1;
			continue;
		}
		if (k < 0) {
			const char *hint = did_you_mean(root->keys[i], fm_name, FM_MAX);
			diag(d, RULE_FRONT_MATTER_KEY, path, root->key_lines[i], 1,
			     "unknown front matter key '%s'", root->keys[i]);
			if (hint)
				diag_note(d, "did you mean '%s'?", hint);
			continue;
		}
		if (set_field(m, (enum fm_key)k, root->items[i], root->keys[i], path, a, d))
			ret = -1;
	}
	if (!ret && (!m->title || !*m->title)) {
		diag(d, RULE_FRONT_MATTER, path, 1, 1, "missing 'title' in front matter");
		diag_note(d, "add a line 'title: ...' between the --- lines");
		ret = -1;
	}
	/* The body starts after the closing line. */
	{
		const char *nl = memchr(text + close, '\n', len - (size_t)close);
		*body_offset = nl ? (size_t)(nl - text) + 1 : len;
		*body_line = lines + 1;
	}
	return ret;
}
