#!/bin/sh
# run-all.sh CAREPRESS OBJDIR - every test suite against one build (normal or
# sanitized); prints a closing "N passed, N failed" line over the suites.
bin=$1 obj=$2 pass=${3:-full}
passed=0 failed=0
suite() {
	name=$1; shift
	echo "== $name"
	if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
for t in "$obj"/test_*; do
	[ -x "$t" ] && suite "unit: $(basename "$t")" "$t"
done
suite "mustache spec" "$obj/mustache_spec" tests/mustache-spec
suite "golden pages" sh tests/golden.sh "$bin"
suite "command line" sh tests/cli.sh "$bin"
suite "incremental builds" sh tests/incremental.sh "$bin"
suite "bad input catalogue" sh tests/bad-input.sh "$bin"
[ -f tests/escaping.sh ] && suite "escaping" sh tests/escaping.sh "$bin"
# Slow suites that test the site rather than the generator's memory safety
# run once, with the normal build.
if [ "$pass" = full ]; then
	suite "browser (axe-core, Nu checker)" sh -c "rm -rf tests/out/browser-site && mkdir -p tests/out && $bin build --quiet --out tests/out/browser-site && sh tests/browser/run.sh tests/out/browser-site"
fi
[ -f tests/serve.sh ] && suite "preview server" sh tests/serve.sh "$bin"
if [ "$pass" = full ]; then
	[ -f tests/pdf.sh ] && suite "PDFs" sh tests/pdf.sh "$bin"
	[ -f tests/kill-test.sh ] && suite "kill -9 during a build" sh tests/kill-test.sh "$bin"
fi
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
