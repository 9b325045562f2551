#!/bin/sh
# pdf.sh CAREPRESS - carepress pdf: tagged PDFs of every large-print page and
# a brochure per language, made by WeasyPrint and checked with poppler
# (pdfinfo, pdffonts, pdftotext) and pdfminer (tests/pdf_check.py: sizes of
# every character, structure tree, contents page numbers). Then, with a
# stand-in for WeasyPrint: only changed pages are remade, --jobs bounds the
# processes, failures become diagnostics, PDFs of removed pages go.
# Skips, saying so, only when WeasyPrint is missing and cannot be installed.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 count=0

check() { # description, then a shell condition
	count=$((count + 1))
	desc=$1; shift
	if eval "$@"; then :; else echo "FAIL: $desc"; fails=$((fails + 1)); fi
}
run() { # exit status of carepress with args; output in $tmp/out, $tmp/err
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	echo $?
}

# --- the tools -----------------------------------------------------------------

install_debs() {
	[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}
if ! command -v weasyprint >/dev/null 2>&1; then
	install_debs weasyprint
	if ! command -v weasyprint >/dev/null 2>&1; then
		echo "pdf: SKIPPED: WeasyPrint is not installed and could not be installed" \
			"(Debian: apt-get install weasyprint); no PDF was made or checked"
		exit 0
	fi
fi
command -v pdffonts >/dev/null 2>&1 || install_debs poppler-utils
# Debian's pdfminer is for Debian's python3, which may not be first in PATH.
python=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import pdfminer, yaml' 2>/dev/null; then python=$p; break; fi
done
if [ -z "$python" ]; then
	install_debs python3-pdfminer python3-yaml
	/usr/bin/python3 -c 'import pdfminer, yaml' 2>/dev/null && python=/usr/bin/python3
fi
for t in pdfinfo pdffonts pdftotext; do
	command -v $t >/dev/null 2>&1 || { echo "FAIL: $t is missing (apt-get install poppler-utils)"; exit 1; }
done
[ -n "$python" ] || { echo "FAIL: pdfminer is missing (apt-get install python3-pdfminer python3-yaml)"; exit 1; }

# --- the seed site, with WeasyPrint ----------------------------------------------

pub=$tmp/pub
check "carepress pdf exits 0" '[ $(run pdf --out $pub) = 0 ] || { cat $tmp/err; false; }'
check "it prints a one-line summary" 'grep -Eq "^carepress: 16 PDFs up to date \(16 made, 0 removed\) in [0-9.]+ s$" $tmp/err'
check "WeasyPrint reported nothing" '! grep "\[pdf\]" $tmp/err'

pdfs=
for html in $(cd "$pub" && find . -path "*/print/index.html" | sed 's|^\./||' | sort); do
	dir=${html%/print/index.html}
	case $dir in */*) pdf=$dir/${dir#*/}.pdf ;; *) pdf=$dir/index.pdf ;; esac
	pdfs="$pdfs $pdf"
done
pdfs="$pdfs en/brochure.pdf es/brochure.pdf"
check "16 PDFs: 7 pages and a brochure per language" '[ $(echo $pdfs | wc -w) = 16 ]'
for pdf in $pdfs; do
	case $pdf in
	*/brochure.pdf) html=${pdf%.pdf}/index.html ;;
	*/index.pdf) html=${pdf%index.pdf}print/index.html ;;
	*) html=${pdf%/*}/print/index.html ;;
	esac
	title=$($python -c 'import html, re, sys
print(html.unescape(re.search(r"<title>(.*?)</title>", open(sys.argv[1], encoding="utf-8").read()).group(1)))' "$pub/$html")
	if [ ! -f "$pub/$pdf" ]; then
		check "$pdf exists" false
		continue
	fi
	pdfinfo "$pub/$pdf" >"$tmp/info" 2>&1
	check "$pdf: pdfinfo says Tagged: yes" 'grep -q "^Tagged: *yes$" $tmp/info'
	check "$pdf: pdfinfo shows the title" 'grep -qxF "Title:           $title" $tmp/info'
	check "$pdf: US Letter" 'grep -q "^Page size: *612 x 792 pts (letter)$" $tmp/info'
	pdffonts "$pub/$pdf" | tail -n +3 >"$tmp/fonts"
	check "$pdf: pdffonts shows fonts" '[ -s $tmp/fonts ]'
	check "$pdf: pdffonts shows every font embedded" '! awk "\$(NF-4) != \"yes\"" $tmp/fonts | grep -q .'
	check "$pdf: only DejaVu Sans" '! grep -v "DejaVu-Sans" $tmp/fonts | grep -q .'
done
check "pdf_check.py: sizes, structure, facts, brochure contents" \
	'$python tests/pdf_check.py $pub content >$tmp/check 2>&1 || { cat $tmp/check; false; }'

# The fixture site: another base URL path (/guide), another language.
check "the fixture site (base URL with a path) makes its PDFs" \
	'[ $(run pdf --source tests/fixtures/site/content --out $tmp/fix) = 0 ] || { cat $tmp/err; false; }'
check "pdf_check.py on the fixture site" \
	'$python tests/pdf_check.py $tmp/fix tests/fixtures/site/content >$tmp/check 2>&1 || { cat $tmp/check; false; }'

# --- a stand-in for WeasyPrint: what runs, when ----------------------------------
# It logs the page each run is for (its --base-url), keeps a copy of its
# input, and behaves as FAKE_MODE says.
mkdir -p "$tmp/bin" "$tmp/inputs" "$tmp/nobin"
cat >"$tmp/bin/weasyprint" <<EOF
#!/bin/sh
while [ \$# -gt 2 ]; do
	[ "\$1" = --base-url ] && base=\$2
	shift
done
echo "\$base" >>"$tmp/calls"
cp "\$1" "$tmp/inputs/\$(echo "\$base" | tr / _)"
touch "$tmp/running.\$\$"
ls "$tmp"/running.* | wc -l >>"$tmp/concurrent"
sleep \${FAKE_SLEEP:-0}
rm -f "$tmp/running.\$\$"
case \${FAKE_MODE:-ok} in
ok) printf '%%PDF-1.7\n%% stand-in\n' >"\$2" ;;
error) echo "WARNING: PDF/UA support is experimental, generated PDF files are not guaranteed to be valid." >&2
       echo "ERROR: Failed to load stylesheet at file:///x.css: boom" >&2
       printf '%%PDF-1.7\n' >"\$2" ;;
crash) echo "Traceback (most recent call last):" >&2
       echo "ValueError: bad value" >&2
       exit 3 ;;
esac
EOF
chmod +x "$tmp/bin/weasyprint"
fake() { # mode (ok, error, crash), seconds each run takes, carepress args
	rm -f "$tmp/calls" "$tmp/concurrent"
	mode=$1 secs=$2
	shift 2
	FAKE_MODE=$mode FAKE_SLEEP=$secs PATH=$tmp/bin:$PATH "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	echo $?
}
calls() { [ -f "$tmp/calls" ] && wc -l <"$tmp/calls" | tr -d ' ' || echo 0; }
mtimes() { (cd "$pub" && find . -name "*.pdf" -exec stat -c "%n %Y.%y" {} + | sort); }

before=$(mtimes)
check "a second run makes nothing" '[ $(fake ok 0 pdf --out $pub) = 0 ] && [ $(calls) = 0 ] && grep -q "(0 made, 0 removed)" $tmp/err'
check "a second run leaves every PDF as it was" '[ "$(mtimes)" = "$before" ]'

cp -R content "$tmp/content"
printf '\nCall {{ phone.tech_help }} for help.\n' >>"$tmp/content/en/video-visits.md"
check "after one page changes, carepress pdf exits 0" '[ $(fake ok 0 pdf --source $tmp/content --out $pub) = 0 ]'
check "only that page and its brochure are remade" '[ $(calls) = 2 ] &&
	grep -q "/en/getting-started-with-video-visits/print/index.html$" $tmp/calls &&
	grep -q "/en/brochure/index.html$" $tmp/calls'
check "the build kept the other PDFs" '[ $(cd $pub && find . -name "*.pdf" | wc -l) = 16 ]'
input=$tmp/inputs/$(grep "getting-started" "$tmp/calls" | tr / _)
check "WeasyPrint reads the stylesheet from the output dir" 'grep -qF "href=\"file://$(cd $pub && pwd -P)/assets/print.css\"" $input'
check "links to other pages are absolute, under the base URL" 'grep -q "href=\"https://care.example.org/en/" $input && ! grep -q "href=\"/" $input'
check "the base URL is the page itself" 'grep -qx "file://$(cd $pub && pwd -P)/en/getting-started-with-video-visits/print/index.html" $tmp/calls'

rm "$pub/.carepress-pdf"
check "--jobs 3 runs at most 3 WeasyPrints at once" \
	'[ $(fake ok 0.3 pdf --jobs 3 --out $pub) = 0 ] && [ $(calls) = 16 ] &&
	 [ $(sort -n $tmp/concurrent | tail -1) -le 3 ] && [ $(sort -n $tmp/concurrent | tail -1) -ge 2 ]'

printf '\nSee your doctor.\n' >>"$tmp/content/en/video-visits.md"
vv=$pub/en/getting-started-with-video-visits/getting-started-with-video-visits.pdf
check "a WeasyPrint ERROR fails carepress pdf (1)" '[ $(fake error 0 pdf --source $tmp/content --out $pub) = 1 ]'
check "the ERROR is a diagnostic on the page" 'grep -Fq "$pub/en/getting-started-with-video-visits/print/index.html: error: weasyprint: Failed to load stylesheet at file:///x.css: boom [pdf]" $tmp/err'
check "the PDF/UA notice is not repeated" '! grep -q "experimental" $tmp/err'
check "the summary counts the failures" 'grep -q "^carepress: 2 errors, 0 warnings; 2 of 16 PDFs not made$" $tmp/err'
check "the outdated PDF is removed" '[ ! -e $vv ] && [ ! -e $pub/en/brochure.pdf ] && [ -e $pub/es/brochure.pdf ]'
check "the next run makes it again" '[ $(fake ok 0 pdf --source $tmp/content --out $pub) = 0 ] && [ $(calls) = 2 ] && [ -e $vv ]'
printf '\nAsk us.\n' >>"$tmp/content/en/video-visits.md"
check "WeasyPrint exiting 3 fails carepress pdf (1)" '[ $(fake crash 0 pdf --source $tmp/content --out $pub) = 1 ]'
check "the exit status is a diagnostic, with its last line" 'grep -Fq "print/index.html: error: weasyprint failed (exit status 3) [pdf]" $tmp/err && grep -q "note: ValueError: bad value" $tmp/err'
check "without WeasyPrint, carepress pdf says so (1)" '[ $(PATH=$tmp/nobin "$bin" pdf --source $tmp/content --out $pub >$tmp/out 2>$tmp/err; echo $?) = 1 ] &&
	grep -q "error: cannot run .weasyprint.: No such file or directory \[pdf\]" $tmp/err && grep -q "apt-get install weasyprint" $tmp/err'
check "a content error stops carepress pdf before WeasyPrint (1)" \
	'printf "{{ phone.nope }}\n" >>$tmp/content/en/index.md && [ $(fake ok 0 pdf --source $tmp/content --out $pub) = 1 ] && [ $(calls) = 0 ]'

# PDFs of pages that are gone are removed; files carepress did not make stay.
fix=$tmp/fix
cp -R tests/fixtures/site/content "$tmp/fewer"
rm "$tmp"/fewer/*/about.md
sed -i "s/index, about, notice/index, notice/" "$tmp/fewer/site.yaml"
sed -i "/about.md/d" "$tmp"/fewer/*/index.md
echo mine >"$fix/en/mine.pdf"
check "the fixture had the page's PDF" '[ -f $fix/en/about-this-guide/about-this-guide.pdf ]'
check "after a page is removed, carepress pdf exits 0" '[ $(fake ok 0 pdf --source $tmp/fewer --out $fix) = 0 ] && grep -q "2 removed" $tmp/err'
check "its PDFs and folders are gone" '[ ! -e $fix/en/about-this-guide ] && ! grep -q about $fix/.carepress-pdf'
check "a PDF carepress did not make stays" '[ "$(cat $fix/en/mine.pdf)" = mine ]'
check "no temporary directory is left behind" '[ -z "$(ls -A $tmp | grep carepress-pdf)" ]'
check "--help lists the pdf command" '[ $(run --help) = 0 ] && grep -q "^  pdf " $tmp/out'

echo "pdf: $((count - fails)) passed, $fails failed"
[ $fails = 0 ]
