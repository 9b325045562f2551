#!/bin/sh
# serve.sh CAREPRESS - `carepress serve`, the preview server, end to end, on
# a copy of content/ and templates/ (the repository is never touched):
#
#  1. start on a free port (--port 0) with a private TMPDIR; it listens on
#     127.0.0.1 only
#  2. HTTP (curl): `/` by Accept-Language, Content-Type of html, css, svg,
#     xml, pdf, json; ETag and 304; HEAD; 405; 404 with the site's 404 page;
#     path traversal (.., %2e%2e, %2f, backslash, %00, hidden files) refused
#     with 400/404 and never outside the output; a served page differs from
#     the file on disk only by the reload script and the CSP's script-src,
#     and no file on disk has the script
#  3. live reload: a content edit is announced on the event stream and the
#     page has changed within 1 s; a content error is announced with its
#     diagnostics (the same file:line:col as the terminal prints), a file
#     name with '<' stays text; the fix reloads; a new directory is watched
#  4. the browser (headless Chromium, no DevTools protocol): a harness page
#     frames the page and logs what it shows; the edit appears without a
#     reload, the error overlay (role="alert") appears, lists the location,
#     shows '<' as text, and goes when the error is fixed
#  5. load: 2,000 requests from 20 concurrent clients, all answered right;
#     prints the time (a benchmark line, not an assertion)
#  6. Ctrl-C: exit 0 with an event stream open, the temporary dir removed
#  7. a second server on a site under base_url /guide/ whose first build
#     fails: a fallback page (503) lists the errors, escaped; the fix brings
#     the site; `/` goes to /guide/en/; a busy --port is an error
#
# Prints "serve: N passed, N failed". Needs curl; the browser part is skipped
# without chromium. SERVE_KEEP=1 keeps the work directory.
set -u
LC_ALL=C
export LC_ALL

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v curl >/dev/null 2>&1; then
	echo "serve: skipped: no curl"
	exit 0
fi
tmp=$(mktemp -d)
server_pid="" sse_pid="" chrome_pid=""
cleanup() {
	for p in $chrome_pid $sse_pid $server_pid; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	if [ -n "${SERVE_KEEP:-}" ]; then echo "serve: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fails=0 count=0
# The bound on save-to-reload; a sanitized build renders several times
# slower, so it gets more.
limit=1000
[ -n "${ASAN_OPTIONS:-}" ] && limit=3000

check() { # description, then a shell condition
	count=$((count + 1))
	desc=$1
	shift
	if eval "$@"; then :; else
		echo "FAIL: $desc"
		fails=$((fails + 1))
	fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for FILE ERE MS: whether FILE has a line matching ERE within MS ms.
wait_for() {
	end=$(($(now_ms) + $3))
	while :; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.01
	done
}
# count_in FILE ERE: lines of FILE matching ERE.
count_in() { grep -Ec -- "$2" "$1" 2>/dev/null || true; }
# wait_count FILE ERE N MS: until FILE has at least N such lines.
wait_count() {
	end=$(($(now_ms) + $4))
	while :; do
		[ "$(count_in "$1" "$2")" -ge "$3" ] && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.01
	done
}
# wait_page URL ERE MS: until the page at URL is 200 and has a line matching ERE.
wait_page() {
	end=$(($(now_ms) + $3))
	while :; do
		curl -sf -m 2 "$1" >"$tmp/poll" 2>/dev/null && grep -Eq -- "$2" "$tmp/poll" && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.01
	done
}
# get URL [curl args]: "status content-type" of a GET; the body in $tmp/body,
# the headers in $tmp/head.
get() {
	u=$1
	shift
	rm -f "$tmp/body" "$tmp/head"
	curl -s -m 10 -D "$tmp/head" -o "$tmp/body" -w '%{http_code} %{content_type}' "$@" "$u"
}
status() { curl -s -m 10 -o /dev/null -w '%{http_code}' "$@"; }
header() { grep -i "^$1:" "$tmp/head" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
elapsed() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }

# start_server NAME DIR [args]: runs `carepress serve` in DIR; sets
# server_pid and url, or returns 1.
start_server() {
	name=$1 dir=$2
	shift 2
	mkdir -p "$tmp/tmpdir-$name"
	(cd "$dir" && TMPDIR="$tmp/tmpdir-$name" exec "$bin" serve --port 0 --jobs 2 "$@" \
		</dev/null >"$tmp/$name.out" 2>"$tmp/$name.log") &
	server_pid=$!
	if ! wait_for "$tmp/$name.out" '^carepress: serving http://' 30000; then
		echo "serve: the server did not start:"
		cat "$tmp/$name.log"
		return 1
	fi
	url=$(sed -n 's|^carepress: serving \(http://[^ ]*\)/ .*|\1|p' "$tmp/$name.out")
}
# stop_server: Ctrl-C; sets stop_status (or "hung").
stop_server() {
	hung=""
	kill -INT "$server_pid"
	end=$(($(now_ms) + 10000))
	while kill -0 "$server_pid" 2>/dev/null && [ "$(now_ms)" -lt "$end" ]; do sleep 0.05; done
	if kill -0 "$server_pid" 2>/dev/null; then
		hung=1
		kill -KILL "$server_pid"
	fi
	wait "$server_pid"
	stop_status=$?
	[ -z "$hung" ] || stop_status=hung
	server_pid=""
}

# --- the site -------------------------------------------------------------
site=$tmp/site
mkdir -p "$site"
cp -R "$repo/content" "$repo/templates" "$site/"
cp "$repo/tests/serve/harness.html" "$site/templates/assets/harness.html"
printf '%%PDF-1.4\n%%%%EOF\n' >"$site/templates/assets/test.pdf"
printf '{"test": true}\n' >"$site/templates/assets/test.json"
page_src=$site/content/es/urgent-care.md
cp "$page_src" "$tmp/urgent-care.orig"
# The same site built by `carepress build`, to compare with what is served.
(cd "$site" && "$bin" build --quiet --out "$tmp/disk" >/dev/null 2>"$tmp/disk.log") ||
	{ echo "serve: the test site does not build:"; cat "$tmp/disk.log"; exit 1; }
title=$(sed -n 's/^title: //p' "$page_src" | head -1)
page_file=$(grep -l "<title>$title" "$tmp"/disk/es/*/index.html | head -1)
[ -n "$page_file" ] || { echo "serve: cannot find the page of $page_src in the build"; exit 1; }
page=${page_file#"$tmp/disk"}
page=${page%index.html}
first_lang=$(sed -n 's/^ *- *{\{0,1\} *tag: *\([A-Za-z-]*\).*/\1/p' "$site/content/site.yaml" | head -1)
echo "serve: the page under test is $page (first language: $first_lang)"

# --- 1. start ---------------------------------------------------------------
start_server main "$site" || exit 1
port=${url##*:}
echo "serve: serving at $url"
check "the URL is on 127.0.0.1" 'case $url in http://127.0.0.1:[0-9]*) true ;; *) false ;; esac'
if command -v ss >/dev/null 2>&1; then
	ss -ltnH "( sport = :$port )" >"$tmp/ss" 2>/dev/null
	check "it listens on 127.0.0.1 only, not on every interface" \
		'grep -q "127.0.0.1:$port" $tmp/ss && ! grep -Eq "(\*|0\.0\.0\.0|\[::\]):$port" $tmp/ss'
fi
check "the first build is reported" 'grep -q "^carepress: built [0-9]* pages" $tmp/main.log'

# --- 2. HTTP -----------------------------------------------------------------
check "/ without Accept-Language goes to the first language" \
	'[ "$(get $url/)" = "302 " ] && [ "$(header location)" = "/$first_lang/" ]'
check "/ with es-MX,es;q=0.9 goes to /es/" \
	'[ "$(get $url/ -H "Accept-Language: es-MX,es;q=0.9")" = "302 " ] && [ "$(header location)" = /es/ ]'
check "/ with a language the site lacks goes to the first language" \
	'get $url/ -H "Accept-Language: fr-CA, fr;q=0.9" >/dev/null && [ "$(header location)" = "/$first_lang/" ]'
check "/ follows q-values (en;q=0.3, es;q=0.7)" \
	'get $url/ -H "Accept-Language: en;q=0.3, es;q=0.7" >/dev/null && [ "$(header location)" = /es/ ]'
check "/ with ES (case) goes to /es/, with es;q=0 not" \
	'get $url/ -H "Accept-Language: ES" >/dev/null && [ "$(header location)" = /es/ ] &&
	 get $url/ -H "Accept-Language: es;q=0" >/dev/null && [ "$(header location)" = "/$first_lang/" ]'
check "the redirect varies by Accept-Language" 'get $url/ >/dev/null && header vary | grep -q Accept-Language'

check "a page is text/html; charset=utf-8" '[ "$(get $url$page)" = "200 text/html; charset=utf-8" ]'
cp "$tmp/body" "$tmp/served.html"
check "the served page has the reload script before </body>" \
	'grep -B0 -A1 "<script src=\"/__carepress/reload.js\"" $tmp/served.html | tail -1 | grep -q "^</body>"'
check "the served page's CSP allows script-src 'self'" \
	'grep "Content-Security-Policy" $tmp/served.html | grep -q "script-src &#39;self&#39;"'
check "the file on disk keeps script-src 'none'" 'grep -q "script-src '"'none'"'" $tmp/disk${page}index.html'
sed -e '/Content-Security-Policy/d' -e '/<script src="\/__carepress\/reload.js"/d' "$tmp/served.html" >"$tmp/served.cut"
sed -e '/Content-Security-Policy/d' "$tmp/disk${page}index.html" >"$tmp/disk.cut"
check "served and built page differ only by the script and the CSP" 'cmp -s $tmp/served.cut $tmp/disk.cut'
private=$(ls -d "$tmp"/tmpdir-main/carepress-serve-* 2>/dev/null | head -1)
check "the private output is in TMPDIR" '[ -d "$private/site" ]'
check "no file on disk has the reload script" '! grep -rq __carepress "$private" "$tmp/disk"'
check "no public/ is written" '[ ! -e $site/public ]'

check "css is text/css" '[ "$(get $url/assets/site.css)" = "200 text/css; charset=utf-8" ]'
check "svg is image/svg+xml" '[ "$(get $url/assets/icon.svg)" = "200 image/svg+xml" ]'
check "the sitemap is application/xml" '[ "$(get $url/sitemap.xml)" = "200 application/xml" ] && grep -q "<urlset" $tmp/body'
check "pdf is application/pdf" '[ "$(get $url/assets/test.pdf)" = "200 application/pdf" ] && cmp -s $tmp/body $site/templates/assets/test.pdf'
check "json is application/json" '[ "$(get $url/assets/test.json)" = "200 application/json" ]'
check "the reload script is text/javascript" '[ "$(get $url/__carepress/reload.js)" = "200 text/javascript; charset=utf-8" ] && grep -q EventSource $tmp/body'
check "a directory without its final / is redirected" \
	'[ "$(get $url${page%/})" = "302 " ] && [ "$(header location)" = "$page" ]'

get "$url/assets/site.css" >/dev/null
etag=$(header etag)
check "a file has a strong ETag" 'case $etag in \"*\") true ;; *) false ;; esac'
check "If-None-Match with it is 304 without a body" \
	'[ "$(get $url/assets/site.css -H "If-None-Match: $etag")" = "304 " ] && [ ! -s $tmp/body ]'
check "a weak or listed match is 304 too" \
	'[ "$(status $url/assets/site.css -H "If-None-Match: \"x\", W/$etag")" = 304 ]'
check "another ETag is 200" '[ "$(status $url/assets/site.css -H "If-None-Match: \"nope\"")" = 200 ]'
get "$url$page" >/dev/null
etag=$(header etag)
check "a page is 304 while its build is current" '[ "$(status $url$page -H "If-None-Match: $etag")" = 304 ]'
size=$(wc -c <"$tmp/served.html")
check "HEAD answers like GET, without the body" \
	'curl -s -m 10 -I -o $tmp/headonly $url$page && head -1 $tmp/headonly | grep -q " 200" &&
	 grep -qi "^content-length: $size" $tmp/headonly && grep -qi "^content-type: text/html" $tmp/headonly &&
	 [ "$(curl -s -m 10 --head $url$page | grep -c "<html")" = 0 ]'
check "POST is 405 with Allow: GET, HEAD" \
	'[ "$(get $url$page -X POST -d x=1)" = "405 text/plain; charset=utf-8" ] && [ "$(header allow)" = "GET, HEAD" ]'
check "an unknown path is 404 with the site's 404 page" \
	'[ "$(get $url/no/such/page/)" = "404 text/html; charset=utf-8" ] && grep -q "not-found-page" $tmp/body && grep -q "__carepress/reload.js" $tmp/body'
check "HEAD of a missing page is 404" '[ "$(curl -s -m 10 -I -o /dev/null -w "%{http_code}" $url/nope)" = 404 ]'

# Traversal: a canary beside the output dir and /etc/passwd must stay out.
echo "CANARY-$$" >"$tmp/tmpdir-main/canary.txt"
cp "$tmp/tmpdir-main/canary.txt" "$private/canary.txt"
for path in '/../canary.txt' '/../../canary.txt' '/../../../../../../../etc/passwd' \
	'/%2e%2e/canary.txt' '/%2E%2E/%2e%2E/canary.txt' '/en/%2e%2e/%2e%2e/canary.txt' \
	'/..%2fcanary.txt' '/en/..%2F..%2F..%2Fcanary.txt' '/%2e%2e%2f%2e%2e%2fetc%2fpasswd' \
	'/..%5c..%5ccanary.txt' '/en\..\..\canary.txt' '/en/index.html%00' '/%00/../canary.txt' \
	'/en/%00' '/.%2e/canary.txt' '/%2e/en/' '/./en/' '//etc/passwd' '/.carepress-manifest' \
	'/.carepress-cache' '/%2ecarepress-manifest' '/en/%zz' '/en/%2' '/%c0%ae%c0%ae/canary.txt'; do
	code=$(curl -s -m 10 --path-as-is -o "$tmp/trav" -w '%{http_code}' "$url$path")
	check "traversal $path is refused ($code)" \
		'case $code in 400 | 404) true ;; *) false ;; esac && ! grep -q -e CANARY -e "root:" $tmp/trav'
done
check "the server survived the traversal attempts" '[ "$(status $url$page)" = 200 ]'

# --- 3 and 4. live reload, with curl and in the browser -------------------------
curl -s -N -m 600 "$url/__carepress/events" >"$tmp/sse" 2>/dev/null &
sse_pid=$!
check "the event stream opens" 'wait_for $tmp/sse "^: carepress live reload" 5000'

browser=""
if command -v chromium >/dev/null 2>&1; then
	browser=chromium
	chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
		--disable-background-networking --disable-component-update --mute-audio \
		--user-data-dir="$tmp/chrome" --enable-logging=stderr --v=0 \
		"$url/assets/harness.html?page=$page" >/dev/null 2>"$tmp/chrome.log" &
	chrome_pid=$!
	if ! wait_for "$tmp/chrome.log" '"harness: marks= overlay=none"' 60000; then
		check "the browser loads the page in the harness" false
		grep -E 'harness|CONSOLE|ERROR' "$tmp/chrome.log" | tail -5
		browser=""
	fi
else
	echo "serve: browser part skipped: no chromium"
fi

# An edit: the stream announces it and the page changes within the limit.
t0=$(now_ms)
printf '\n\nTexto nuevo MARCA-UNO para la prueba.\n' >>"$page_src"
wait_count "$tmp/sse" '^event: reload' 1 $limit
t_event=$(($(now_ms) - t0))
wait_page "$url$page" 'MARCA-UNO' $limit
t_page=$(($(now_ms) - t0))
check "an edit is announced on the event stream within $limit ms ($t_event ms)" '[ $t_event -le $limit ]'
check "the page has changed within $limit ms ($t_page ms)" '[ $t_page -le $limit ]'
check "the terminal reports the rebuild and the file" 'wait_for $tmp/main.log "^carepress: rebuilt .* after a change to content/es/urgent-care.md$" 2000'
if [ -n "$browser" ]; then
	wait_for "$tmp/chrome.log" '"harness: marks=MARCA-UNO overlay=none"' 10000
	t_browser=$(($(now_ms) - t0))
	check "the browser shows the edit without a manual reload ($t_browser ms)" '[ $t_browser -lt 10000 ]'
fi
echo "serve: from the save: reload event $t_event ms, page changed $t_page ms${browser:+, in the browser $t_browser ms}"

# A content error: the diagnostics reach the stream, the terminal and the
# overlay, with the same location.
printf '\n\nLlame al {{ phone.urgnet }} hoy.\n' >>"$page_src"
check "an error is announced as an errors event" 'wait_count $tmp/sse "^event: errors" 1 3000'
loc=$(sed -n "s|^\(content/es/urgent-care.md:[0-9]*:[0-9]*\): error: unknown fact 'phone.urgnet' \[fact-unknown\]\$|\1|p" "$tmp/main.log" | head -1)
check "the terminal prints it as file:line:col: error: message [rule]" '[ -n "$loc" ]'
grep '^data: {' "$tmp/sse" | tail -1 >"$tmp/errors.json"
check "the event lists it with the same location and message" \
	'grep -q "\"location\":\"$loc\"" $tmp/errors.json && grep -q "\"message\":\"unknown fact .phone.urgnet.\"" $tmp/errors.json && grep -q "\"rule\":\"fact-unknown\"" $tmp/errors.json'
check "the event is valid JSON" 'sed "s/^data: //" $tmp/errors.json | python3 -c "import json,sys; json.load(sys.stdin)" 2>/dev/null || ! command -v python3 >/dev/null'
check "the last good page is still served" '[ "$(get $url$page)" = "200 text/html; charset=utf-8" ] && grep -q MARCA-UNO $tmp/body'
check "a page opened now gets the errors at once" \
	'curl -s -N -m 2 "$url/__carepress/events" >$tmp/sse2; grep -q "^event: errors" $tmp/sse2'
if [ -n "$browser" ]; then
	check "the browser shows the overlay with the location" \
		'wait_for $tmp/chrome.log "harness: marks=MARCA-UNO overlay=[0-9]+ imgs=0 text=.*$loc" 10000'
fi

# A file name that is HTML: text everywhere, never markup.
bad_name='<img src=x onerror=alert(1)>.md'
printf 'no front matter\n' >"$site/content/es/$bad_name"
check "an error in a file named like a tag is announced" \
	'wait_for $tmp/sse "^data: .*onerror" 3000'
grep '^data: .*onerror' "$tmp/sse" | tail -1 >"$tmp/errors2.json"
check "the event has no raw '<' (escaped as \\u003c)" '! grep -q "<" $tmp/errors2.json && grep -q "u003cimg src=x onerror" $tmp/errors2.json'
if [ -n "$browser" ]; then
	check "the overlay shows the name as text, no element" \
		'wait_for $tmp/chrome.log "harness: marks=MARCA-UNO overlay=[0-9]+ imgs=0 text=.*<img src=x onerror=alert\(1\)>" 10000'
fi

# The fix: a reload, the overlay gone, the new text in.
n_reload=$(count_in "$tmp/sse" '^event: reload')
rm "$site/content/es/$bad_name"
{ cat "$tmp/urgent-care.orig"; printf '\n\nTexto nuevo MARCA-UNO para la prueba.\n\nY MARCA-DOS.\n'; } >"$page_src"
t0=$(now_ms)
check "the fix is announced as a reload" 'wait_count $tmp/sse "^event: reload" $((n_reload + 1)) 3000'
check "the fixed page is served" 'wait_page $url$page MARCA-DOS 2000'
if [ -n "$browser" ]; then
	check "the browser drops the overlay and shows the fix" \
		'wait_for $tmp/chrome.log "\"harness: marks=MARCA-UNO,MARCA-DOS overlay=none\"" 10000'
	check "the harness never reloaded (only the framed page did)" \
		'[ "$(count_in $tmp/chrome.log "\"harness: start\"")" = 1 ]'
fi

# A directory made while serving is watched.
mkdir "$site/templates/assets/nuevo"
sleep 0.3
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$site/templates/assets/nuevo/punto.svg"
check "a file in a new directory is served after a rebuild" \
	'end=$(($(now_ms) + 3000)); until [ "$(status $url/assets/nuevo/punto.svg)" = 200 ] || [ $(now_ms) -ge $end ]; do sleep 0.02; done; [ "$(status $url/assets/nuevo/punto.svg)" = 200 ]'

if [ -n "$chrome_pid" ]; then
	kill "$chrome_pid" 2>/dev/null
	wait "$chrome_pid" 2>/dev/null
	chrome_pid=""
fi

# --- 5. load ------------------------------------------------------------------
mkdir "$tmp/load"
for path in /en/ /es/ "$page" "${page}print/" /assets/site.css /assets/icon.svg /sitemap.xml \
	/no/such/page /assets/test.json /index.html; do
	echo "$url$path"
done >"$tmp/load/urls"
while read -r u; do
	echo "$u $(curl -s -m 10 -o /dev/null -w '%{http_code} %{size_download}' "$u")"
done <"$tmp/load/urls" >"$tmp/load/expected"
clients=20 per_client=100
c=0
while [ $c -lt $clients ]; do
	awk -v c=$c -v n=$per_client '{ u[NR - 1] = $0 } END {
		for (i = 0; i < n; i++)
			printf "url = \"%s\"\noutput = \"/dev/null\"\n", u[(i + c) % NR] }' \
		"$tmp/load/urls" >"$tmp/load/$c.cfg"
	c=$((c + 1))
done
t0=$(now_ms)
c=0 load_pids=""
while [ $c -lt $clients ]; do
	curl -s -m 30 -K "$tmp/load/$c.cfg" -w '%{url_effective} %{http_code} %{size_download}\n' \
		>"$tmp/load/$c.out" 2>/dev/null &
	load_pids="$load_pids $!"
	c=$((c + 1))
done
for p in $load_pids; do wait "$p"; done
t_load=$(($(now_ms) - t0))
total=$((clients * per_client))
right=$(cat "$tmp"/load/*.out | awk 'NR == FNR { want[$1] = $2 " " $3; next }
	want[$1] == $2 " " $3 { n++ } END { print n + 0 }' "$tmp/load/expected" -)
check "load: all $total requests answered right ($right)" '[ "$right" = $total ]'
echo "serve: load: $total requests from $clients concurrent clients in $(elapsed $t_load) s" \
	"($(awk -v n=$total -v ms=$t_load 'BEGIN { printf "%d", n * 1000 / (ms ? ms : 1) }') requests/s)"

# --- 6. Ctrl-C ------------------------------------------------------------------
stop_server
check "Ctrl-C stops the server with status 0 ($stop_status)" '[ "$stop_status" = 0 ]'
check "the temporary directory is removed" '[ -z "$(ls "$tmp/tmpdir-main" | grep -v "^canary.txt$")" ]'
check "the open event stream was ended" \
	'end=$(($(now_ms) + 3000)); while kill -0 $sse_pid 2>/dev/null && [ $(now_ms) -lt $end ]; do sleep 0.05; done; ! kill -0 $sse_pid 2>/dev/null'
sse_pid=""
check "stopping is reported" 'grep -q "^carepress: stopping" $tmp/main.log'
check "no sanitizer or libmicrohttpd complaint" '! grep -Eq "Sanitizer|runtime error|carepress: http:" $tmp/main.log'

# --- 7. a site under /guide/ whose first build fails ----------------------------
fx=$tmp/fx
mkdir -p "$fx"
cp -R "$repo/tests/fixtures/site/content" "$repo/templates" "$fx/"
printf 'no front matter\n' >"$fx/content/en/<b>bold<i>.md"
start_server fx "$fx" || exit 1
check "a site that never built answers 503 with a page listing the errors" \
	'[ "$(get $url/guide/en/)" = "503 text/html; charset=utf-8" ] && grep -q "Nothing to preview yet" $tmp/body'
check "the error list escapes the file name" \
	'grep -q "content/en/&lt;b&gt;bold&lt;i&gt;.md" $tmp/body && ! grep -q "<b>bold" $tmp/body'
check "the fallback page reloads too" 'grep -q "__carepress/reload.js" $tmp/body'
check "the terminal shows the error" 'grep -q "^content/en/<b>bold<i>.md" $tmp/fx.log'
rm "$fx/content/en/<b>bold<i>.md"
check "once fixed, the site is served under /guide/" 'wait_page $url/guide/en/ "<html" 3000'
check "/ goes to /guide/en/ under a base_url with a path" \
	'[ "$(get $url/)" = "302 " ] && [ "$(header location)" = /guide/en/ ]'
check "/guide/ goes to the language too" \
	'get $url/guide/ -H "Accept-Language: fr" >/dev/null && [ "$(header location)" = /guide/fr/ ]'
check "a path outside /guide/ is 404" '[ "$(status $url/en/)" = 404 ]'
busy=${url##*:}
check "a busy --port is an error (1)" \
	'(cd $fx && TMPDIR=$tmp/tmpdir-fx "$bin" serve --port $busy </dev/null >$tmp/busy.out 2>$tmp/busy.log); [ $? = 1 ] && grep -q "cannot listen on 127.0.0.1 port $busy" $tmp/busy.log'
stop_server
check "the second server stops with status 0 too" '[ "$stop_status" = 0 ] && [ -z "$(ls $tmp/tmpdir-fx)" ]'
check "--port 70000 is a usage error (2)" '"$bin" serve --port 70000 >/dev/null 2>&1; [ $? = 2 ]'
check "--open outside serve is a usage error (2)" '"$bin" build --open >/dev/null 2>&1; [ $? = 2 ]'

echo "serve: $((count - fails)) passed, $fails failed"
[ $fails = 0 ]
