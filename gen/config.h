/* config.h - the site's configuration: content/site.yaml (languages, base URL,
 * page order, required notices, facts, policies) and each language's
 * strings.yaml. Loaded once per build, read-only afterwards (threads share
 * it). Languages come only from here: the generator names none. */
#ifndef CAREPRESS_CONFIG_H
#define CAREPRESS_CONFIG_H

#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "hash.h"
#include "value.h"

struct stamps;

struct language {
	const char *tag;   /* BCP 47, e.g. "es" or "zh-Hant" */
	const char *name;  /* in its own language: "Español" */
	const char *dir;   /* "ltr" or "rtl" */
	const struct value *strings; /* the language's strings.yaml (a map) */
	const char *strings_path;
	int line, col;     /* its entry in site.yaml, for diagnostics */
};

struct fact {
	const char *name;     /* dotted: "phone.tty" */
	const char **values;  /* one per language, facts inside already expanded */
	const char *path;     /* site.yaml, for diagnostics */
	int line, col;
};

/* Where an entry of a site.yaml list is, for diagnostics about it. */
struct config_pos {
	int line, col;
};

struct config {
	struct arena arena;       /* owns everything below */
	const char *source_dir;   /* "content" */
	const char *site_path;    /* "content/site.yaml" */
	const char *base_url;     /* without a trailing '/' */
	const char *root;         /* path part of base_url: "" or "/care" */
	struct language *langs;
	size_t n_langs;
	const char **order;       /* page keys in navigation/brochure order */
	size_t n_order;
	const char **required;    /* page keys every language must have */
	size_t n_required;
	const char **footer;      /* page keys linked from every page's footer */
	size_t n_footer;
	/* Parallel to order, required and footer: each entry in site.yaml. */
	const struct config_pos *order_pos, *required_pos, *footer_pos;
	struct fact *facts;
	size_t n_facts;
	const char **fact_names;  /* parallel to facts, for did-you-mean */
	struct hash fact_index;   /* name -> struct fact * */
	struct hash phone_index;  /* digits of a phone.* fact -> struct fact * */
	int fallback;             /* publish missing translations from the source language */
	double *reading_target;   /* per language; 0 for the scale's default */
	size_t max_file_size;     /* bytes; larger content files are refused */
	struct stamps *stamps;    /* where reads are recorded, or NULL */
	char *real_source;        /* realpath of source_dir (malloc'd) */
};

/* Loads source_dir/site.yaml and every language's strings.yaml into c.
 * Returns 0, or -1 after adding diagnostics (c must still be released). */
int config_load(struct config *c, const char *source_dir, struct diags *d);
/* The same, adding a stamp of every file it reads to stamps (may be NULL). */
int config_load_stamped(struct config *c, const char *source_dir, struct stamps *stamps,
			struct diags *d);
/* Frees everything config_load allocated. */
void config_release(struct config *c);

/* Returns the fact named name, or NULL. */
const struct fact *config_fact(const struct config *c, const char *name);
/* Returns the language index of tag, or -1. */
int config_lang(const struct config *c, const char *tag);
/* Returns string key of language lang, or "" if strings.yaml lacks it
 * (config_load already reported that). */
const char *config_string(const struct config *c, int lang, const char *key);

#endif
