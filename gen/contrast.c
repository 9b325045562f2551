/* contrast.c - the color contrast of a style sheet (rule a11y-contrast):
 * reads rules, custom properties and @media blocks with a small scanner
 * (no recursion; nesting bounded), resolves var(), and checks each text /
 * background pair against 4.5:1. Never prints; findings are diagnostics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "buf.h"
#include "hash.h"
#include "lint.h"
#include "util.h"

/* Blocks nested deeper than this (@media in @supports in a rule ...) are
 * skipped: no theme needs more, and it bounds the scanner's stack. */
#define CSS_MAX_DEPTH 16
/* var() chains longer than this are a loop (--a: var(--b); --b: var(--a)). */
#define CSS_MAX_VAR 16
#define MIN_RATIO 4.5

struct rgba {
	double r, g, b, a;  /* 0..1, sRGB */
};

struct span {
	const char *s;
	size_t n;
};

struct decl {
	struct span val;    /* s NULL when the rule does not set it */
	int line, col;
};

struct prop {
	struct span name, val;
	size_t rule;
	size_t prev;        /* 1 + the previous property of the same name, or 0 */
};

/* Which element a rule styles for the page's own colors. */
enum root_kind { ROOT_NONE, ROOT_HTML, ROOT_BODY };

struct css_rule {
	struct span sel;
	int group;          /* innermost @media/@supports block, -1 at top level */
	int scheme;         /* the color scheme group it belongs to, -1 for all */
	enum root_kind root;
	struct decl color, bg;
};

struct group {
	struct span prelude; /* "@media (prefers-color-scheme: dark)" */
	int parent;
	int is_scheme;       /* redefines colors on :root, html or body */
};

struct sheet {
	const char *css;
	size_t len;
	struct arena arena;  /* values with comments removed */
	struct css_rule *rules;
	size_t n_rules, cap_rules;
	struct prop *props;
	size_t n_props, cap_props;
	struct hash prop_names; /* name (in arena) -> 1 + its last property */
	struct group *groups;
	size_t n_groups, cap_groups;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static struct span trim(const char *s, size_t n)
{
	struct span r;
	while (n && is_ws(*s)) {
		s++;
		n--;
	}
	while (n && is_ws(s[n - 1]))
		n--;
	r.s = s;
	r.n = n;
	return r;
}

static int span_ieq(struct span a, const char *b)
{
	size_t i, n = strlen(b);
	if (a.n != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = a.s[i] >= 'A' && a.s[i] <= 'Z' ? (char)(a.s[i] + 32) : a.s[i];
		if (c != b[i])
			return 0;
	}
	return 1;
}

static int span_istarts(struct span a, const char *b)
{
	struct span head = { a.s, strlen(b) };
	return a.n >= head.n && span_ieq(head, b);
}

/* --- scanning -------------------------------------------------------------- */

struct scanner {
	const char *s;
	size_t n, i;
	int line;
	size_t line_start;
};

static void advance(struct scanner *sc)
{
	if (sc->s[sc->i] == '\n') {
		sc->line++;
		sc->line_start = sc->i + 1;
	}
	sc->i++;
}

/* Skips a comment or a string at sc->i, if there is one; returns 1 if it did. */
static int skip_comment_or_string(struct scanner *sc)
{
	char c = sc->s[sc->i];
	if (c == '/' && sc->i + 1 < sc->n && sc->s[sc->i + 1] == '*') {
		advance(sc);
		advance(sc);
		while (sc->i < sc->n && !(sc->s[sc->i] == '*' && sc->i + 1 < sc->n &&
					  sc->s[sc->i + 1] == '/'))
			advance(sc);
		if (sc->i < sc->n) {
			advance(sc);
			advance(sc);
		}
		return 1;
	}
	if (c == '"' || c == '\'') {
		advance(sc);
		while (sc->i < sc->n && sc->s[sc->i] != c && sc->s[sc->i] != '\n') {
			if (sc->s[sc->i] == '\\' && sc->i + 1 < sc->n)
				advance(sc);
			advance(sc);
		}
		if (sc->i < sc->n)
			advance(sc);
		return 1;
	}
	return 0;
}

/* Skips spaces and comments (not strings: they start a statement). */
static void skip_space(struct scanner *sc)
{
	while (sc->i < sc->n) {
		if (is_ws(sc->s[sc->i]))
			advance(sc);
		else if (sc->s[sc->i] == '/' && sc->i + 1 < sc->n && sc->s[sc->i + 1] == '*')
			skip_comment_or_string(sc);
		else
			break;
	}
}

/* The text s..n with comments removed (a copy in the arena) if it has any. */
static struct span without_comments(struct sheet *sh, struct span v)
{
	struct buf b = BUF_INIT;
	size_t i = 0;
	struct span r;
	if (!memchr(v.s, '/', v.n))
		return v;
	while (i < v.n) {
		if (v.s[i] == '/' && i + 1 < v.n && v.s[i + 1] == '*') {
			const char *end = NULL;
			size_t k;
			for (k = i + 2; k + 1 < v.n; k++)
				if (v.s[k] == '*' && v.s[k + 1] == '/') {
					end = v.s + k + 2;
					break;
				}
			buf_addc(&b, ' ');
			if (!end)
				break;
			i = (size_t)(end - v.s);
			continue;
		}
		buf_addc(&b, v.s[i++]);
	}
	r.s = arena_strndup(&sh->arena, b.ptr, b.len);
	r.n = b.len;
	buf_release(&b);
	return trim(r.s, r.n);
}

static int selector_is(struct span sel, const char *name)
{
	const char *p = sel.s, *end = sel.s + sel.n;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		struct span one = trim(p, (size_t)((comma ? comma : end) - p));
		if (span_ieq(one, name))
			return 1;
		p = comma ? comma + 1 : end;
	}
	return 0;
}

static void declaration(struct sheet *sh, struct css_rule *r, size_t rule_idx, struct span d,
			int line, int col)
{
	const char *colon = memchr(d.s, ':', d.n);
	struct span name, val;
	if (!colon)
		return;
	name = trim(d.s, (size_t)(colon - d.s));
	val = without_comments(sh, trim(colon + 1, d.n - (size_t)(colon + 1 - d.s)));
	/* "!important" changes which rule wins, not the color. */
	{
		const char *bang = memchr(val.s, '!', val.n);
		if (bang)
			val = trim(val.s, (size_t)(bang - val.s));
	}
	if (name.n > 2 && name.s[0] == '-' && name.s[1] == '-') {
		struct prop *p;
		if (sh->n_props == sh->cap_props) {
			sh->cap_props = sh->cap_props ? sh->cap_props * 2 : 64;
			sh->props = xrealloc(sh->props, st_mult(sh->cap_props, sizeof(*sh->props)));
		}
		p = &sh->props[sh->n_props++];
		p->name = name;
		p->val = val;
		p->rule = rule_idx;
		{
			char *key = arena_strndup(&sh->arena, name.s, name.n);
			p->prev = (size_t)(uintptr_t)hash_put(&sh->prop_names, key,
							      (void *)(uintptr_t)sh->n_props);
		}
	} else if (span_ieq(name, "color")) {
		r->color.val = val;
		r->color.line = line;
		r->color.col = col;
	} else if (span_ieq(name, "background") || span_ieq(name, "background-color")) {
		r->bg.val = val;
		r->bg.line = line;
		r->bg.col = col;
	}
}

static int new_rule(struct sheet *sh, struct span sel, int group)
{
	struct css_rule *r;
	if (sh->n_rules == sh->cap_rules) {
		sh->cap_rules = sh->cap_rules ? sh->cap_rules * 2 : 128;
		sh->rules = xrealloc(sh->rules, st_mult(sh->cap_rules, sizeof(*sh->rules)));
	}
	r = &sh->rules[sh->n_rules];
	memset(r, 0, sizeof(*r));
	r->sel = sel;
	r->group = group;
	r->scheme = -1;
	r->root = selector_is(sel, "body") ? ROOT_BODY
		  : selector_is(sel, ":root") || selector_is(sel, "html") ? ROOT_HTML
									   : ROOT_NONE;
	return (int)sh->n_rules++;
}

static int new_group(struct sheet *sh, struct span prelude, int parent)
{
	struct group *g;
	if (sh->n_groups == sh->cap_groups) {
		sh->cap_groups = sh->cap_groups ? sh->cap_groups * 2 : 16;
		sh->groups = xrealloc(sh->groups, st_mult(sh->cap_groups, sizeof(*sh->groups)));
	}
	g = &sh->groups[sh->n_groups];
	g->prelude = prelude;
	g->parent = parent;
	g->is_scheme = 0;
	return (int)sh->n_groups++;
}

/* At-rules whose block holds rules; any other block (@page, @font-face,
 * @top-center) holds declarations and is read as a rule. */
static int is_group_rule(struct span prelude)
{
	static const char *const names[] = { "@media", "@supports", "@layer", "@container",
					     "@document", "@scope", "@starting-style" };
	size_t i;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (span_istarts(prelude, names[i]))
			return 1;
	return 0;
}

/* Reads the whole sheet into rules, properties and groups. */
static void scan(struct sheet *sh)
{
	struct scanner sc = { sh->css, sh->len, 0, 1, 0 };
	/* Per open block: the rule it is (>= 0), or -1 for a group; and the
	 * innermost group. Blocks past CSS_MAX_DEPTH are skipped whole. */
	int rule_at[CSS_MAX_DEPTH], group_at[CSS_MAX_DEPTH + 1];
	int depth = 0, skip = 0;
	group_at[0] = -1;
	while (sc.i < sc.n) {
		size_t start;
		int line, col, parens = 0;
		char end = 0;
		skip_space(&sc);
		if (sc.i >= sc.n)
			break;
		if (sc.s[sc.i] == '}') {
			advance(&sc);
			if (skip)
				skip--;
			else if (depth)
				depth--;
			continue;
		}
		start = sc.i;
		line = sc.line;
		col = (int)(sc.i - sc.line_start) + 1;
		while (sc.i < sc.n) {
			char c = sc.s[sc.i];
			if (skip_comment_or_string(&sc))
				continue;
			if (c == '(')
				parens++;
			else if (c == ')' && parens)
				parens--;
			else if (!parens && (c == ';' || c == '{' || c == '}')) {
				end = c;
				break;
			}
			advance(&sc);
		}
		if (end == '{') {
			struct span prelude = trim(sc.s + start, sc.i - start);
			advance(&sc);
			if (skip || depth == CSS_MAX_DEPTH) {
				skip++;
				continue;
			}
			if (prelude.n && prelude.s[0] == '@' && is_group_rule(prelude)) {
				rule_at[depth] = -1;
				group_at[depth + 1] = new_group(sh, prelude, group_at[depth]);
			} else {
				rule_at[depth] = new_rule(sh, prelude, group_at[depth]);
				group_at[depth + 1] = group_at[depth];
			}
			depth++;
			continue;
		}
		if (!skip && depth && rule_at[depth - 1] >= 0) {
			int r = rule_at[depth - 1];
			declaration(sh, &sh->rules[r], (size_t)r, trim(sc.s + start, sc.i - start),
				    line, col);
		}
		if (end == ';')
			advance(&sc);
	}
}

/* --- colors ------------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The basic CSS colors; other names are not checked. */
static const struct {
	const char *name;
	unsigned long rgb;
} named[] = {
	{ "black", 0x000000 }, { "silver", 0xc0c0c0 }, { "gray", 0x808080 },
	{ "grey", 0x808080 }, { "white", 0xffffff }, { "maroon", 0x800000 },
	{ "red", 0xff0000 }, { "purple", 0x800080 }, { "fuchsia", 0xff00ff },
	{ "green", 0x008000 }, { "lime", 0x00ff00 }, { "olive", 0x808000 },
	{ "yellow", 0xffff00 }, { "navy", 0x000080 }, { "blue", 0x0000ff },
	{ "teal", 0x008080 }, { "aqua", 0x00ffff }, { "orange", 0xffa500 },
	{ "darkgray", 0xa9a9a9 }, { "darkgrey", 0xa9a9a9 }, { "lightgray", 0xd3d3d3 },
	{ "lightgrey", 0xd3d3d3 }, { "dimgray", 0x696969 }, { "dimgrey", 0x696969 },
};

/* Reads up to max numbers of a functional notation: "10, 20%, 30 / 0.5". A
 * percentage is given as a fraction with pct set. */
static int func_args(struct span v, double *out, int *pct, int max)
{
	char buf[128], *p, *e;
	int n = 0;
	if (v.n >= sizeof(buf))
		return -1;
	memcpy(buf, v.s, v.n);
	buf[v.n] = '\0';
	p = buf;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '/' || is_ws(*p))
			p++;
		if (!*p)
			break;
		if (n == max)
			return -1;
		out[n] = strtod(p, &e);
		if (e == p)
			return -1;
		pct[n] = *e == '%';
		if (pct[n]) {
			out[n] /= 100;
			e++;
		} else if (!strncmp(e, "deg", 3)) {
			e += 3;
		}
		p = e;
		n++;
	}
	return n;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double hue(double p, double q, double t)
{
	if (t < 0)
		t += 1;
	if (t > 1)
		t -= 1;
	if (t < 1.0 / 6)
		return p + (q - p) * 6 * t;
	if (t < 0.5)
		return q;
	if (t < 2.0 / 3)
		return p + (q - p) * (2.0 / 3 - t) * 6;
	return p;
}

/* Parses one color value; returns 0, or -1 if it is not one we know. */
static int parse_color(struct span v, struct rgba *c)
{
	size_t i;
	v = trim(v.s, v.n);
	c->a = 1;
	if (v.n && v.s[0] == '#') {
		int d[8];
		size_t n = v.n - 1;
		if (n != 3 && n != 4 && n != 6 && n != 8)
			return -1;
		for (i = 0; i < n; i++)
			if ((d[i] = hexval(v.s[1 + i])) < 0)
				return -1;
		if (n <= 4) {
			c->r = d[0] * 17 / 255.0;
			c->g = d[1] * 17 / 255.0;
			c->b = d[2] * 17 / 255.0;
			if (n == 4)
				c->a = d[3] * 17 / 255.0;
		} else {
			c->r = (d[0] * 16 + d[1]) / 255.0;
			c->g = (d[2] * 16 + d[3]) / 255.0;
			c->b = (d[4] * 16 + d[5]) / 255.0;
			if (n == 8)
				c->a = (d[6] * 16 + d[7]) / 255.0;
		}
		return 0;
	}
	if (span_istarts(v, "rgb(") || span_istarts(v, "rgba(") || span_istarts(v, "hsl(") ||
	    span_istarts(v, "hsla(")) {
		const char *open = memchr(v.s, '(', v.n);
		double x[4];
		int pct[4], n;
		if (v.s[v.n - 1] != ')')
			return -1;
		n = func_args((struct span){ open + 1, (size_t)(v.s + v.n - 1 - open - 1) }, x, pct, 4);
		if (n < 3)
			return -1;
		if (n == 4)
			c->a = clamp01(x[3]);
		if (v.s[0] == 'r' || v.s[0] == 'R') {
			for (i = 0; i < 3; i++)
				x[i] = clamp01(pct[i] ? x[i] : x[i] / 255);
			c->r = x[0];
			c->g = x[1];
			c->b = x[2];
		} else {
			double h = x[0] / 360 - (double)(long)(x[0] / 360), s = clamp01(x[1]),
			       l = clamp01(x[2]);
			if (h < 0)
				h += 1;
			double q = l < 0.5 ? l * (1 + s) : l + s - l * s, p = 2 * l - q;
			if (!pct[1] || !pct[2])
				return -1;
			c->r = hue(p, q, h + 1.0 / 3);
			c->g = hue(p, q, h);
			c->b = hue(p, q, h - 1.0 / 3);
		}
		return 0;
	}
	if (span_ieq(v, "transparent")) {
		c->r = c->g = c->b = c->a = 0;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(named); i++)
		if (span_ieq(v, named[i].name)) {
			c->r = (double)(named[i].rgb >> 16) / 255;
			c->g = (double)((named[i].rgb >> 8) & 0xff) / 255;
			c->b = (double)(named[i].rgb & 0xff) / 255;
			return 0;
		}
	return -1;
}

/* x^2.4 for x in [0, 1], as x^2 times the fifth root of x^2 (Newton's
 * method): no libm needed. */
static double pow24(double x)
{
	double a = x * x, y = 1, prev;
	int i;
	if (a <= 0)
		return 0;
	for (i = 0; i < 100; i++) {
		double y4 = y * y * y * y;
		prev = y;
		y = (4 * y + a / y4) / 5;
		if (prev - y < 1e-15 && y - prev < 1e-15)
			break;
	}
	return a * y;
}

static double channel(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow24((v + 0.055) / 1.055);
}

static double luminance(const struct rgba *c)
{
	return 0.2126 * channel(c->r) + 0.7152 * channel(c->g) + 0.0722 * channel(c->b);
}

static double ratio(const struct rgba *fg, const struct rgba *bg)
{
	double a = luminance(fg) + 0.05, b = luminance(bg) + 0.05;
	return a > b ? a / b : b / a;
}

double lint_contrast_ratio(unsigned long fg, unsigned long bg)
{
	struct rgba f = { (double)(fg >> 16 & 0xff) / 255, (double)(fg >> 8 & 0xff) / 255,
			  (double)(fg & 0xff) / 255, 1 };
	struct rgba b = { (double)(bg >> 16 & 0xff) / 255, (double)(bg >> 8 & 0xff) / 255,
			  (double)(bg & 0xff) / 255, 1 };
	return ratio(&f, &b);
}

/* top drawn over an opaque under. */
static struct rgba blend(struct rgba top, struct rgba under)
{
	struct rgba r;
	r.r = top.r * top.a + under.r * (1 - top.a);
	r.g = top.g * top.a + under.g * (1 - top.a);
	r.b = top.b * top.a + under.b * (1 - top.a);
	r.a = 1;
	return r;
}

static void hex(char out[8], const struct rgba *c)
{
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)(c->r * 255 + 0.5),
		 (unsigned)(c->g * 255 + 0.5), (unsigned)(c->b * 255 + 0.5));
}

/* --- var() ------------------------------------------------------------------ */

/* The value of custom property name as rule r sees it under scheme:
 * its own, then the scheme's :root/html/body, then the top level's. */
static const struct span *lookup(const struct sheet *sh, size_t r, int scheme, struct span name)
{
	const struct span *own = NULL, *in_scheme = NULL, *top = NULL;
	struct buf key = BUF_INIT;
	size_t i;
	buf_add(&key, name.s, name.n);
	/* From the last definition back: the first found of each kind wins. */
	for (i = (size_t)(uintptr_t)hash_get(&sh->prop_names, key.ptr); i; i = sh->props[i - 1].prev) {
		const struct prop *p = &sh->props[i - 1];
		const struct css_rule *pr = &sh->rules[p->rule];
		if (p->rule == r && !own)
			own = &p->val;
		else if (pr->root && pr->scheme == scheme && scheme >= 0 && !in_scheme)
			in_scheme = &p->val;
		else if (pr->root && pr->scheme < 0 && !top)
			top = &p->val;
	}
	buf_release(&key);
	return own ? own : in_scheme ? in_scheme : top;
}

/* Replaces a value that is a var() by what it refers to, as many times as
 * needed; returns 0, or -1 when undefined without fallback, or a loop. */
static int resolve(const struct sheet *sh, size_t r, int scheme, struct span *v)
{
	int hops;
	for (hops = 0; hops < CSS_MAX_VAR; hops++) {
		struct span in = trim(v->s, v->n), name, fallback = { NULL, 0 };
		const struct span *def;
		const char *comma;
		if (!span_istarts(in, "var(") || in.s[in.n - 1] != ')') {
			*v = in;
			return 0;
		}
		name = trim(in.s + 4, in.n - 5);
		comma = memchr(name.s, ',', name.n);
		if (comma) {
			fallback = trim(comma + 1, name.n - (size_t)(comma + 1 - name.s));
			name = trim(name.s, (size_t)(comma - name.s));
		}
		def = lookup(sh, r, scheme, name);
		if (def)
			*v = *def;
		else if (fallback.s)
			*v = fallback;
		else
			return -1;
	}
	return -1;
}

/* The color of a color or background value: the value itself, or for the
 * background shorthand the one layer part that is a color. */
static int value_color(const struct sheet *sh, size_t r, int scheme, struct span v,
		       int shorthand, struct rgba *c)
{
	const char *p, *end;
	if (!resolve(sh, r, scheme, &v) && !parse_color(v, c))
		return 0;
	if (!shorthand)
		return -1;
	/* "url(x) no-repeat var(--bg)": try each part outside parentheses. */
	p = v.s;
	end = v.s + v.n;
	while (p < end) {
		const char *q = p;
		int parens = 0;
		struct span part;
		while (q < end && (parens || (!is_ws(*q) && *q != ',' && *q != '/'))) {
			if (*q == '(')
				parens++;
			else if (*q == ')' && parens)
				parens--;
			q++;
		}
		part.s = p;
		part.n = (size_t)(q - p);
		if (part.n && part.n < v.n && !resolve(sh, r, scheme, &part) &&
		    !parse_color(part, c))
			return 0;
		p = q < end ? q + 1 : end;
	}
	return -1;
}

/* --- checking ---------------------------------------------------------------- */

struct page_colors {
	struct rgba text, bg;
	size_t text_rule, bg_rule;  /* SIZE_MAX: the browser's default */
};

/* The page's own colors under scheme: body before html/:root, later rules
 * before earlier ones. */
static void page_colors(const struct sheet *sh, int scheme, struct page_colors *pc)
{
	enum root_kind text_kind = ROOT_NONE, bg_kind = ROOT_NONE;
	size_t i;
	struct rgba white = { 1, 1, 1, 1 }, black = { 0, 0, 0, 1 }, c;
	pc->text = black;
	pc->bg = white;
	pc->text_rule = pc->bg_rule = (size_t)-1;
	for (i = 0; i < sh->n_rules; i++) {
		const struct css_rule *r = &sh->rules[i];
		if (!r->root || (r->scheme >= 0 && r->scheme != scheme))
			continue;
		if (r->bg.val.s && r->root >= bg_kind &&
		    !value_color(sh, i, scheme, r->bg.val, 1, &c)) {
			pc->bg = blend(c, white);
			pc->bg_rule = i;
			bg_kind = r->root;
		}
		if (r->color.val.s && r->root >= text_kind &&
		    !value_color(sh, i, scheme, r->color.val, 0, &c)) {
			pc->text = c;
			pc->text_rule = i;
			text_kind = r->root;
		}
	}
}

static void report(const struct sheet *sh, const char *path, int scheme, const struct decl *at,
		   const struct rgba *fg, const struct rgba *bg, double ratio_, const char *note,
		   struct diags *d)
{
	char f[8], b[8];
	hex(f, fg);
	hex(b, bg);
	diag(d, RULE_A11Y_CONTRAST, path, at->line, at->col,
	     "contrast of %s on %s is %.2f:1, below %.1f:1%s%.*s (WCAG 2.2 SC %s)", f, b,
	     (double)(long)(ratio_ * 100) / 100, MIN_RATIO, scheme >= 0 ? " under " : "",
	     scheme >= 0 ? (int)sh->groups[scheme].prelude.n : 0,
	     scheme >= 0 ? sh->groups[scheme].prelude.s : "", rule_wcag[RULE_A11Y_CONTRAST]);
	diag_note(d, "%s", note);
}

/* Checks every rule (and the page's pair) under one scheme; returns the
 * number of findings. */
static int check_scheme(const struct sheet *sh, const char *path, int scheme, struct diags *d)
{
	struct page_colors pc;
	struct buf note = BUF_INIT;
	size_t i;
	int found = 0;
	page_colors(sh, scheme, &pc);
	for (i = 0; i < sh->n_rules; i++) {
		const struct css_rule *r = &sh->rules[i];
		struct rgba fg, bg;
		int has_fg, has_bg;
		const struct decl *at;
		double x;
		/* :root, html and body make the page's pair, checked below
		 * (one that a later rule or a scheme overrides colors nothing). */
		if (r->root || (r->scheme >= 0 && r->scheme != scheme))
			continue;
		has_fg = r->color.val.s && !value_color(sh, i, scheme, r->color.val, 0, &fg);
		has_bg = r->bg.val.s && !value_color(sh, i, scheme, r->bg.val, 1, &bg);
		if (!has_fg && !has_bg)
			continue;
		buf_reset(&note);
		buf_addf(&note, "in '%.*s'", (int)r->sel.n, r->sel.s);
		if (!has_bg) {
			bg = pc.bg;
			buf_addf(&note, "; background of the page");
		} else {
			bg = blend(bg, pc.bg);
		}
		if (!has_fg) {
			fg = pc.text;
			buf_addf(&note, "; text color of the page");
		}
		fg = blend(fg, bg);
		x = ratio(&fg, &bg);
		if (x >= MIN_RATIO)
			continue;
		at = has_fg ? &r->color : &r->bg;
		report(sh, path, scheme, at, &fg, &bg, x, note.ptr, d);
		found++;
	}
	/* The page: the body text on the page background. */
	if (pc.text_rule != (size_t)-1 || pc.bg_rule != (size_t)-1) {
		struct rgba fg = blend(pc.text, pc.bg);
		double x = ratio(&fg, &pc.bg);
		if (x < MIN_RATIO) {
			const struct css_rule *r = &sh->rules[pc.text_rule != (size_t)-1 ? pc.text_rule
										  : pc.bg_rule];
			buf_reset(&note);
			buf_addf(&note, "the page's text and background (%s '%.*s')",
				 pc.text_rule != (size_t)-1 ? "color in" : "background in",
				 (int)r->sel.n, r->sel.s);
			report(sh, path, scheme, pc.text_rule != (size_t)-1 ? &r->color : &r->bg, &fg,
			       &pc.bg, x, note.ptr, d);
			found++;
		}
	}
	buf_release(&note);
	return found;
}

/* Marks the groups that redefine colors on :root, html or body, and the
 * rules inside them. */
static void find_schemes(struct sheet *sh)
{
	size_t i;
	struct rgba c;
	for (i = 0; i < sh->n_props; i++) {
		const struct css_rule *r = &sh->rules[sh->props[i].rule];
		if (r->root && r->group >= 0 && !parse_color(sh->props[i].val, &c))
			sh->groups[r->group].is_scheme = 1;
	}
	for (i = 0; i < sh->n_rules; i++) {
		const struct css_rule *r = &sh->rules[i];
		if (r->root && r->group >= 0 && (r->color.val.s || r->bg.val.s))
			sh->groups[r->group].is_scheme = 1;
	}
	for (i = 0; i < sh->n_rules; i++) {
		int g = sh->rules[i].group;
		while (g >= 0 && !sh->groups[g].is_scheme)
			g = sh->groups[g].parent;
		sh->rules[i].scheme = g;
	}
}

int lint_css_contrast(const char *css, size_t len, const char *path, struct diags *d)
{
	struct sheet sh;
	size_t g;
	int found;
	memset(&sh, 0, sizeof(sh));
	sh.css = css;
	sh.len = len;
	scan(&sh);
	find_schemes(&sh);
	found = check_scheme(&sh, path, -1, d);
	for (g = 0; g < sh.n_groups; g++)
		if (sh.groups[g].is_scheme)
			found += check_scheme(&sh, path, (int)g, d);
	free(sh.rules);
	free(sh.props);
	free(sh.groups);
	hash_release(&sh.prop_names);
	arena_release(&sh.arena);
	return found ? -1 : 0;
}
