#!/bin/sh
# cli.sh CAREPRESS - the command line: exit codes, help, summary, check,
# and that a failed build leaves the previous output untouched.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0 count=0
site=tests/fixtures/site/content

check() { # description, then a shell condition
	count=$((count + 1))
	desc=$1; shift
	if eval "$@"; then :; else echo "FAIL: $desc"; fails=$((fails + 1)); fi
}
run() { # exit status of carepress with args; output in $tmp/out, $tmp/err
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	echo $?
}
tree_sum() { (cd "$1" && find . -type f -exec sha256sum {} + | sort) }

check "--help exits 0 with usage" '[ $(run --help) = 0 ] && grep -q "^usage: carepress" $tmp/out'
check "--help lists every option" 'for o in --source --templates --out --jobs --strict --quiet; do grep -q -- "$o" $tmp/out || exit 1; done'
check "--version prints the version" '[ $(run --version) = 0 ] && grep -Eq "^carepress [0-9]+\.[0-9]+\.[0-9]+$" $tmp/out'
check "no command is a usage error (2)" '[ $(run) = 2 ] && grep -q "no command given" $tmp/err'
check "unknown command is 2" '[ $(run frobnicate) = 2 ] && grep -q "unknown command .frobnicate." $tmp/err'
check "unknown option is 2" '[ $(run build --fast) = 2 ] && grep -q "unknown option .--fast." $tmp/err'
check "--jobs 0 is 2" '[ $(run build --jobs 0) = 2 ] && grep -q "jobs takes a number" $tmp/err'
check "--out without a value is 2" '[ $(run build --out) = 2 ]'

check "build exits 0" '[ $(run build --source $site --out $tmp/pub) = 0 ]'
check "build prints a one-line summary" 'grep -Eq "^carepress: built [0-9]+ pages in 2 languages: [0-9]+ files written \([0-9]+ changed\) in [0-9.]+ s$" $tmp/err'
check "every page is well-formed XML" 'for f in $(find $tmp/pub -name "*.html"); do xmllint --noout "$f" || exit 1; done'
check "sitemap is well-formed" 'xmllint --noout $tmp/pub/sitemap.xml'
check "a second build finds nothing changed" '[ $(run build --source $site --out $tmp/pub) = 0 ] && grep -q "^carepress: nothing changed: [0-9]* pages in 2 languages are up to date" $tmp/err'
sum_before=$(tree_sum "$tmp/pub")
ls -l --time-style=full-iso "$tmp/pub/index.html" > "$tmp/mtime1"
check "--quiet prints nothing on success" '[ $(run build --quiet --source $site --out $tmp/pub) = 0 ] && [ ! -s $tmp/err ]'
ls -l --time-style=full-iso "$tmp/pub/index.html" > "$tmp/mtime2"
check "an unchanged file keeps its mtime" 'cmp -s $tmp/mtime1 $tmp/mtime2'

# A content error: exit 1, the diagnostic in GCC form, public/ untouched.
cp -R tests/fixtures/site/content "$tmp/bad"
printf '\nCall {{ phone.mian }} now.\n' >> "$tmp/bad/en/index.md"
check "content error exits 1" '[ $(run build --source $tmp/bad --out $tmp/pub) = 1 ]'
check "diagnostic is file:line:col: error: message [rule]" 'grep -Eq "^$tmp/bad/en/index.md:[0-9]+:[0-9]+: error: unknown fact .phone.mian. \[fact-unknown\]$" $tmp/err'
check "diagnostic suggests the fact" 'grep -q "did you mean .phone.main." $tmp/err'
check "a failed build leaves the output as it was" '[ "$(tree_sum $tmp/pub)" = "$sum_before" ]'
check "a failed build says nothing was changed" 'grep -q "the output directory was not changed" $tmp/err'
check "no staging directory is left behind (the spare is kept)" '[ -z "$(ls -A $tmp | grep carepress- | grep -v carepress-spare$)" ]'

check "check exits 0 on a clean site" '[ $(run check --source $site --out $tmp/never) = 0 ] && [ ! -e $tmp/never ]'
check "check reports errors with exit 1" '[ $(run check --source $tmp/bad) = 1 ] && grep -q "fact-unknown" $tmp/err'

# Files that carepress did not write survive a rebuild.
echo keep > "$tmp/pub/robots.txt"
check "a rebuild keeps files carepress did not write" '[ $(run build --source $site --out $tmp/pub) = 0 ] && [ "$(cat $tmp/pub/robots.txt)" = keep ]'
# Files carepress wrote and no longer produces are removed.
cp -R tests/fixtures/site/content "$tmp/fewer"
rm "$tmp"/fewer/*/about.md
sed -i "s/index, about, notice/index, notice/" "$tmp/fewer/site.yaml"
sed -i "/about.md/d" "$tmp"/fewer/*/index.md
check "a removed page disappears from the output" '[ $(run build --source $tmp/fewer --out $tmp/pub) = 0 ] && [ ! -e $tmp/pub/en/about-this-guide ] && ! grep -q "about" $tmp/pub/sitemap.xml'
check "the output dir as a file is an error" 'touch $tmp/file && [ $(run build --source $site --out $tmp/file) = 1 ] && grep -q "output path is not a directory" $tmp/err'

# The reviewer report.
check "build writes the report" '[ -s $tmp/pub/report/index.html ] && [ -s $tmp/pub/report/report.json ]'
check "the report page is well-formed" 'xmllint --noout $tmp/pub/report/index.html'
check "check --format json prints the report" '[ $(run check --format json --source $site) = 0 ] && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"summary\"][\"pages\"] == 6 and len(d[\"pages\"]) == 6" $tmp/out'
check "--format takes text or json" '[ $(run check --format xml) = 2 ]'
cp -R tests/fixtures/site/content "$tmp/hard"
printf '\nNotwithstanding the aforementioned considerations, beneficiaries experiencing deteriorating physiological manifestations necessitating immediate professional intervention should contact emergency services.\n' >> "$tmp/hard/en/notice.md"
check "a page over the reading target is a warning" '[ $(run check --source $tmp/hard) = 0 ] && grep -q "en/notice.md:7:1: warning: hard to read: grade [0-9.]*, the target is at most 8 (WCAG 2.2 SC 3.1.5) \[reading-level\]" $tmp/err'
check "a warning is printed by the build that finds it" '[ $(run build --source $tmp/hard --out $tmp/hard-out) = 0 ] && grep -q "en/notice.md:7:1: warning: hard to read" $tmp/err'
printf '\nCall us.\n' >> "$tmp/hard/en/about.md"
check "a rebuild counts the warnings of pages that did not change, and does not print them again" '[ $(run build --source $tmp/hard --out $tmp/hard-out) = 0 ] && ! grep -q "warning: hard to read" $tmp/err && grep -q "^carepress: 2 findings in pages that did not change are not shown again; $tmp/hard-out/report/index.html lists every finding$" $tmp/err && grep -q "hard to read" $tmp/hard-out/report/index.html'
check "check prints every finding" '[ $(run check --source $tmp/hard) = 0 ] && grep -q "en/notice.md:7:1: warning: hard to read" $tmp/err'

# Language access: a translation against its source.
cp -R tests/fixtures/site/content "$tmp/lang"
sed -i 's/{{ phone.main }}/{{ phone.tty }}/' "$tmp/lang/fr/notice.md"
check "a translation with other facts is an error" '[ $(run build --source $tmp/lang --out $tmp/lang-out) = 1 ] && grep -q "fr/notice.md:1:1: error: translation uses other facts than its source .*: lacks .phone.main.; adds .phone.tty. \[translation-facts\]" $tmp/err'
cp tests/fixtures/site/content/fr/notice.md "$tmp/lang/fr/notice.md"
printf '\nA new sentence.\n' >> "$tmp/lang/en/notice.md"
check "a changed source makes its translation outdated (warning)" '[ $(run build --source $tmp/lang --out $tmp/lang-out) = 0 ] && grep -q "fr/notice.md:1:1: warning: outdated translation: .*en/notice.md changed since it was translated \[translation-outdated\]" $tmp/err'
check "check prints the new source_hash" '[ $(run check --source $tmp/lang) = 0 ] && grep -q "^source_hash [0-9a-f]\{12\} $tmp/lang/en/notice.md$" $tmp/out'
check "--release refuses translations not reviewed" '[ $(run build --release --source $tmp/lang --out $tmp/lang-out) = 1 ] && [ $(grep -c "error: translation is not reviewed by a qualified translator \[release\]" $tmp/err) = 3 ]'
printf '\n## Extra\n\nMore.\n' >> "$tmp/lang/fr/about.md"
check "a different number of sections is a warning" '[ $(run build --source $tmp/lang --out $tmp/lang-out) = 0 ] && grep -q "fr/about.md:1:1: warning: translation has 2 sections (##), its source .* has 1 \[translation-parity\]" $tmp/err'

# A page in the brochure is linted in the page and in the brochure: one
# finding, at its Markdown line, never at the brochure's template.
rm -rf "$tmp/vague" && cp -R "$site" "$tmp/vague"
printf '\nRead more [here](index.md).\n' >> "$tmp/vague/en/about.md"
line=$(grep -c '' "$tmp/vague/en/about.md")
check "a finding in a brochure page is reported once, at its source" '[ $(run build --source $tmp/vague --out $tmp/vague-out) = 1 ] && [ $(grep -c "vague link text" $tmp/err) = 1 ] && grep -q "en/about.md:$line:11: error: vague link text .here." $tmp/err && ! grep -q "brochure.mustache" $tmp/err'

echo "cli: $((count - fails)) passed, $fails failed"
[ $fails = 0 ]
