#!/bin/sh
# bad-input.sh CAREPRESS [CASE_DIR...] - the bad-input catalogue (every case
# in tests/bad-input/, or only the folders named). Each case is a folder
# tests/bad-input/NAME/ with:
#   files/        laid over a copy of the fixture site (content/, templates/)
#   setup.sh      optional, run in the case's work dir after files/ (for what
#                 git cannot hold: symlinks, permissions, NUL bytes, big files)
#   expected.err  the exact diagnostic lines expected ("path:line:col: ...")
#   status        optional expected exit status (default 1)
# Every case first publishes the fixture site to public/, then builds the
# bad tree over it; public/ must be byte-for-byte as it was (unless status 0).
# Each carepress run has BAD_INPUT_TIMEOUT seconds (default 20; the slowest
# case takes about 2 s under ASan): a hang fails its case, not the suite.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
root=$(pwd)
limit=${BAD_INPUT_TIMEOUT:-20}
[ $# = 0 ] && set -- "$root"/tests/bad-input/*/
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
tree_sum() { (cd "$1" && find . -type f -exec sha256sum {} + | sort) }

# Runs carepress with the time limit; exit status 124 if it ran out.
run() { timeout -k 5 "$limit" "$bin" "$@"; }

for case in "$@"; do
	case=$(cd "$case" && pwd)
	name=$(basename "$case")
	work="$tmp/$name"
	mkdir -p "$work"
	cp -R "$root/tests/fixtures/site/content" "$work/content"
	cp -R "$root/templates" "$work/templates"
	(cd "$work" && run build --quiet --out public >/dev/null 2>&1) || {
		echo "FAIL $name: the fixture site did not build"; failed=$((failed + 1)); continue; }
	before=$(tree_sum "$work/public")
	[ -d "$case/files" ] && cp -R "$case/files/." "$work/"
	[ -f "$case/setup.sh" ] && (cd "$work" && sh "$case/setup.sh")
	want_status=1
	[ -f "$case/status" ] && want_status=$(cat "$case/status")
	args=""
	[ -f "$case/args" ] && args=$(cat "$case/args")
	# args come last: a case may name its own --out.
	(cd "$work" && run build --quiet --out public $args >"$work/.out" 2>"$work/.err")
	status=$?
	if [ "$status" = 124 ] || [ "$status" = 137 ]; then
		echo "FAIL $name: carepress did not finish within $limit s"
		failed=$((failed + 1))
		continue
	fi
	grep -E '^[^ ]+: (error|warning): ' "$work/.err" > "$work/.diag"
	ok=1
	if [ "$status" != "$want_status" ]; then
		echo "FAIL $name: exit status $status, expected $want_status"; ok=0
	fi
	if ! diff -u "$case/expected.err" "$work/.diag" >"$work/.diff"; then
		echo "FAIL $name: diagnostics differ"; cat "$work/.diff"; ok=0
	fi
	if [ "$want_status" != 0 ] && [ "$(tree_sum "$work/public")" != "$before" ]; then
		echo "FAIL $name: public/ changed"; ok=0
	fi
	if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$work/.err"; fi
done
echo "bad input: $passed passed, $failed failed"
[ $failed = 0 ]
