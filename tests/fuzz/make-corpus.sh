#!/bin/sh
# make-corpus.sh - (re)generates the seed corpora in tests/fuzz/corpus/ from
# the repository: content/ and the fixture site, templates/, the Mustache
# spec (tests/mustache-spec/, needs python3 with PyYAML) and the bad-input
# catalogue (files/ and what each setup.sh makes). Run from anywhere; the
# result is committed, so run it only when the sources of the seeds change
# (inputs the fuzzers find are added by hand, see fuzz.mk).
#
# Files named extra-* are kept: hand-written seeds and inputs the fuzzers
# found (copy a finding in as extra-found-<what>).
#
# Seed formats (see each target's header comment):
#   fuzz_frontmatter/  a content file: a page, site.yaml or strings.yaml
#   fuzz_mustache/     template NUL yaml-data NUL partial
#   fuzz_page/         one mode byte, then a page (front matter optional)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$repo/tests/fuzz/corpus
max=16384
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

mkdir -p "$out/fuzz_frontmatter" "$out/fuzz_mustache" "$out/fuzz_page"
find "$out" -type f ! -name 'extra-*' -exec rm -f {} +

# seed TARGET NAME FILE [MODE]: copies FILE (if not too big) as NAME.
seed() {
	[ -f "$3" ] && [ ! -L "$3" ] || return 0
	[ "$(wc -c <"$3")" -le $max ] || return 0
	if [ "$1" = fuzz_page ]; then
		{ printf "\\$(printf %03o "${4:-0}")"; cat "$3"; } >"$out/$1/$2"
	else
		cp "$3" "$out/$1/$2"
	fi
}

# A template context shaped like carepress's (docs/architecture.md).
cat >"$tmp/data.yaml" <<'EOF'
root: /guide
generator: carepress 1
site: {base_url: "https://example.org/guide"}
lang: {tag: en, name: English, dir: ltr}
strings: {site_name: "Guide <&>", skip_link: Skip, nav_label: Main, language_label: Language,
  footer_label: Notices, large_print: Large print, web_version: Web, page_label: Page,
  of_label: of, not_found_title: Not found, not_found_text: Gone, back_home: Home,
  choose_language: Choose}
page: {key: about, title: "About \"this\" guide", description: "It's <b>", url: /guide/en/about/,
  canonical: "https://example.org/guide/en/about/", content: "<p>Body</p>",
  print_url: /guide/en/about/print/, web_url: /guide/en/about/, is_home: false,
  updated_iso: "2026-11-24", updated_text: "Updated November 24, 2026", notice: null}
alternates:
  - {tag: en, name: English, dir: ltr, url: /guide/en/about/, canonical: "https://example.org/guide/en/about/", is_current: true}
  - {tag: es, name: Español, dir: ltr, url: /guide/es/acerca/, canonical: "https://example.org/guide/es/acerca/", is_current: false}
x_default: "https://example.org/guide/en/about/"
nav: [{title: Home, url: /guide/en/, is_current: false}, {title: About, url: /guide/en/about/, is_current: true}]
footer_links: [{title: Notice, url: /guide/en/notice/}]
languages: [{tag: en, name: English, dir: ltr, home_url: /guide/en/, strings: {site_name: Guide}}]
EOF

# --- content and the fixture site -------------------------------------------
for f in "$repo"/content/*/*.md "$repo"/tests/fixtures/site/content/*/*.md; do
	[ -f "$f" ] || continue
	name=$(echo "${f#"$repo"/}" | tr '/' '-')
	seed fuzz_frontmatter "$name" "$f"
	seed fuzz_page "$name" "$f" 0
done
# A few pages again in the other modes (brochure ids, no link resolver...).
i=1
for f in "$repo"/tests/fixtures/site/content/en/*.md; do
	seed fuzz_page "mode$((i * 5))-$(basename "$f")" "$f" $((i * 5))
	i=$((i + 1))
done
for f in "$repo"/content/site.yaml "$repo"/content/*/strings.yaml \
	"$repo"/tests/fixtures/site/content/site.yaml "$repo"/tests/bench/site.yaml; do
	[ -f "$f" ] || continue
	seed fuzz_frontmatter "$(echo "${f#"$repo"/}" | tr '/' '-')" "$f"
done

# --- templates ----------------------------------------------------------------
for f in "$repo"/templates/*.mustache "$repo"/templates/partials/*.mustache; do
	[ -f "$f" ] || continue
	name=$(echo "${f#"$repo"/templates/}" | tr '/' '-')
	footer=$repo/templates/partials/footer.mustache
	{ cat "$f"; printf '\0'; cat "$tmp/data.yaml"; printf '\0'; cat "$footer"; } >"$tmp/seed"
	seed fuzz_mustache "template-$name" "$tmp/seed"
done

# --- the Mustache spec: template NUL data NUL first partial -----------------------
if python3 -c 'import yaml' 2>/dev/null; then
	python3 - "$repo/tests/mustache-spec" "$out/fuzz_mustache" <<'EOF'
import os, sys, yaml
src, out = sys.argv[1], sys.argv[2]
for fn in sorted(os.listdir(src)):
    if not fn.endswith('.yml'):
        continue
    spec = yaml.safe_load(open(os.path.join(src, fn), encoding='utf-8'))
    base = fn[:-4].lstrip('~')
    # Every other test: enough to seed each feature, a few dozen in all.
    for i, t in enumerate(spec.get('tests', [])):
        if i % 3:
            continue
        data = t.get('data')
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != 'lambda'}
        partials = t.get('partials') or {}
        partial = next(iter(partials.values()), '')
        blob = (t['template'].encode() + b'\0' +
                yaml.safe_dump(data, allow_unicode=True).encode() + b'\0' +
                partial.encode())
        with open(os.path.join(out, 'spec-%s-%02d' % (base, i)), 'wb') as f:
            f.write(blob)
EOF
else
	echo "make-corpus: python3 has no PyYAML: no Mustache spec seeds" >&2
fi

# --- the bad-input catalogue -----------------------------------------------------
# Each case's files, and what its setup.sh changes in a copy of the fixture.
for case in "$repo"/tests/bad-input/*/; do
	name=$(basename "$case")
	w=$tmp/case-$name
	mkdir -p "$w"
	cp -R "$repo/tests/fixtures/site/content" "$w/content"
	cp -R "$repo/templates" "$w/templates"
	cp -R "$w" "$tmp/pristine"
	[ -d "$case/files" ] && cp -R "$case/files/." "$w/"
	# Only setups that change files in place (no FIFOs, sockets, symlinks
	# or background jobs are needed for seeds); errors are ignored.
	if [ -f "$case/setup.sh" ] && ! grep -q 'mkfifo\|socket\|ln -s\|&$' "$case/setup.sh"; then
		(cd "$w" && sh "$case/setup.sh") >/dev/null 2>&1 || true
	fi
	(cd "$w" && find content templates -type f) | while read -r rel; do
		if cmp -s "$w/$rel" "$tmp/pristine/$rel"; then continue; fi
		f=$w/$rel
		case $rel in
		*.md)
			seed fuzz_frontmatter "bad-$name-$(basename "$rel")" "$f"
			seed fuzz_page "bad-$name-$(basename "$rel")" "$f" 0
			;;
		*.yaml)
			seed fuzz_frontmatter "bad-$name-$(basename "$rel")" "$f"
			;;
		*.mustache)
			{ cat "$f"; printf '\0'; cat "$tmp/data.yaml"; printf '\0'; } >"$tmp/seed"
			seed fuzz_mustache "bad-$name-$(basename "$rel")" "$tmp/seed"
			;;
		esac
	done
	rm -rf "$w" "$tmp/pristine"
done

for t in fuzz_frontmatter fuzz_mustache fuzz_page; do
	echo "make-corpus: $t: $(ls "$out/$t" | wc -l) seeds, $(cat "$out/$t"/* | wc -c) bytes"
done
