#!/bin/sh
# golden.sh CAREPRESS [--update] - builds each golden case and compares the
# output byte for byte with the committed expected files (diff -u).
#   tests/fixtures/site: a small two-language site, whole output tree
#   the seed site (content/): the video-visit page in every language, web
#   and large print
# --update rewrites the expected files: review the diff before committing.
set -u
bin=$1 update=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

compare() { # expected-dir actual-dir
	if [ "$update" = --update ]; then
		rm -rf "$1" && mkdir -p "$1" && cp -R "$2"/. "$1"/
		echo "updated $1"
	elif ! diff -ru "$1" "$2"; then
		status=1
	fi
}

if ! "$bin" build --quiet --source tests/fixtures/site/content --templates templates \
	--out "$tmp/fixture" 2>"$tmp/fixture.err"; then
	cat "$tmp/fixture.err"; exit 1
fi
rm -f "$tmp/fixture/.carepress-manifest" "$tmp/fixture/.carepress-cache" \
	"$tmp/fixture/.carepress-pages" "$tmp/fixture/.carepress-sources"
compare tests/fixtures/site/expected "$tmp/fixture"

if ! "$bin" build --quiet --out "$tmp/seed" 2>"$tmp/seed.err"; then
	cat "$tmp/seed.err"; exit 1
fi
for page in en/getting-started-with-video-visits es/como-empezar-con-las-consultas-por-video; do
	mkdir -p "$tmp/seed-video/$page/print"
	cp "$tmp/seed/$page/index.html" "$tmp/seed-video/$page/" || status=1
	cp "$tmp/seed/$page/print/index.html" "$tmp/seed-video/$page/print/" || status=1
done
compare tests/golden/seed-video "$tmp/seed-video"
[ $status = 0 ] && echo "golden: all outputs match"
exit $status
