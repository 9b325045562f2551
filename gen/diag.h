/* diag.h - the catalogue of diagnostics and the list that stages fill.
 * Stages never print: they add diagnostics here and return -1. main.c prints
 * them (diag_print) and turns the worst severity into the exit status. */
#ifndef CAREPRESS_DIAG_H
#define CAREPRESS_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

/* Each rule has a stable id (rule_name) shown in brackets after the message
 * and used by the report; keep the table in diag.c in the same order. */
enum rule {
	RULE_IO,                 /* cannot read or write a file */
	RULE_ENCODING,           /* invalid UTF-8, NUL byte */
	RULE_FILE_SIZE,          /* input larger than the configured limit */
	RULE_PATH,               /* a path escapes the source or output dir */
	RULE_YAML,               /* YAML syntax error */
	RULE_YAML_TYPE,          /* a value of the wrong type */
	RULE_YAML_DUPLICATE,     /* a key given twice */
	RULE_CONFIG,             /* site.yaml missing or incomplete */
	RULE_FRONT_MATTER,       /* missing/unterminated front matter, missing title */
	RULE_FRONT_MATTER_KEY,   /* unknown front matter key (warning) */
	RULE_STRINGS,            /* a UI string missing from strings.yaml */
	RULE_SLUG,               /* a slug that is empty, unsafe or taken twice */
	RULE_FACT_UNKNOWN,       /* {{ name }} that site.yaml does not define */
	RULE_FACT_CYCLE,         /* facts that refer to each other in a loop */
	RULE_FACT_TYPED,         /* a value typed by hand that is a fact (warning) */
	RULE_PHONE_VANITY,       /* 1-833-KP4CARE whose letters do not match its digits */
	RULE_RAW_HTML,           /* raw HTML in Markdown */
	RULE_URL_UNSAFE,         /* javascript:, data: and other unsafe URLs */
	RULE_LINK_PAGE,          /* a link to a page that does not exist */
	RULE_LINK_ANCHOR,        /* a link to an anchor that does not exist */
	RULE_HEADING_H1,         /* a level-1 heading in the body (the title is the h1) */
	RULE_HEADING_SKIP,       /* a heading level skipped */
	RULE_IMAGE_ALT,          /* an image without alt text, or a file name as alt */
	RULE_CALLOUT,            /* unknown callout marker, care card without heading */
	RULE_TABLE,              /* a table without header cells or caption */
	RULE_FOOTNOTE,           /* footnote defined but never referenced */
	RULE_NESTING,            /* input nested deeper than the limit */
	RULE_TRANSLATION_MISSING,/* a page missing in a language */
	RULE_TEMPLATE_SYNTAX,    /* Mustache syntax error */
	RULE_TEMPLATE_PARTIAL,   /* a missing partial or parent */
	RULE_TEMPLATE_RECURSION, /* a partial that includes itself past the limit */
	RULE_TEMPLATE_VARIABLE,  /* an unknown variable (an error with --strict) */
	/* lint.c and contrast.c: checks of the written pages and the CSS */
	RULE_HTML,               /* a written page that is not well-formed XML */
	RULE_A11Y_LANG,          /* html without lang, empty lang, lang not the page's */
	RULE_A11Y_H1,            /* a page without exactly one h1 */
	RULE_A11Y_HEADING_ORDER, /* a heading level skipped */
	RULE_A11Y_IMG_ALT,       /* img without alt, or alt that is a file name */
	RULE_A11Y_EMPTY_LINK,    /* a link or button without an accessible name */
	RULE_A11Y_VAGUE_LINK,    /* link text such as "here" (strings.yaml vague_links) */
	RULE_A11Y_DUPLICATE_ID,  /* an id used twice in a page */
	RULE_A11Y_TABLE,         /* a table without header cells or caption/label */
	RULE_A11Y_TEL,           /* a tel: link whose text has no digits */
	RULE_A11Y_NEW_WINDOW,    /* a link opening a new window without warning */
	RULE_A11Y_FOREIGN_TEXT,  /* text in another language without lang (warning) */
	RULE_A11Y_CONTRAST,      /* CSS text/background colors below 4.5:1 */
	/* pdf.c */
	RULE_PDF,                /* WeasyPrint failed or reported a problem (carepress pdf) */
	/* build.c: language access, between a page and its translations */
	RULE_TRANSLATION_FACTS,  /* a translation uses other facts than its source */
	RULE_TRANSLATION_PARITY, /* a different number of sections or notes (warning) */
	RULE_TRANSLATION_OUTDATED, /* made from an older source, or no source_hash (warning) */
	RULE_RELEASE,            /* --release: a translation not reviewed for this source */
	RULE_READING_LEVEL,      /* a page harder to read than the target (warning) */
	RULE_MAX
};

struct diag {
	enum rule rule;
	enum severity severity;
	char *file;     /* path as the user named it; NULL for none */
	int line, col;  /* 1-based; 0 when unknown */
	char *message;  /* lowercase, no final full stop */
	char *note;     /* optional "did you mean" and such; NULL for none */
	/* Found by an earlier build in a page that did not change (restored
	 * from the page cache): that build printed it, diags_print does not. */
	int earlier;
};

/* A growable list of diagnostics. One per thread while pages render in
 * parallel; merged with diags_take. */
struct diags {
	struct diag *v;
	size_t n, cap;
	int errors, warnings;
	int strict;  /* warnings count as errors (carepress --strict) */
};

extern const char *const rule_name[RULE_MAX];
/* The WCAG 2.2 success criterion each rule checks ("1.3.1"), "" for rules
 * that are not about accessibility; parallel to rule_name. */
extern const char *const rule_wcag[RULE_MAX];

/* Adds a diagnostic with the rule's default severity (see rule_severity).
 * file may be NULL; line/col 1-based or 0. Copies every string. */
void diag(struct diags *d, enum rule rule, const char *file, int line, int col,
	  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same with an explicit severity. */
void diag_sev(struct diags *d, enum severity sev, enum rule rule, const char *file,
	      int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Adds a diagnostic found by an earlier build, as it was (strings copied,
 * nothing formatted; note may be NULL), marked earlier. */
void diag_restore(struct diags *d, enum severity sev, enum rule rule, const char *file,
		  int line, int col, const char *message, const char *note);
/* Attaches a note ("did you mean 'x'?") to the last diagnostic added. */
void diag_note(struct diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The default severity of a rule. */
enum severity rule_severity(enum rule rule);

/* Moves every diagnostic of src to the end of dst; src is left empty. */
void diags_take(struct diags *dst, struct diags *src);
/* Sorts by file, line, column, then message, so output is deterministic. */
void diags_sort(struct diags *d);
/* 1 if any error was added (or any warning, when d->strict). */
int diags_failed(const struct diags *d);
/* Prints every diagnostic but the earlier ones in GCC form, with the source
 * line and a caret when the file can be read, to fp. */
void diags_print(const struct diags *d, FILE *fp);
void diags_release(struct diags *d);

/* Returns the candidate closest to word by edit distance, or NULL if none is
 * close enough to suggest (for "did you mean"). */
const char *did_you_mean(const char *word, const char *const *candidates, size_t n);

#endif
