#!/bin/sh
# run.sh OUTDIR - the browser checks over a built site:
#   - axe-core (WCAG 2.0/2.1/2.2 A and AA) in headless Chromium over every
#     *.html in OUTDIR at 1280x800 and 320x640, and no sideways scrolling at
#     320 px (tests/browser/axe.mjs, pages served by tests/browser/serve.mjs);
#   - the Nu HTML Checker (vnu.jar) over every *.html: no errors.
# Installs the npm dev dependencies (package-lock.json) when node_modules is
# missing or stale. Needs Debian's chromium and a Java 17+ (default-jre-headless);
# nothing downloads a browser or a Java. Closes with
# "browser: N passed, N failed" (pages x viewports + files checked by vnu);
# exit 0 when all passed.
set -u

die() {
	echo "browser: $*" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
}

[ $# -eq 1 ] || { echo "usage: sh tests/browser/run.sh OUTDIR" >&2; exit 2; }
[ -d "$1" ] || die "no such directory: $1 (build the site first: ./carepress build --out $1)"
outdir=$(cd "$1" && pwd -P) || die "cannot enter $1"
root=$(cd "$(dirname "$0")/../.." && pwd -P) || die "cannot find the repository root"
cd "$root" || die "cannot enter $root"

# --- the tools, with the Debian package that brings each ---
chromium=${CAREPRESS_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || die "no Chromium at $chromium: install the Debian package: apt-get install chromium"
command -v java >/dev/null 2>&1 ||
	die "no java on PATH: install the Debian package: apt-get install default-jre-headless"
java_major=$(java -XshowSettings:properties -version 2>&1 |
	sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
case $java_major in
'' | *[!0-9]*) die "cannot tell the version of $(command -v java); the Nu checker needs Java 17 or later (apt-get install default-jre-headless)" ;;
esac
[ "$java_major" -ge 17 ] ||
	die "java is version $java_major; the Nu checker needs 17 or later: apt-get install default-jre-headless"
command -v node >/dev/null 2>&1 || die "no node on PATH: install Node.js 20 or later with npm"
command -v npm >/dev/null 2>&1 || die "no npm on PATH: install npm"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
[ "${node_major:-0}" -ge 20 ] 2>/dev/null ||
	die "node is version $(node --version 2>/dev/null); playwright-core needs 20 or later"

# --- npm dev dependencies, exactly as locked ---
# The stamp records the manifests node_modules was installed from; a change
# to either, or a missing package, reinstalls. --ignore-scripts: none of
# these packages needs an install script, and vnu-jar's would try to
# download a Java when none is found.
[ -f package-lock.json ] || die "package-lock.json is missing in $root"
want=$(cat package.json package-lock.json | cksum)
have=$(cat node_modules/.carepress-stamp 2>/dev/null)
if [ "$want" != "$have" ] || [ ! -f node_modules/axe-core/axe.min.js ] ||
	[ ! -f node_modules/playwright-core/package.json ] ||
	[ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
	echo "browser: installing npm dev dependencies (npm ci)"
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error ||
		die "npm ci failed (the npm registry must be reachable)"
	printf '%s\n' "$want" >node_modules/.carepress-stamp
fi

# --- the pages ---
work=$(mktemp -d "${TMPDIR:-/tmp}/carepress-browser-XXXXXX") || die "mktemp failed"
server_pid=""
# shellcheck disable=SC2317,SC2329
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

find "$outdir" -type f -name '*.html' | LC_ALL=C sort >"$work/files"
npages=$(wc -l <"$work/files")
[ "$npages" -gt 0 ] || die "no *.html files in $outdir"
# /tmp/site/en/x/index.html -> /en/x/ ; /tmp/site/404.html -> /404.html
sed -e "s|^$outdir||" -e 's|/index\.html$|/|' "$work/files" >"$work/urls"
echo "browser: $npages pages in $outdir"

# --- the server ---
node tests/browser/serve.mjs "$outdir" "$work/base" &
server_pid=$!
i=0
while [ ! -s "$work/base" ]; do
	kill -0 "$server_pid" 2>/dev/null || die "the static server (tests/browser/serve.mjs) did not start"
	i=$((i + 1))
	[ "$i" -le 100 ] || die "the static server did not start within 10 s"
	sleep 0.1
done
base=$(cat "$work/base")

passed=0 failed=0

# --- axe-core in Chromium ---
echo "== axe-core $(node -p 'require("axe-core/package.json").version') in $("$chromium" --version 2>/dev/null | head -n 1) at $base"
node tests/browser/axe.mjs "$base" "$work/urls" "$work/axe-counts"
axe_rc=$?
if [ -s "$work/axe-counts" ]; then
	read -r p f <"$work/axe-counts"
	passed=$((passed + p)) failed=$((failed + f))
	[ "$axe_rc" = 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
else
	echo "browser: the axe run did not finish (exit $axe_rc)"
	failed=$((failed + npages * 2))
fi

# --- the Nu HTML Checker ---
# HTML files only (no CSS or SVG checks); errors only, one line each:
# "file:/path":L.C-L.C: error: message
echo "== Nu HTML Checker $(java -jar node_modules/vnu-jar/build/dist/vnu.jar --version 2>/dev/null)"
# shellcheck disable=SC2046
(
	IFS='
'
	set -f
	java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --format gnu \
		--skip-non-html --stdout $(cat "$work/files")
) >"$work/vnu.out" 2>&1
vnu_rc=$?
sed "s|$outdir/||" "$work/vnu.out"
# The files named in error lines failed; the others passed.
sed -n 's|^"file:\([^"]*\)":.*|\1|p' "$work/vnu.out" | LC_ALL=C sort -u >"$work/vnu-failed"
vf=$(wc -l <"$work/vnu-failed")
if [ "$vnu_rc" != 0 ] && [ "$vf" = 0 ]; then
	echo "browser: the Nu checker failed (exit $vnu_rc) without naming a file"
	vf=$npages
fi
nerr=$(grep -c ': error' "$work/vnu.out")
echo "vnu: $npages files: $((npages - vf)) without errors, $vf with errors ($nerr errors)"
passed=$((passed + npages - vf)) failed=$((failed + vf))

echo "browser: $passed passed, $failed failed"
[ "$failed" = 0 ]
