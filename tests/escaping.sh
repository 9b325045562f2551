#!/bin/sh
# escaping.sh CAREPRESS - every value carepress places in HTML is escaped for
# its context (text, attribute, URL), pages forbid scripts, and no path in
# the content reaches outside the source and output directories.
#
# 1. The fixture site with a hostile payload in every place content can put
#    text: front matter (title, description), facts (plain, per-language,
#    URL, phone), the language names in site.yaml, every UI string in
#    strings.yaml, and in the Markdown: text, link text and title, image alt,
#    code, headings, footnotes, table cells, autolinks and link destinations.
#    The payload is  <script>alert(1)</script>"onmouseover="x'&javascript:alert(1)
#    behind a tag naming where it was put (Ztitle_en_about...), so each one can
#    be found in the output. All of it is legal: the build must succeed, and
#    then no <script element, no on* attribute, no attribute breakout and no
#    javascript:/data: URL may appear; every tag must appear escaped; every
#    page must be well-formed and carry a Content-Security-Policy with
#    script-src 'none'; every output path must be made of safe characters.
# 2. What must be refused (javascript:/data: URLs, raw <script>, '../',
#    absolute and symlinked paths in links, images and slugs): each build
#    must fail with its rule and leave the previous output as it was.
#
# Prints "escaping: N passed, N failed"; needs xmllint. ESCAPING_KEEP=1 keeps
# the work directory (its path is printed) to look at the output.
set -u
LC_ALL=C
export LC_ALL

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
fixture=$repo/tests/fixtures/site/content
tmp=$(mktemp -d)
if [ -n "${ESCAPING_KEEP:-}" ]; then
	echo "escaping: work directory $tmp (kept)"
else
	trap 'rm -rf "$tmp"' EXIT
fi
passed=0 failed=0

command -v xmllint >/dev/null 2>&1 || {
	echo "escaping: xmllint is missing (Debian package libxml2-utils)"
	echo "escaping: 0 passed, 1 failed"
	exit 1
}

ok() { passed=$((passed + 1)); }
fail() {
	echo "FAIL $*"
	failed=$((failed + 1))
}

# The payload, raw and as a YAML double-quoted scalar's contents.
P='<script>alert(1)</script>"onmouseover="x'"'"'&javascript:alert(1)'
PY='<script>alert(1)</script>\"onmouseover=\"x'"'"'&javascript:alert(1)'
# The same in Markdown text: '<' escaped so that it is text, not raw HTML.
PM='\<script>alert(1)\</script>"onmouseover="x'"'"'&javascript:alert(1)'

# --- 1. hostile but legal content -------------------------------------------

site=$tmp/hostile
mkdir -p "$site"
cp -R "$fixture" "$site/content"
cp -R "$repo/templates" "$site/templates"
c=$site/content

# site.yaml: language names, facts (plain, nested, per-language, URL, phone,
# a bare javascript: text), and fallback on so that a missing translation
# shows the "untranslated" notice (which names the language).
cat >"$c/site.yaml" <<EOF
base_url: "https://example.org/guide/"
fallback: true
languages:
  - tag: en
    name: "Zlang_en$PY"
    dir: ltr
  - tag: fr
    name: "Zlang_fr$PY"
    dir: ltr
pages: [index, about, notice]
required_pages: [notice]
footer_links: [notice]
facts:
  phone:
    main: "1-800-555-0100"
    tty: "711 Zphone$PY"
  hours:
    main:
      en: "Zhours_en$PY"
      fr: "Zhours_fr$PY"
  url:
    portal: "https://portal.example.org/Zurl$PY"
  org: "Zorg$PY"
  greeting: "{{ org }} Zgreeting$PY"
  plain: "javascript:alert(1) Zplain"
EOF

# Every UI string, keeping its placeholder.
for lang in en fr; do
	P_YAML=$PY awk '
		BEGIN { p = ENVIRON["P_YAML"] }
		/^vague_links:/ { print; next }
		{
			k = $1; sub(/:$/, "", k)
			ph = ""
			if ($0 ~ /\{date\}/) ph = " {date}"
			if ($0 ~ /\{n\}/) ph = " {n}"
			if ($0 ~ /\{language\}/) ph = " {language}"
			printf "%s: \"Zs_%s%s%s\"\n", k, k, p, ph
		}' "$fixture/$lang/strings.yaml" >"$c/$lang/strings.yaml"
done

# Front matter of every page: title and description.
for f in "$c"/en/*.md "$c"/fr/*.md; do
	lang=$(basename "$(dirname "$f")")
	name=$(basename "$f" .md)
	T="Ztitle_${lang}_$name$PY" D="Zdesc_${lang}_$name$PY" awk '
		BEGIN { fm = 0; t = ENVIRON["T"]; d = ENVIRON["D"] }
		/^---$/ { fm++ }
		fm == 1 && /^title:/ { print "title: \"" t "\""; next }
		fm == 1 && /^description:/ { print "description: \"" d "\""; next }
		{ print }' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
done

# The Markdown body: every construct that carries author text or a URL.
for lang in en fr; do
	cat >>"$c/$lang/about.md" <<EOF

Zbody_$lang $PM and &lt;script&gt;alert(1)&lt;/script&gt; and {{ org }} and {{ plain }}.

Hours: {{ hours.main }}; TTY {{ phone.tty }}; web {{ url.portal }}.

[Zlink_$lang $PM](notice.md "Zlinktitle_$lang $PY")

[Zfactlink_$lang {{ org }}](<{{ url.portal }}>)

![Zalt_$lang $PM](https://example.org/a.png "Zimgtitle_$lang $PY")

\`Zcode_$lang $P\`

<https://example.org/?Zauto_$lang="onmouseover="x'&javascript:alert(1)>

[Zdest_$lang](https://example.org/Zdest_$lang"onmouseover="x'<script>)

> [!WARNING]
> Zwarn_$lang $PM

> [!URGENT]
> #### Urgent care
> Zurgent_$lang $PM

> [!NONURGENT]
> #### Routine care
> Znonurgent_$lang $PM

## Zhead_$lang $PM

Table: Zcaption_$lang $PM

| | Zth_$lang $PM |
| --- | --- |
| Zrow_$lang $PM | Zcell_$lang $PM |

A note.[^zfn]

[^zfn]: Zfoot_$lang $PM
EOF
done

# A page in English only (published in French with the untranslated
# notice), with a translation key that looks like a path: keys pair pages,
# they must never become paths.
cat >"$c/en/extra.md" <<EOF
---
title: "Ztitle_en_extra$PY"
description: "Zdesc_en_extra$PY"
key: "../../../../escape-key"
updated: 2026-11-24
---

Extra.
EOF

(cd "$site" && "$bin" build --out public >"$tmp/hostile.out" 2>"$tmp/hostile.err")
st=$?
if [ $st = 0 ]; then ok; else
	fail "hostile content: the build failed (exit $st); it is all legal"
	grep -E ': (error|warning): ' "$tmp/hostile.err" | head -20
fi
pub=$site/public

if [ -d "$pub" ]; then
	find "$pub" -type f \( -name '*.html' -o -name '*.xml' -o -name '*.svg' \) | sort >"$tmp/files"
	find "$pub" -type f -name '*.html' | sort >"$tmp/html"
	n_html=$(wc -l <"$tmp/html")

	# No <script element anywhere (any case).
	if grep -il '<script' $(cat "$tmp/files") >"$tmp/bad" 2>/dev/null; then
		fail "a <script element in: $(tr '\n' ' ' <"$tmp/bad")"
		grep -io '.\{40\}<script.\{40\}' $(cat "$tmp/bad") | head -5
	else ok; fi

	# Every page is well-formed (an unescaped '<', '&' or '"' in text or an
	# attribute breaks it) and the sitemap is well-formed XML.
	bad=""
	for f in $(cat "$tmp/files"); do
		xmllint --noout "$f" 2>"$tmp/xml.err" || bad="$bad ${f#"$pub"/}"
	done
	if [ -z "$bad" ]; then ok; else
		fail "not well-formed:$bad"
		head -5 "$tmp/xml.err"
	fi

	# No event handler attribute, and no unescaped breakout text.
	bad=""
	for f in $(cat "$tmp/html"); do
		n=$(xmllint --xpath 'count(//@*[starts-with(translate(name(),"ON","on"),"on")])' "$f" 2>/dev/null)
		[ "${n:-1}" = 0 ] || bad="$bad ${f#"$pub"/}"
	done
	if [ -z "$bad" ]; then ok; else fail "an on* attribute in:$bad"; fi
	if grep -l "onmouseover=[\"']" $(cat "$tmp/files") >"$tmp/bad"; then
		fail "an unescaped onmouseover= in: $(tr '\n' ' ' <"$tmp/bad")"
		grep -o ".\{40\}onmouseover=[\"'].\{20\}" $(cat "$tmp/bad") | head -5
	else ok; fi

	# No javascript:, vbscript: or data: URL in any attribute that takes a
	# URL (after entity decoding, spaces and case ignored).
	xp='//@*[local-name()="href" or local-name()="src" or local-name()="action" or local-name()="formaction" or local-name()="cite" or local-name()="poster" or local-name()="srcset" or local-name()="content"][starts-with(translate(translate(normalize-space(.)," ",""),"ABCDEFGHIJKLMNOPQRSTUVWXYZ","abcdefghijklmnopqrstuvwxyz"),"javascript:") or starts-with(translate(normalize-space(.),"ABCDEFGHIJKLMNOPQRSTUVWXYZ","abcdefghijklmnopqrstuvwxyz"),"vbscript:") or starts-with(translate(normalize-space(.),"ABCDEFGHIJKLMNOPQRSTUVWXYZ","abcdefghijklmnopqrstuvwxyz"),"data:")]'
	bad=""
	for f in $(cat "$tmp/html"); do
		n=$(xmllint --xpath "count($xp)" "$f" 2>/dev/null)
		[ "${n:-1}" = 0 ] || bad="$bad ${f#"$pub"/}"
	done
	if [ -z "$bad" ]; then ok; else fail "a javascript:/data: URL in:$bad"; fi
	if grep -Eil '(href|src)="[[:space:]]*(javascript|data|vbscript):' $(cat "$tmp/html") >"$tmp/bad"; then
		fail "a javascript:/data: href in: $(tr '\n' ' ' <"$tmp/bad")"
	else ok; fi

	# Every page forbids scripts: a CSP meta with script-src 'none', in head.
	bad=""
	for f in $(cat "$tmp/html"); do
		csp=$(xmllint --xpath 'string(/html/head/meta[translate(@http-equiv,"CONTENT-SECURITY-POLICY","content-security-policy")="content-security-policy"]/@content)' "$f" 2>/dev/null)
		case $csp in
		*"script-src 'none'"*) ;;
		*) bad="$bad ${f#"$pub"/}" ;;
		esac
	done
	if [ -z "$bad" ] && [ "$n_html" -gt 0 ]; then ok; else
		fail "no Content-Security-Policy with script-src 'none' in:$bad"
	fi

	# Output paths: only safe characters, nothing outside public/.
	if find "$pub" | sed "s|^$pub||" | grep -v '^[A-Za-z0-9/._-]*$' >"$tmp/bad"; then
		fail "unsafe output paths: $(head -5 "$tmp/bad" | tr '\n' ' ')"
	else ok; fi
	if [ -n "$(find "$tmp" -maxdepth 1 -name 'escape-key*')" ] ||
		[ "$(ls "$site" | tr '\n' ' ')" != "content public templates " ]; then
		fail "files written outside public/: $(ls "$site" "$tmp" | tr '\n' ' ')"
	else ok; fi

	# Each tag reached the output, escaped for its context: "TAG" then the
	# payload's '<' as &lt; (text, attribute) or %3C (URL). A tag missing
	# means the value was dropped, or escaped wrongly (&amp;lt;, unescaped).
	tags="Zlang_en Zlang_fr Zhours_en Zhours_fr Zurl Zorg Zgreeting Zphone"
	for f in $(grep -l '' "$c"/en/*.md "$c"/fr/*.md); do
		lang=$(basename "$(dirname "$f")")
		name=$(basename "$f" .md)
		tags="$tags Ztitle_${lang}_$name Zdesc_${lang}_$name"
	done
	for lang in en fr; do
		tags="$tags Zbody_$lang Zlink_$lang Zlinktitle_$lang Zalt_$lang Zcode_$lang Zwarn_$lang"
		tags="$tags Zurgent_$lang Znonurgent_$lang Zhead_$lang Zcaption_$lang Zth_$lang"
		tags="$tags Zrow_$lang Zcell_$lang Zfoot_$lang"
	done
	# The UI strings the templates and the Markdown stage use.
	for s in $(grep -oh 'strings\.[a-z_]*' "$repo"/templates/*.mustache "$repo"/templates/partials/*.mustache | sort -u | sed 's/strings\.//') \
		note warning nonurgent urgent emergency footnotes footnote_back updated untranslated; do
		tags="$tags Zs_$s"
	done
	missing=""
	for t in $tags; do
		grep -rqF -e "$t&lt;script&gt;" -e "$t %3Cscript" -e "$t%3Cscript" -e "$t &lt;script&gt;" "$pub" ||
			missing="$missing $t"
	done
	if [ -z "$missing" ]; then ok; else
		fail "not found escaped in the output:$missing"
	fi
	# The autolink and the destination: quotes in a URL are %22 or &quot;,
	# never raw (that would end the attribute).
	for lang in en fr; do
		for t in Zauto_$lang Zdest_$lang; do
			if grep -rhoE "href=\"[^\"]*$t[^\"]*\"" "$pub" | grep -q .; then
				if grep -rhoE "href=\"[^\"]*$t[^\"]*\"" "$pub" | grep -q "onmouseover=%22x\|onmouseover=&quot;x"; then
					ok
				else fail "$t: its href lost the rest of the URL: $(grep -rhoE "href=\"[^\"]*$t[^\"]*\"" "$pub" | head -1)"; fi
			else fail "$t: no href with it in the output"; fi
		done
	done
	# A plain fact that reads "javascript:..." stays text, not a link.
	if grep -rqF 'javascript:alert(1) Zplain' "$pub"; then ok; else
		fail "the plain fact 'javascript:alert(1) Zplain' is not in the output as text"; fi
fi

# --- 2. what must be refused ------------------------------------------------

# refuse NAME RULE : the fixture with setup shell code from stdin must fail
# with [RULE] and leave the published output unchanged.
tree_sum() { (cd "$1" && { find . -type f -exec sha256sum {} +; find . ! -type f -printf '%y %p -> %l\n'; } | sort); }
refuse() {
	name=$1 rule=$2
	w=$tmp/refuse-$name
	mkdir -p "$w"
	cp -R "$fixture" "$w/content"
	cp -R "$repo/templates" "$w/templates"
	if ! (cd "$w" && "$bin" build --quiet --out public >/dev/null 2>&1); then
		fail "$name: the fixture did not build"
		return
	fi
	(cd "$w" && sh -s) || { fail "$name: setup failed"; return; }
	: >"$w.err"
	before=$(tree_sum "$w/public")
	around=$(ls -A "$w" "$tmp")
	(cd "$w" && "$bin" build --quiet --out public >/dev/null 2>"$w.err")
	st=$?
	if [ $st != 1 ]; then
		fail "$name: exit status $st, expected 1 with [$rule]"
	elif ! grep -q "error: .*\[$rule\]\$" "$w.err"; then
		fail "$name: no [$rule] error"
		grep -E ': (error|warning): ' "$w.err" | head -5
	elif [ "$(tree_sum "$w/public")" != "$before" ]; then
		fail "$name: public/ changed"
	elif [ "$(ls -A "$w" "$tmp")" != "$around" ]; then
		fail "$name: something was written outside public/"
	else
		ok
	fi
}

page() { printf -- '---\ntitle: About this guide\ndescription: x\norder: 2\ntranslation: source\n%s---\n\n%s\n' "$1" "$2"; }

refuse javascript-link url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '[Zlink](javascript:alert(1))')
X
EOF
refuse javascript-link-obfuscated url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '[Zlink](JaVa&#x09;ScRiPt&#x3A;alert(1))')
X
EOF
refuse javascript-reference-link url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '[Zlink][x]

[x]: <javascript:alert(1)>')
X
EOF
refuse javascript-url-fact url-unsafe <<EOF
printf '  evil: "javascript:alert(1)"\n' >> content/site.yaml
cat > content/en/about.md <<'X'
$(page '' '[Zlink]({{evil}}) and [Z2](<{{ evil }}>)')
X
EOF
refuse javascript-image url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '![A picture](javascript:alert(1))')
X
EOF
refuse data-image url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '![A picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)')
X
EOF
refuse data-link url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '[Zlink](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)')
X
EOF
refuse raw-script-in-link-text raw-html <<EOF
cat > content/en/about.md <<'X'
$(page '' '[<script>alert(1)</script>](notice.md)')
X
EOF
refuse raw-attribute-breakout raw-html <<EOF
cat > content/en/about.md <<'X'
$(page '' 'Text <a href="x" onmouseover="alert(1)">here</a>.')
X
EOF
refuse link-dotdot path <<EOF
cat > content/en/about.md <<'X'
$(page '' '[The config](../../site.yaml)')
X
EOF
refuse link-dotdot-md path <<EOF
cat > content/en/about.md <<'X'
$(page '' '[A page](../../../../../../../../tmp/x.md)')
X
EOF
refuse link-absolute-path link-page <<EOF
cat > content/en/about.md <<'X'
$(page '' '[Passwords](/etc/passwd)')
X
EOF
refuse link-file-url url-unsafe <<EOF
cat > content/en/about.md <<'X'
$(page '' '[Passwords](file:///etc/passwd)')
X
EOF
refuse image-dotdot path <<EOF
cat > content/en/about.md <<'X'
$(page '' '![The password file](../../../../etc/passwd)')
X
EOF
refuse slug-dotdot slug <<EOF
cat > content/en/about.md <<'X'
$(page 'slug: ../../../escape
' 'Text.')
X
EOF
refuse slug-absolute slug <<EOF
cat > content/en/about.md <<'X'
$(page 'slug: /tmp/escape
' 'Text.')
X
EOF
refuse slug-encoded-dotdot slug <<EOF
cat > content/en/about.md <<'X'
$(page 'slug: "%2e%2e%2fescape"
' 'Text.')
X
EOF
refuse symlink-page-outside path <<EOF
ln -s /etc/passwd content/en/passwd.md
EOF
refuse symlink-page-outside-relative path <<EOF
printf -- '---\ntitle: Outside\ndescription: x\n---\n\nOutside.\n' > outside.md
ln -s ../../outside.md content/en/outside.md
EOF
refuse symlink-language-dir-outside path <<EOF
mkdir -p ../refuse-lang-outside
mv content/fr ../refuse-lang-outside/fr
ln -s "\$(cd ../refuse-lang-outside && pwd)/fr" content/fr
EOF
refuse symlink-strings-outside path <<EOF
cp content/fr/strings.yaml strings-outside.yaml
rm content/fr/strings.yaml
ln -s ../../strings-outside.yaml content/fr/strings.yaml
EOF
refuse language-tag-path config <<EOF
sed -i 's/^  - tag: fr/  - tag: ..\/..\/fr/' content/site.yaml
EOF

echo "escaping: $passed passed, $failed failed"
[ "$failed" = 0 ]
