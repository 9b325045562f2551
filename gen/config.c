/* config.c - load site.yaml and strings.yaml; expand facts. Never prints. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "buf.h"
#include "config.h"
#include "phone.h"
#include "source.h"
#include "util.h"

#define DEFAULT_MAX_FILE_SIZE (1024 * 1024)
/* The largest max_file_size site.yaml may set (256 MiB). A page is a few
 * KB; the ceiling keeps a file's length within what ICU's int32 lengths
 * can normalize, and the conversion from the YAML double defined. */
#define MAX_FILE_SIZE_CEILING (256 * 1024 * 1024)
/* Facts may use facts; deeper chains than this are surely a mistake, and
 * the bound keeps expansion from recursing without end. */
#define FACT_MAX_DEPTH 16

static const char *const site_keys[] = {
	"base_url", "languages", "pages", "required_pages", "footer_links", "facts",
	"fallback", "max_file_size", "reading_level",
};

/* UI strings the generator and the theme rely on. */
static const char *const required_strings[] = {
	"site_name", "skip_link", "nav_label", "language_label", "footer_label", "home",
	"updated", "large_print", "web_version", "page_label", "of_label", "note",
	"warning", "nonurgent", "urgent", "emergency", "footnotes", "footnote_back",
	"not_found_title", "not_found_text", "back_home", "untranslated", "contents",
	"choose_language",
};

static int read_yaml(struct config *c, const char *path, struct value **out, struct diags *d)
{
	struct buf text = BUF_INIT;
	int ret = -1;
	/* A symbolic link must not make carepress read outside the content. */
	if (c->real_source && source_check_link(c->real_source, c->source_dir, path, d))
		return -1;
	if (!source_read_stamped(path, c->max_file_size, &text, c->stamps, d) &&
	    !value_parse_yaml(text.ptr, text.len, path, 0, &c->arena, out, d))
		ret = 0;
	buf_release(&text);
	return ret;
}

static const char *need_string(struct config *c, const struct value *map, const char *key,
			       const char *path, struct diags *d)
{
	const struct value *v = value_map_get(map, key);
	if (!v) {
		diag(d, RULE_CONFIG, path, map->line, map->col, "missing '%s'", key);
		return NULL;
	}
	if (v->type == VALUE_LIST || v->type == VALUE_MAP || v->type == VALUE_NULL) {
		diag(d, RULE_YAML_TYPE, path, v->line, v->col, "'%s' must be a single value", key);
		return NULL;
	}
	(void)c;
	return v->str;
}

static int load_key_list(struct config *c, const struct value *root, const char *key,
			 const char ***out, const struct config_pos **out_pos, size_t *n,
			 struct diags *d)
{
	const struct value *v = value_map_get(root, key);
	struct config_pos *pos;
	size_t i;
	*out = NULL;
	*out_pos = NULL;
	*n = 0;
	if (!v || v->type == VALUE_NULL)
		return 0;
	if (v->type != VALUE_LIST) {
		diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
		     "'%s' must be a list of page names", key);
		return -1;
	}
	*out = arena_alloc(&c->arena, st_mult(v->n + 1, sizeof(char *)));
	*out_pos = pos = arena_alloc(&c->arena, st_mult(v->n + 1, sizeof(*pos)));
	for (i = 0; i < v->n; i++) {
		if (!value_is_scalar(v->items[i]) || v->items[i]->type == VALUE_NULL) {
			diag(d, RULE_YAML_TYPE, c->site_path, v->items[i]->line, v->items[i]->col,
			     "'%s' must be a list of page names", key);
			return -1;
		}
		pos[*n].line = v->items[i]->line;
		pos[*n].col = v->items[i]->col;
		(*out)[(*n)++] = v->items[i]->str;
	}
	return 0;
}

static int valid_tag(const char *s)
{
	/* BCP 47 shape: a 2-3 letter language, then subtags of 1-8 alphanumerics. */
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (n < 2 || n > 3)
		return 0;
	s += n;
	while (*s == '-') {
		n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if (n < 1 || n > 8)
			return 0;
		s += 1 + n;
	}
	return *s == '\0';
}

static int load_languages(struct config *c, const struct value *root, struct diags *d)
{
	const struct value *v = value_map_get(root, "languages");
	size_t i, j;
	int ret = 0;
	if (!v || v->type != VALUE_LIST || !v->n) {
		diag(d, RULE_CONFIG, c->site_path, v ? v->line : 1, v ? v->col : 1,
		     "'languages' must list at least one language");
		diag_note(d, "e.g. languages: [{tag: en, name: English, dir: ltr}]");
		return -1;
	}
	c->langs = arena_alloc(&c->arena, st_mult(v->n, sizeof(*c->langs)));
	for (i = 0; i < v->n; i++) {
		const struct value *l = v->items[i];
		struct language *lang = &c->langs[c->n_langs];
		if (l->type != VALUE_MAP) {
			diag(d, RULE_YAML_TYPE, c->site_path, l->line, l->col,
			     "a language must be a map with tag, name and dir");
			ret = -1;
			continue;
		}
		lang->line = l->line;
		lang->col = l->col;
		lang->tag = need_string(c, l, "tag", c->site_path, d);
		lang->name = need_string(c, l, "name", c->site_path, d);
		lang->dir = value_map_get(l, "dir") ? need_string(c, l, "dir", c->site_path, d) : "ltr";
		if (!lang->tag || !lang->name || !lang->dir) {
			ret = -1;
			continue;
		}
		if (!valid_tag(lang->tag)) {
			const struct value *t = value_map_get(l, "tag");
			diag(d, RULE_CONFIG, c->site_path, t->line, t->col,
			     "'%s' is not a BCP 47 language tag", lang->tag);
			diag_note(d, "use a tag such as 'es', 'zh-Hant' or 'pt-BR'");
			ret = -1;
			continue;
		}
		if (strcmp(lang->dir, "ltr") && strcmp(lang->dir, "rtl")) {
			const struct value *t = value_map_get(l, "dir");
			diag(d, RULE_CONFIG, c->site_path, t->line, t->col,
			     "dir must be 'ltr' or 'rtl', not '%s'", lang->dir);
			ret = -1;
			continue;
		}
		for (j = 0; j < c->n_langs; j++)
			if (!strcmp(c->langs[j].tag, lang->tag)) {
				diag(d, RULE_CONFIG, c->site_path, l->line, l->col,
				     "language '%s' listed twice", lang->tag);
				ret = -1;
			}
		c->n_langs++;
	}
	return ret;
}

/* 1 if every key of map is a language tag: a per-language fact. */
static int is_per_language(const struct config *c, const struct value *map)
{
	size_t i;
	if (map->type != VALUE_MAP || !map->n)
		return 0;
	for (i = 0; i < map->n; i++)
		if (config_lang(c, map->keys[i]) < 0)
			return 0;
	return 1;
}

static void add_fact(struct config *c, struct buf *name, const struct value *v, size_t *cap)
{
	struct fact *f;
	size_t i;
	if (c->n_facts == *cap) {
		struct fact *bigger;
		*cap = *cap ? *cap * 2 : 32;
		bigger = arena_alloc(&c->arena, st_mult(*cap, sizeof(*bigger)));
		if (c->n_facts)
			memcpy(bigger, c->facts, c->n_facts * sizeof(*bigger));
		c->facts = bigger;
	}
	f = &c->facts[c->n_facts++];
	f->name = arena_strndup(&c->arena, name->ptr, name->len);
	f->path = c->site_path;
	f->line = v->line;
	f->col = v->col;
	f->values = arena_alloc(&c->arena, st_mult(c->n_langs, sizeof(char *)));
	for (i = 0; i < c->n_langs; i++) {
		const struct value *lv = v->type == VALUE_MAP ? value_map_get(v, c->langs[i].tag) : v;
		f->values[i] = lv ? lv->str : NULL;
	}
}

static int flatten_facts(struct config *c, const struct value *map, struct buf *prefix,
			 size_t *cap, int depth, struct diags *d)
{
	size_t i, keep = prefix->len;
	int ret = 0;
	for (i = 0; i < map->n; i++) {
		const struct value *v = map->items[i];
		buf_truncate(prefix, keep);
		if (keep)
			buf_addc(prefix, '.');
		buf_adds(prefix, map->keys[i]);
		if (v->type == VALUE_MAP && !is_per_language(c, v)) {
			if (depth >= FACT_MAX_DEPTH) {
				diag(d, RULE_NESTING, c->site_path, v->line, v->col,
				     "facts nested too deep");
				return -1;
			}
			ret |= flatten_facts(c, v, prefix, cap, depth + 1, d);
			continue;
		}
		if (v->type == VALUE_LIST || v->type == VALUE_NULL) {
			diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
			     "fact '%s' must be text, or a map from language tags to text",
			     prefix->ptr);
			ret = -1;
			continue;
		}
		if (v->type == VALUE_MAP) {
			size_t j;
			int bad = 0;
			for (j = 0; j < v->n; j++)
				if (!value_is_scalar(v->items[j]) || v->items[j]->type == VALUE_NULL)
					bad = 1;
			if (bad || v->n != c->n_langs) {
				diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
				     "fact '%s' must give a text for every language", prefix->ptr);
				ret = -1;
				continue;
			}
		}
		add_fact(c, prefix, v, cap);
	}
	buf_truncate(prefix, keep);
	return ret;
}

/* Expands {{ name }} inside fact values, depth-first, refusing cycles. */
static int expand_fact(struct config *c, struct fact *f, size_t lang, unsigned char *state,
		       int depth, struct diags *d)
{
	const char *s = f->values[lang], *open;
	struct buf out = BUF_INIT;
	size_t idx = (size_t)(f - c->facts) * c->n_langs + lang;
	if (state[idx] == 2 || !strstr(s, "{{")) {
		state[idx] = 2;
		return 0;
	}
	if (state[idx] == 1 || depth > FACT_MAX_DEPTH) {
		diag(d, RULE_FACT_CYCLE, f->path, f->line, f->col,
		     "fact '%s' refers to itself through other facts", f->name);
		diag_note(d, "write the value out in one of the facts in the loop");
		return -1;
	}
	state[idx] = 1;
	while ((open = strstr(s, "{{")) != NULL) {
		const char *close = strstr(open, "}}"), *a, *b;
		char *name;
		struct fact *ref;
		if (!close)
			break;
		for (a = open + 2; *a == ' '; a++)
			;
		for (b = close; b > a && b[-1] == ' '; b--)
			;
		name = xstrndup(a, (size_t)(b - a));
		ref = hash_get(&c->fact_index, name);
		if (!ref) {
			const char *hint = did_you_mean(name, c->fact_names, c->n_facts);
			diag(d, RULE_FACT_UNKNOWN, f->path, f->line, f->col,
			     "fact '%s' uses unknown fact '%s'", f->name, name);
			if (hint)
				diag_note(d, "did you mean '%s'?", hint);
			free(name);
			buf_release(&out);
			state[idx] = 2; /* reported: not a cycle for facts that use it */
			return -1;
		}
		free(name);
		if (expand_fact(c, ref, lang, state, depth + 1, d)) {
			buf_release(&out);
			state[idx] = 2;
			return -1;
		}
		buf_add(&out, s, (size_t)(open - s));
		buf_adds(&out, ref->values[lang]);
		s = close + 2;
	}
	buf_adds(&out, s);
	f->values[lang] = arena_strndup(&c->arena, out.ptr, out.len);
	buf_release(&out);
	state[idx] = 2;
	return 0;
}

/* The number to dial for a phone fact, as markdown_render looks it up. */
static const char *dial_digits(struct arena *a, const char *value)
{
	struct buf digits = BUF_INIT;
	char *s;
	phone_value_digits(value, strlen(value), &digits);
	s = arena_strndup(a, digits.ptr, digits.len);
	buf_release(&digits);
	return s;
}

static int load_facts(struct config *c, const struct value *root, struct diags *d)
{
	const struct value *facts = value_map_get(root, "facts");
	struct buf prefix = BUF_INIT;
	unsigned char *state;
	size_t cap = 0, i, l;
	int ret = 0;
	if (!facts || facts->type == VALUE_NULL)
		return 0;
	if (facts->type != VALUE_MAP) {
		diag(d, RULE_YAML_TYPE, c->site_path, facts->line, facts->col,
		     "'facts' must be a map of names to values");
		return -1;
	}
	ret = flatten_facts(c, facts, &prefix, &cap, 0, d);
	buf_release(&prefix);
	c->fact_names = arena_alloc(&c->arena, st_mult(c->n_facts + 1, sizeof(char *)));
	for (i = 0; i < c->n_facts; i++) {
		c->fact_names[i] = c->facts[i].name;
		hash_put(&c->fact_index, c->facts[i].name, &c->facts[i]);
	}
	state = xcalloc(c->n_facts * c->n_langs + 1, 1);
	for (i = 0; i < c->n_facts; i++)
		for (l = 0; l < c->n_langs; l++)
			if (expand_fact(c, &c->facts[i], l, state, 0, d))
				ret = -1;
	free(state);
	for (i = 0; i < c->n_facts; i++) {
		const char *digits;
		if (strncmp(c->facts[i].name, "phone.", 6))
			continue;
		for (l = 0; l < c->n_langs; l++) {
			digits = dial_digits(&c->arena, c->facts[i].values[l]);
			if (*digits && !hash_get(&c->phone_index, digits))
				hash_put(&c->phone_index, digits, &c->facts[i]);
		}
	}
	return ret;
}

/* The language's folder must be a directory inside the content: checked
 * here, before strings.yaml is read from it, so that a problem is reported
 * on the folder (or the language's entry), not on a file in it. */
static int check_language_dir(struct config *c, const struct language *lang, struct diags *d)
{
	const char *dir = arena_printf(&c->arena, "%s/%s", c->source_dir, lang->tag);
	struct stat st;
	if (c->real_source && source_check_link(c->real_source, c->source_dir, dir, d))
		return -1;
	if (stat(dir, &st)) {
		diag(d, RULE_CONFIG, c->site_path, lang->line, lang->col,
		     "language '%s' has no content directory '%s': %s", lang->tag, dir,
		     strerror(errno));
		diag_note(d, "create %s/ with strings.yaml and the pages, or remove the language",
			  dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag(d, RULE_CONFIG, c->site_path, lang->line, lang->col,
		     "language '%s' has no content directory: '%s' is not a directory", lang->tag,
		     dir);
		diag_note(d, "the pages of a language go in a folder named by its tag");
		return -1;
	}
	return 0;
}

static int load_strings(struct config *c, struct language *lang, struct diags *d)
{
	struct value *v = NULL;
	char *path = arena_printf(&c->arena, "%s/%s/strings.yaml", c->source_dir, lang->tag);
	size_t i;
	int ret = 0;
	lang->strings_path = path;
	if (check_language_dir(c, lang, d) || read_yaml(c, path, &v, d))
		return -1;
	if (v->type != VALUE_MAP) {
		diag(d, RULE_STRINGS, path, v->line ? v->line : 1, v->col ? v->col : 1,
		     "strings.yaml must be a map of names to texts");
		return -1;
	}
	lang->strings = v;
	for (i = 0; i < ARRAY_SIZE(required_strings); i++) {
		const struct value *s = value_map_get(v, required_strings[i]);
		if (!s || !value_is_scalar(s) || s->type == VALUE_NULL) {
			diag(d, RULE_STRINGS, path, s ? s->line : 1, s ? s->col : 1,
			     "missing UI string '%s'", required_strings[i]);
			diag_note(d, "every language's strings.yaml needs it; see %s/%s/strings.yaml",
				  c->source_dir, c->langs[0].tag);
			ret = -1;
		}
	}
	return ret;
}

static int check_top_keys(struct config *c, const struct value *root, struct diags *d)
{
	size_t i, j;
	for (i = 0; i < root->n; i++) {
		int known = 0;
		for (j = 0; j < ARRAY_SIZE(site_keys); j++)
			known |= !strcmp(root->keys[i], site_keys[j]);
		if (!known) {
			const char *hint = did_you_mean(root->keys[i], site_keys, ARRAY_SIZE(site_keys));
			diag_sev(d, SEV_WARNING, RULE_CONFIG, c->site_path, root->key_lines[i], 1,
				 "unknown key '%s' in site.yaml", root->keys[i]);
			if (hint)
				diag_note(d, "did you mean '%s'?", hint);
		}
	}
	return 0;
}

int config_load(struct config *c, const char *source_dir, struct diags *d)
{
	return config_load_stamped(c, source_dir, NULL, d);
}

int config_load_stamped(struct config *c, const char *source_dir, struct stamps *stamps,
			struct diags *d)
{
	struct value *root = NULL;
	const struct value *v;
	size_t i;
	int ret = 0;
	memset(c, 0, sizeof(*c));
	c->stamps = stamps;
	c->max_file_size = DEFAULT_MAX_FILE_SIZE;
	c->source_dir = arena_strdup(&c->arena, source_dir);
	c->site_path = arena_printf(&c->arena, "%s/site.yaml", source_dir);
	c->real_source = realpath(source_dir, NULL);
	if (read_yaml(c, c->site_path, &root, d))
		return -1;
	if (root->type != VALUE_MAP) {
		diag(d, RULE_CONFIG, c->site_path, 1, 1, "site.yaml must be a map of settings");
		return -1;
	}
	check_top_keys(c, root, d);
	c->base_url = need_string(c, root, "base_url", c->site_path, d);
	if (!c->base_url) {
		ret = -1;
	} else {
		const char *p;
		size_t n = strlen(c->base_url);
		while (n && c->base_url[n - 1] == '/')
			n--;
		c->base_url = arena_strndup(&c->arena, c->base_url, n);
		if (strncmp(c->base_url, "https://", 8) && strncmp(c->base_url, "http://", 7)) {
			v = value_map_get(root, "base_url");
			diag(d, RULE_CONFIG, c->site_path, v->line, v->col,
			     "base_url must start with https:// or http://");
			ret = -1;
		} else {
			p = strchr(strstr(c->base_url, "://") + 3, '/');
			c->root = p ? p : "";
		}
	}
	if ((v = value_map_get(root, "max_file_size"))) {
		/* Range first: converting a double beyond size_t is undefined. */
		if (v->type != VALUE_NUMBER) {
			diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
			     "max_file_size must be a number of bytes");
			diag_note(d, "e.g. max_file_size: 2097152 for 2 MiB");
			ret = -1;
		} else if (!(v->number >= 1 && v->number <= MAX_FILE_SIZE_CEILING) ||
			   (double)(size_t)v->number != v->number) {
			diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
			     "max_file_size must be a whole number of bytes from 1 to %d, not '%s'",
			     MAX_FILE_SIZE_CEILING, v->str);
			diag_note(d, "the default is %d (1 MiB)", DEFAULT_MAX_FILE_SIZE);
			ret = -1;
		} else {
			c->max_file_size = (size_t)v->number;
		}
	}
	if ((v = value_map_get(root, "fallback"))) {
		if (v->type != VALUE_BOOL) {
			diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
			     "fallback must be true or false");
			ret = -1;
		} else {
			c->fallback = v->boolean;
		}
	}
	if (load_languages(c, root, d))
		return -1;
	c->reading_target = arena_alloc(&c->arena, st_mult(c->n_langs, sizeof(double)));
	if ((v = value_map_get(root, "reading_level"))) {
		/* reading_level: {en: 8, es: 55}: a Flesch-Kincaid grade for English,
		 * an INFLESZ score for Spanish. */
		for (i = 0; v->type == VALUE_MAP && i < v->n; i++) {
			int l = config_lang(c, v->keys[i]);
			if (l < 0 || v->items[i]->type != VALUE_NUMBER) {
				diag(d, RULE_YAML_TYPE, c->site_path, v->items[i]->line, v->items[i]->col,
				     "reading_level takes a language tag and a number, as en: 8");
				ret = -1;
				continue;
			}
			c->reading_target[l] = v->items[i]->number;
		}
		if (v->type != VALUE_MAP) {
			diag(d, RULE_YAML_TYPE, c->site_path, v->line, v->col,
			     "reading_level must map language tags to targets, as {en: 8, es: 55}");
			ret = -1;
		}
	}
	if (load_key_list(c, root, "pages", &c->order, &c->order_pos, &c->n_order, d) |
	    load_key_list(c, root, "required_pages", &c->required, &c->required_pos,
			  &c->n_required, d) |
	    load_key_list(c, root, "footer_links", &c->footer, &c->footer_pos, &c->n_footer, d))
		ret = -1;
	if (load_facts(c, root, d))
		ret = -1;
	for (i = 0; i < c->n_langs; i++)
		if (load_strings(c, &c->langs[i], d))
			ret = -1;
	return ret;
}

void config_release(struct config *c)
{
	free(c->real_source);
	hash_release(&c->fact_index);
	hash_release(&c->phone_index);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

const struct fact *config_fact(const struct config *c, const char *name)
{
	return hash_get(&c->fact_index, name);
}

int config_lang(const struct config *c, const char *tag)
{
	size_t i;
	for (i = 0; i < c->n_langs; i++)
		if (!strcmp(c->langs[i].tag, tag))
			return (int)i;
	return -1;
}

const char *config_string(const struct config *c, int lang, const char *key)
{
	const struct value *v = value_map_get(c->langs[lang].strings, key);
	return v && v->str ? v->str : "";
}
