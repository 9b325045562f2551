/* mustache.c - Mustache templates: a line-oriented parser that settles the
 * spec's whitespace rules (standalone lines, indentation) once, into node
 * trees, and a renderer that walks them. Never prints; returns diagnostics.
 * Nothing here is global or static and mutable: renders run in parallel. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "escape.h"
#include "hash.h"
#include "mustache.h"
#include "util.h"

/* Sections, inverted sections, parents and blocks nested deeper than this
 * are a syntax error. It bounds the parser's scope stack, the renderer's
 * recursion into section bodies, and the parser's look-ahead for the end of
 * each block (so that parsing stays linear in the template's size). Page
 * templates need a handful of levels. */
#define MUSTACHE_MAX_NESTING 32

#define NPOS ((size_t)-1)

enum node_type {
	NODE_TEXT,     /* literal bytes */
	NODE_INDENT,   /* start of a template line: the current indentation goes here */
	NODE_VAR,      /* {{x}} */
	NODE_RAW,      /* {{{x}}}, {{&x}} */
	NODE_SECTION,  /* {{#x}}...{{/x}} */
	NODE_INVERTED, /* {{^x}}...{{/x}} */
	NODE_PARTIAL,  /* {{>x}} */
	NODE_PARENT,   /* {{<x}}...{{/x}}: its block children are the overrides */
	NODE_BLOCK     /* {{$x}}...{{/x}}: its children are the default */
};

struct node {
	enum node_type type;
	int line, col;        /* 1-based, of the opening delimiter */
	const char *text;     /* NODE_TEXT: bytes (len of them); else the tag name */
	size_t len;
	const char **parts;   /* the name split on '.'; none for the implicit "." */
	size_t nparts;
	const char *indent;   /* partial, parent, block: added to each of its lines */
	size_t indent_len;
	struct node *child, *next;
};

struct tmpl {
	const char *name, *path;
	struct node *root;    /* NULL when empty or when it failed to parse */
	struct tmpl *next;    /* loading order */
};

struct mustache {
	struct arena arena;   /* every template, node and string */
	struct hash by_name;  /* name -> struct tmpl */
	struct tmpl *first, **last;
};

struct delims {
	const char *open, *close;
	size_t olen, clen;
};

/* One tag: offsets into the source. */
struct tag {
	size_t start, end;    /* the opening delimiter; just past the closing one */
	char sigil;           /* # ^ / > < $ ! = &, or 0 for a variable ({{{x}}} is &) */
	size_t name, name_len; /* content after the sigil, trimmed */
};

struct scope {
	struct node *node;    /* NULL for the template itself */
	struct node **tail;
	int standalone;       /* a standalone parent pair drops its closing line */
};

struct parser {
	struct arena *a;
	struct diags *d;
	const char *path, *src;
	size_t len;
	struct delims dl;
	int line;
	size_t bol;           /* offset where the current line begins */
	int ip_pending;       /* nothing on this line yet: the next content gets a NODE_INDENT */
	int depth;
	struct scope stack[MUSTACHE_MAX_NESTING + 1];
};

static const char *const kind_name[] = {
	"text", "indent", "variable", "variable", "section", "inverted section",
	"partial", "parent", "block",
};

static int is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int blank(const char *s, size_t from, size_t to)
{
	for (; from < to; from++)
		if (!is_blank_byte(s[from]))
			return 0;
	return 1;
}

/* Offset of the first needle in s[from, to), or NPOS. */
static size_t find(const char *s, size_t from, size_t to, const char *needle, size_t n)
{
	while (from + n <= to) {
		const char *hit = memchr(s + from, needle[0], to - from - n + 1);
		if (!hit)
			break;
		from = (size_t)(hit - s);
		if (!memcmp(hit, needle, n))
			return from;
		from++;
	}
	return NPOS;
}

/* Offset just past the newline that ends the line holding from, or len. */
static size_t line_end(const char *s, size_t len, size_t from)
{
	const char *nl = memchr(s + from, '\n', len - from);
	return nl ? (size_t)(nl - s) + 1 : len;
}

/* Reads the tag whose opening delimiter is at `at`, on the line that ends at
 * eol. Returns -1 if it is not closed. Only comments may span lines: a tag
 * left open is then reported where it starts, not at some "}}" pages later. */
static int scan_tag(const char *s, size_t len, size_t at, size_t eol, const struct delims *dl,
		    struct tag *t)
{
	size_t in = at + dl->olen, limit = eol, c, end;
	t->start = at;
	t->sigil = in < len && s[in] && strchr("#^/><$!=&{", s[in]) ? s[in] : 0;
	if (t->sigil)
		in++;
	if (t->sigil == '!')
		limit = len;
	c = in;
	for (;;) {
		c = find(s, c, limit, dl->close, dl->clen);
		if (c == NPOS)
			return -1;
		if (t->sigil != '{' || (c > in && s[c - 1] == '}'))
			break;
		c++;
	}
	end = t->sigil == '{' ? c - 1 : c;
	if (t->sigil == '{')
		t->sigil = '&';
	t->end = c + dl->clen;
	while (in < end && is_blank_byte(s[in]))
		in++;
	while (end > in && is_blank_byte(s[end - 1]))
		end--;
	t->name = in;
	t->name_len = end - in;
	return 0;
}

/* Applies {{=<% %>=}}; returns NULL, or what is wrong with it. */
static const char *set_delims(const char *s, const struct tag *t, struct delims *dl)
{
	const char *b = s + t->name;
	size_t n = t->name_len, i = 0, j, k;
	if (!n || b[n - 1] != '=')
		return "it must end with '='";
	n--;
	while (n && is_blank_byte(b[n - 1]))
		n--;
	while (i < n && !is_blank_byte(b[i]))
		i++;
	for (j = i; j < n && is_blank_byte(b[j]); j++)
		;
	for (k = j; k < n && !is_blank_byte(b[k]); k++)
		;
	if (!i || j == n || k != n)
		return "it needs two delimiters separated by a space, like {{=<% %>=}}";
	if (memchr(b, '=', i) || memchr(b + j, '=', n - j))
		return "a delimiter must not contain '='";
	dl->open = b;
	dl->olen = i;
	dl->close = b + j;
	dl->clen = n - j;
	return NULL;
}

static int __attribute__((format(printf, 4, 5)))
syntax(struct parser *p, int line, int col, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag(p->d, RULE_TEMPLATE_SYNTAX, p->path, line, col, "%s", msg.ptr);
	buf_release(&msg);
	return -1;
}

/* Finds the tag that closes the pair t opens (same name, nesting counted),
 * for the standalone test of parents and blocks, which looks past the whole
 * pair. Returns 0 and its offsets, or -1 if it is never closed. */
static int pair_end(const struct parser *p, const struct tag *t, size_t *cstart, size_t *cend)
{
	struct delims dl = p->dl;
	struct tag u;
	size_t pos = t->end, eol = 0;
	int level = 1;
	while ((pos = find(p->src, pos, p->len, dl.open, dl.olen)) != NPOS) {
		if (pos >= eol)
			eol = line_end(p->src, p->len, pos);
		if (scan_tag(p->src, p->len, pos, eol, &dl, &u))
			return -1;
		if (u.sigil == '=' && set_delims(p->src, &u, &dl))
			return -1;
		if (u.sigil && u.name_len == t->name_len &&
		    !memcmp(p->src + u.name, p->src + t->name, t->name_len)) {
			if (strchr("#^$<", u.sigil))
				level++;
			else if (u.sigil == '/' && !--level) {
				*cstart = u.start;
				*cend = u.end;
				return 0;
			}
		}
		pos = u.end;
	}
	return -1;
}

/* Skips the indentation of every enclosing block at the start of a line:
 * a block's content is stored without it and gets the indentation of the
 * place it is rendered at instead (the inheritance spec's reindentation). */
static size_t dedent(const struct parser *p, size_t pos)
{
	int i;
	for (i = 1; i <= p->depth; i++) {
		const struct node *n = p->stack[i].node;
		if (n->type != NODE_BLOCK)
			continue;
		if (n->indent_len > p->len - pos || memcmp(p->src + pos, n->indent, n->indent_len))
			break;
		pos += n->indent_len;
	}
	return pos;
}

static struct node *add_node(struct parser *p, enum node_type type, int line, int col)
{
	struct scope *s = &p->stack[p->depth];
	struct node *n = arena_alloc(p->a, sizeof(*n));
	n->type = type;
	n->line = line;
	n->col = col;
	*s->tail = n;
	s->tail = &n->next;
	return n;
}

/* The first content on a template line is preceded by an indentation point. */
static void add_indent_point(struct parser *p)
{
	if (p->ip_pending)
		add_node(p, NODE_INDENT, 0, 0);
	p->ip_pending = 0;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
	struct node *n;
	size_t len = to - from;
	if (from >= to)
		return;
	/* An empty line is not indented: that would only add trailing blanks. */
	if (!(len == 1 && p->src[from] == '\n') &&
	    !(len == 2 && p->src[from] == '\r' && p->src[from + 1] == '\n'))
		add_indent_point(p);
	p->ip_pending = 0;
	n = add_node(p, NODE_TEXT, 0, 0);
	n->text = p->src + from;
	n->len = len;
}

static int check_name(struct parser *p, const struct tag *t, int line, int col)
{
	const char *s = p->src + t->name;
	size_t i;
	if (!t->name_len)
		return syntax(p, line, col, "empty tag");
	for (i = 0; i < t->name_len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t')
			return syntax(p, line, col, "tag name '%.*s' contains a space",
				      (int)t->name_len, s);
		if (c < 0x20 || c == 0x7f)
			return syntax(p, line, col, "control byte 0x%02x in a tag name", c);
	}
	return 0;
}

/* Splits a variable or section name on dots ("." alone is the current item). */
static int split_name(struct parser *p, struct node *n)
{
	size_t i, k = 0, start = 0;
	if (!strcmp(n->text, "."))
		return 0;
	for (i = 0; i < n->len; i++)
		n->nparts += n->text[i] == '.';
	n->parts = arena_alloc(p->a, st_mult(++n->nparts, sizeof(*n->parts)));
	for (i = 0; i <= n->len; i++) {
		if (i < n->len && n->text[i] != '.')
			continue;
		if (i == start)
			return syntax(p, n->line, n->col, "empty part in the dotted name '%s'",
				      n->text);
		n->parts[k++] = arena_strndup(p->a, n->text + start, i - start);
		start = i + 1;
	}
	return 0;
}

static int close_scope(struct parser *p, const struct tag *t, int line, int col, int *ignore)
{
	const struct node *open = p->stack[p->depth].node;
	const char *name = p->src + t->name;
	if (!open)
		return syntax(p, line, col, "closing tag '%.*s' has no open section",
			      (int)t->name_len, name);
	if (open->len != t->name_len || memcmp(open->text, name, t->name_len)) {
		syntax(p, line, col, "closing tag '%.*s' does not match the open %s '%s'",
		       (int)t->name_len, name, kind_name[open->type], open->text);
		diag_note(p->d, "'%s' was opened at line %d, column %d", open->text,
			  open->line, open->col);
		return -1;
	}
	/* A parent pair was judged standalone as a whole when it opened. */
	if (open->type == NODE_PARENT)
		*ignore = p->stack[p->depth].standalone;
	p->depth--;
	return 0;
}

/* Counts the lines a multi-line comment spans. */
static void skip_lines(struct parser *p, size_t from, size_t to, size_t *eol)
{
	size_t i;
	int seen = 0;
	for (i = from; i < to; i++) {
		if (p->src[i] == '\n') {
			p->line++;
			p->bol = i + 1;
			seen = 1;
		}
	}
	if (seen)
		*eol = line_end(p->src, p->len, to);
}

/* Handles the tag at `at`, the first on its line if `first`; prev is where
 * the text before it starts. Sets *next past the tag and *ignore when the
 * rest of the line is dropped (a standalone tag). */
static int parse_tag(struct parser *p, size_t at, size_t prev, size_t *eol, int first,
		     size_t *next, int *ignore)
{
	const struct scope *top = &p->stack[p->depth];
	const char *indent = "";
	struct tag t;
	struct node *n;
	int line = p->line, col = (int)(at - p->bol) + 1;
	int is_block, is_arg, pair, standalone;
	size_t trail, trail_end, cstart = NPOS, cend = 0, ilen = 0;
	enum node_type type;

	if (scan_tag(p->src, p->len, at, *eol, &p->dl, &t)) {
		if (t.sigil == '!')
			return syntax(p, line, col, "unclosed comment: no '%.*s' before the end",
				      (int)p->dl.clen, p->dl.close);
		return syntax(p, line, col, "unclosed tag: no '%s%.*s' on the same line",
			      t.sigil == '{' ? "}" : "", (int)p->dl.clen, p->dl.close);
	}
	if (t.sigil == '!')
		skip_lines(p, at, t.end, eol);
	*next = t.end;

	/* Standalone: alone on its line but for blanks. Parents and blocks
	 * outside a parent are judged as pairs: the opening tag with what
	 * follows the matching closing tag. */
	is_block = t.sigil == '$';
	is_arg = is_block && top->node && top->node->type == NODE_PARENT;
	pair = t.sigil == '<' || (is_block && !is_arg);
	standalone = first && t.sigil && t.sigil != '&' && blank(p->src, prev, at);
	if (standalone && pair && !pair_end(p, &t, &cstart, &cend)) {
		trail = cend;
		trail_end = line_end(p->src, p->len, cend);
	} else {
		trail = t.end;
		trail_end = *eol;
	}
	standalone = standalone && blank(p->src, trail, trail_end);
	*ignore = standalone && !pair;
	if ((is_arg || (is_block && standalone)) && blank(p->src, t.end, *eol)) {
		/* The content starts on the next line, and that line's
		 * indentation is the block's own; an empty default takes the
		 * indentation of the tag. */
		size_t q = dedent(p, *eol), r = q;
		while (r < p->len && (p->src[r] == ' ' || p->src[r] == '\t'))
			r++;
		if (!is_arg && r == cstart) {
			indent = p->src + prev;
			ilen = at - prev;
		} else {
			indent = p->src + q;
			ilen = r - q;
		}
		*ignore = 1;
	} else if (standalone) {
		indent = p->src + prev;
		ilen = at - prev;
	}
	if (!standalone)
		add_text(p, prev, at);

	if (t.sigil == '!')
		return 0;
	if (t.sigil == '=') {
		const char *why = set_delims(p->src, &t, &p->dl);
		return why ? syntax(p, line, col, "bad delimiter change: %s", why) : 0;
	}
	if (check_name(p, &t, line, col))
		return -1;
	if (t.sigil == '/')
		return close_scope(p, &t, line, col, ignore);

	switch (t.sigil) {
	case '#': type = NODE_SECTION; break;
	case '^': type = NODE_INVERTED; break;
	case '>': type = NODE_PARTIAL; break;
	case '<': type = NODE_PARENT; break;
	case '$': type = NODE_BLOCK; break;
	case '&': type = NODE_RAW; break;
	default: type = NODE_VAR; break;
	}
	if (type >= NODE_SECTION && type != NODE_PARTIAL && p->depth == MUSTACHE_MAX_NESTING)
		return syntax(p, line, col, "sections nested deeper than %d levels",
			      MUSTACHE_MAX_NESTING);
	if (!standalone)
		add_indent_point(p);
	n = add_node(p, type, line, col);
	n->text = arena_strndup(p->a, p->src + t.name, t.name_len);
	n->len = t.name_len;
	n->indent = indent;
	n->indent_len = ilen;
	if (type <= NODE_INVERTED && split_name(p, n))
		return -1;
	if (type == NODE_VAR || type == NODE_RAW || type == NODE_PARTIAL)
		return 0;
	p->depth++;
	p->stack[p->depth].node = n;
	p->stack[p->depth].tail = &n->child;
	p->stack[p->depth].standalone = standalone;
	/* What follows a block's opening tag on its line starts its content. */
	if (is_block && !*ignore)
		p->ip_pending = 1;
	return 0;
}

static int parse(struct parser *p)
{
	size_t pos = 0;
	int i;
	while (pos < p->len) {
		size_t eol, prev, at;
		int first = 1, ignore = 0;
		p->bol = pos;
		pos = dedent(p, pos);
		eol = line_end(p->src, p->len, pos);
		p->ip_pending = 1;
		prev = pos;
		while ((at = find(p->src, prev, eol, p->dl.open, p->dl.olen)) != NPOS) {
			if (parse_tag(p, at, prev, &eol, first, &prev, &ignore))
				return -1;
			if (ignore)
				break;
			first = 0;
		}
		if (!ignore)
			add_text(p, prev, eol);
		if (p->src[eol - 1] == '\n')
			p->line++;
		pos = eol;
	}
	for (i = 1; i <= p->depth; i++) {
		const struct node *n = p->stack[i].node;
		syntax(p, n->line, n->col, "unclosed %s '%s'", kind_name[n->type], n->text);
		diag_note(p->d, "close it with %.*s/%s%.*s", (int)p->dl.olen, p->dl.open, n->text,
			  (int)p->dl.clen, p->dl.close);
	}
	return p->depth ? -1 : 0;
}

struct mustache *mustache_new(void)
{
	struct mustache *m = xcalloc(1, sizeof(*m));
	m->last = &m->first;
	return m;
}

void mustache_free(struct mustache *m)
{
	if (!m)
		return;
	hash_release(&m->by_name);
	arena_release(&m->arena);
	free(m);
}

int mustache_add(struct mustache *m, const char *name, const char *path, const char *src,
		 size_t len, struct diags *d)
{
	struct parser p;
	struct tmpl *t = hash_get(&m->by_name, name);
	struct node *root = NULL;
	if (t) {
		/* Names come from file names: two folders can hold the same one. */
		diag(d, RULE_TEMPLATE_PARTIAL, path, 0, 0, "a second template named '%s'", name);
		diag_note(d, "the first is '%s'; rename one of them", t->path);
		return -1;
	}
	t = arena_alloc(&m->arena, sizeof(*t));
	t->name = arena_strdup(&m->arena, name);
	t->path = arena_strdup(&m->arena, path);
	hash_put(&m->by_name, t->name, t);
	*m->last = t;
	m->last = &t->next;

	memset(&p, 0, sizeof(p));
	p.a = &m->arena;
	p.d = d;
	p.path = t->path;
	p.src = arena_strndup(&m->arena, src, len);
	p.len = len;
	p.dl.open = "{{";
	p.dl.close = "}}";
	p.dl.olen = p.dl.clen = 2;
	p.line = 1;
	p.stack[0].tail = &root;
	if (parse(&p))
		return -1;
	t->root = root;
	return 0;
}

struct checker {
	const struct mustache *m;
	struct diags *d;
	struct hash reported;
	const char **names;
	size_t n;
	int ret;
};

/* Recursion bounded by MUSTACHE_MAX_NESTING. */
static void check_nodes(struct checker *c, const struct tmpl *t, const struct node *n)
{
	const char *near;
	for (; n; n = n->next) {
		if ((n->type == NODE_PARTIAL || n->type == NODE_PARENT) &&
		    !hash_get(&c->m->by_name, n->text) && !hash_get(&c->reported, n->text)) {
			hash_put(&c->reported, n->text, (void *)n);
			diag(c->d, RULE_TEMPLATE_PARTIAL, t->path, n->line, n->col,
			     "%s '%s' not found", kind_name[n->type], n->text);
			if ((near = did_you_mean(n->text, c->names, c->n)))
				diag_note(c->d, "did you mean '%s'?", near);
			c->ret = -1;
		}
		check_nodes(c, t, n->child);
	}
}

int mustache_check(const struct mustache *m, struct diags *d)
{
	struct checker c = { m, d, HASH_INIT, NULL, 0, 0 };
	const struct tmpl *t;
	c.names = xmalloc(st_mult(m->by_name.n, sizeof(*c.names)));
	for (t = m->first; t; t = t->next)
		c.names[c.n++] = t->name;
	for (t = m->first; t; t = t->next)
		check_nodes(&c, t, t->root);
	free(c.names);
	hash_release(&c.reported);
	return c.ret;
}

/* The context stack and the chain of parents whose blocks override, both
 * on the C stack of the render. */
struct ctx {
	const struct value *v;
	const struct ctx *up;
};

struct blocks {
	const struct node *parent;  /* a NODE_PARENT: its block children */
	const struct tmpl *t;       /* the template that holds it */
	const struct blocks *outer; /* where that template was rendered */
};

struct render {
	const struct mustache *m;
	struct buf *out;
	size_t start;
	/* mustache_render_to: out is handed to sink when it holds a piece,
	 * flushed bytes were handed over, last is the last of them. */
	mustache_sink *sink;
	void *sink_ctx;
	size_t flushed;
	char last;
	struct buf indent;          /* indentation of the partials and blocks entered */
	struct diags *d;
	int strict, failed, depth;
};

static int render_nodes(struct render *r, const struct node *n, const struct tmpl *t,
			const struct ctx *c, const struct blocks *b);

/* Hands what out holds to the sink. */
static void flush(struct render *r)
{
	if (r->out->len == r->start)
		return;
	r->sink(r->sink_ctx, r->out->ptr, r->out->len);
	r->flushed += r->out->len - r->start;
	r->last = r->out->ptr[r->out->len - 1];
	buf_reset(r->out);
	r->start = 0;
}

/* Looks the name up in the context stack: the first part in the nearest
 * map that has it, the others inside that value only (spec). */
static const struct value *resolve(const struct ctx *c, const struct node *n, int *found)
{
	const struct value *v = NULL;
	size_t i;
	*found = 0;
	if (!n->nparts) {
		*found = 1;
		return c->v;
	}
	for (; c && !(v = value_map_get(c->v, n->parts[0])); c = c->up)
		;
	for (i = 1; v && i < n->nparts; i++)
		v = value_map_get(v, n->parts[i]);
	*found = v != NULL;
	return v;
}

static int is_integer_text(const char *s)
{
	s += *s == '-' || *s == '+';
	return *s && !s[strspn(s, "0123456789")];
}

/* An integer as written (keeps "02139"), else the shortest text that reads
 * back as the same double (1.210 -> "1.21"). */
static const char *number_text(const struct value *v, char *tmp, size_t size)
{
	int prec;
	char *s;
	if (v->str && is_integer_text(v->str))
		return v->str;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, size, "%.*g", prec, v->number);
		if (strtod(tmp, NULL) == v->number)
			break;
	}
	/* A locale with a decimal comma must not change the page. */
	for (s = tmp; *s; s++)
		if (*s == ',')
			*s = '.';
	return tmp;
}

static int already_reported(const struct diags *d, const char *path, const struct node *n)
{
	size_t i;
	for (i = d->n; i-- > 0;)
		if (d->v[i].rule == RULE_TEMPLATE_VARIABLE && d->v[i].line == n->line &&
		    d->v[i].col == n->col && d->v[i].file && !strcmp(d->v[i].file, path))
			return 1;
	return 0;
}

static void interpolate(struct render *r, const struct node *n, const struct tmpl *t,
			const struct ctx *c)
{
	char tmp[40];
	const char *s;
	size_t len;
	int found;
	const struct value *v = resolve(c, n, &found);
	if (!found || (v && (v->type == VALUE_LIST || v->type == VALUE_MAP))) {
		if (r->strict && !already_reported(r->d, t->path, n)) {
			if (!found)
				diag(r->d, RULE_TEMPLATE_VARIABLE, t->path, n->line, n->col,
				     "unknown variable '%s'", n->text);
			else
				diag(r->d, RULE_TEMPLATE_VARIABLE, t->path, n->line, n->col,
				     "variable '%s' is a %s, not text", n->text,
				     v->type == VALUE_LIST ? "list" : "map");
		}
		r->failed |= r->strict;
		return;
	}
	if (!v)
		return;
	switch (v->type) {
	case VALUE_BOOL: s = v->boolean ? "true" : "false"; break;
	case VALUE_NUMBER: s = number_text(v, tmp, sizeof(tmp)); break;
	case VALUE_STRING: s = v->str ? v->str : ""; break;
	default: return;
	}
	len = v->type == VALUE_STRING && v->str ? v->len : strlen(s);
	if (n->type == NODE_VAR)
		escape_html(r->out, s, len);
	else
		buf_add(r->out, s, len);
}

static int check_size(struct render *r, const struct tmpl *t, const struct node *n)
{
	if (r->flushed + r->out->len - r->start <= MUSTACHE_MAX_OUTPUT)
		return 0;
	diag(r->d, RULE_TEMPLATE_RECURSION, t->path, n->line, n->col,
	     "output larger than %zu MiB: this %s expands too much",
	     MUSTACHE_MAX_OUTPUT >> 20, kind_name[n->type]);
	return -1;
}

static int render_section(struct render *r, const struct node *n, const struct tmpl *t,
			  const struct ctx *c, const struct blocks *b)
{
	int found;
	const struct value *v = resolve(c, n, &found);
	struct ctx top = { v, c };
	struct arena made = ARENA_INIT;
	size_t i;
	int ret = 0;
	if (!v || !value_truthy(v))
		return 0;
	if (v->type != VALUE_LIST)
		return render_nodes(r, n->child, t, &top, b);
	for (i = 0; i < v->n && !ret; i++) {
		/* A made item lives only while it renders. */
		top.v = value_list_at(v, i, &made);
		ret = render_nodes(r, n->child, t, &top, b) || check_size(r, t, n) ? -1 : 0;
		arena_release(&made);
	}
	return ret;
}

/* Partials and parents; a partial passes the enclosing overrides through. */
static int render_partial(struct render *r, const struct node *n, const struct tmpl *t,
			  const struct ctx *c, const struct blocks *b)
{
	const struct tmpl *p = hash_get(&r->m->by_name, n->text);
	struct blocks inner = { n, t, b };
	size_t old = r->indent.len;
	int ret;
	if (!p || !p->root)
		return 0;
	if (r->depth >= MUSTACHE_MAX_DEPTH) {
		diag(r->d, RULE_TEMPLATE_RECURSION, t->path, n->line, n->col,
		     "%s '%s' includes itself (nested more than %d deep)", kind_name[n->type],
		     n->text, MUSTACHE_MAX_DEPTH);
		return -1;
	}
	buf_add(&r->indent, n->indent, n->indent_len);
	r->depth++;
	ret = render_nodes(r, p->root, p, c, n->type == NODE_PARENT ? &inner : b);
	r->depth--;
	buf_truncate(&r->indent, old);
	return ret ? ret : check_size(r, t, n);
}

/* A block renders the outermost override of its name, in the template and
 * with the overrides where that override was written, but with the context
 * and indentation of the block's place (spec "Block scope"). Each override
 * found lies further out in the chain, so this cannot loop. */
static int render_block(struct render *r, const struct node *n, const struct tmpl *t,
			const struct ctx *c, const struct blocks *b)
{
	const struct node *body = n->child, *k;
	const struct tmpl *bt = t;
	const struct blocks *bb = b, *s;
	size_t old = r->indent.len;
	int ret;
	for (s = b; s; s = s->outer) {
		for (k = s->parent->child; k; k = k->next) {
			if (k->type == NODE_BLOCK && !strcmp(k->text, n->text)) {
				body = k->child;
				bt = s->t;
				bb = s->outer;
				break;
			}
		}
	}
	buf_add(&r->indent, n->indent, n->indent_len);
	ret = render_nodes(r, body, bt, c, bb);
	buf_truncate(&r->indent, old);
	return ret;
}

/* Returns -1 only for errors that stop the render; unknown variables set
 * r->failed and go on, so that all of them are reported. */
static int render_nodes(struct render *r, const struct node *n, const struct tmpl *t,
			const struct ctx *c, const struct blocks *b)
{
	const struct value *v;
	int found;
	for (; n; n = n->next) {
		switch (n->type) {
		case NODE_TEXT:
			buf_add(r->out, n->text, n->len);
			break;
		case NODE_INDENT:
			if (r->out->len == r->start ? !r->flushed || r->last == '\n'
						    : r->out->ptr[r->out->len - 1] == '\n')
				buf_add(r->out, r->indent.ptr, r->indent.len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			interpolate(r, n, t, c);
			break;
		case NODE_SECTION:
			if (render_section(r, n, t, c, b))
				return -1;
			break;
		case NODE_INVERTED:
			v = resolve(c, n, &found);
			if (!value_truthy(v) && render_nodes(r, n->child, t, c, b))
				return -1;
			break;
		case NODE_PARTIAL:
		case NODE_PARENT:
			if (render_partial(r, n, t, c, b))
				return -1;
			break;
		case NODE_BLOCK:
			if (render_block(r, n, t, c, b))
				return -1;
			break;
		}
		if (r->sink && r->out->len >= MUSTACHE_PIECE)
			flush(r);
	}
	return 0;
}

static int render(const struct mustache *m, const char *name, const struct value *ctx,
		  int strict, struct buf *out, mustache_sink *sink, void *sink_ctx,
		  struct diags *d)
{
	const struct tmpl *t = hash_get(&m->by_name, name);
	struct ctx root = { ctx, NULL };
	struct render r;
	int ret;
	if (!t)
		BUG("no template named '%s'", name);
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.out = out;
	r.start = out->len;
	r.sink = sink;
	r.sink_ctx = sink_ctx;
	buf_init(&r.indent, 0);
	r.d = d;
	r.strict = strict;
	ret = render_nodes(&r, t->root, t, &root, NULL);
	if (sink)
		flush(&r);
	buf_release(&r.indent);
	return ret || r.failed ? -1 : 0;
}

int mustache_render(const struct mustache *m, const char *name, const struct value *ctx,
		    int strict, struct buf *out, struct diags *d)
{
	return render(m, name, ctx, strict, out, NULL, NULL, d);
}

int mustache_render_to(const struct mustache *m, const char *name, const struct value *ctx,
		       int strict, mustache_sink *sink, void *sink_ctx, struct diags *d)
{
	struct buf out = BUF_INIT;
	int ret = render(m, name, ctx, strict, &out, sink, sink_ctx, d);
	buf_release(&out);
	return ret;
}
