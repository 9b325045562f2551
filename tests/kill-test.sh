#!/bin/sh
# kill-test.sh CAREPRESS - "never half-written, never lost": kill -9 carepress
# at random points of a 2000-page-per-language build, KILL_RUNS times (50),
# and check after each kill that the output directory is exactly the old
# complete site or exactly the new one (every file, directory and symlink,
# by sha256; the build cache by the source tree it describes), that files the
# user put there survive, and at the end that a build succeeds, gives the new
# site and leaves no staging directory behind. Each run builds towards the
# state the output is not in (old -> new, new -> old), so every kill
# interrupts a change of every page. Once a build has finished, the output
# before it is kept as the spare (.public.carepress-spare) and the next
# build is made over it: kills then also fall while the spare is claimed,
# written over and pruned, and after the swap while the old output becomes
# the spare.
#
#   KILL_RUNS=N    kills (default 50)
#   KILL_SPARE_RUNS=N  kills more, each of a build begun over the spare
#                  (default 10)
#   KILL_PAGES=N   pages per language (default 2000)
#   KILL_SEED=N    seed of the random delays (default: random; printed)
#
# The corpus comes from ../shared/bench/gen-corpus (beside the repository);
# without it the test is skipped (exit 0). Works in /dev/shm when it can.
set -u
LC_ALL=C
export LC_ALL

bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
gen_corpus=$(dirname "$repo")/shared/bench/gen-corpus
runs=${KILL_RUNS:-50}
spare_runs=${KILL_SPARE_RUNS:-10}
pages=${KILL_PAGES:-2000}
seed=${KILL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

if [ ! -f "$gen_corpus" ]; then
	echo "kill test: skipped: no corpus generator at $gen_corpus (../shared is absent)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "kill test: skipped: gen-corpus needs python3"
	exit 0
fi

if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	tmp=$(mktemp -d /dev/shm/carepress-kill-XXXXXX)
else
	tmp=$(mktemp -d)
fi
pid=""
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() {
	echo "kill test: $*" >&2
	echo "kill test: 0 passed, 1 failed"
	exit 1
}

# Everything under dir, sorted: a sha256 per file, the target of every
# symlink, every directory. Nothing is ignored; the one file whose bytes
# differ from build to build of the same site, the build cache (it records
# when the inputs were read), is listed by the source tree it describes,
# which must be the site's own: an old site with a new cache, or the other
# way round, would make the next build skip work it has to do.
listing() {
	(
		cd "$1" || exit 1
		find . -type f ! -path ./.carepress-cache ! -path ./.carepress-manifest -print0 |
			xargs -0 -r -P 2 -n 2000 sha256sum
		# The manifest names the cache's hash: listed without that line, whose
		# size must be the cache's, and without each file's mtime and inode
		# (columns 3 and 4), which differ from build to build; those must be
		# the inodes of the files here: a manifest of another tree would not.
		if [ -f .carepress-manifest ]; then
			echo "manifest $(awk 'NR > 1 { $3 = "-"; $4 = "-" } $5 != ".carepress-cache"' \
				.carepress-manifest | sha256sum | cut -c1-64)"
			size=$(awk '$5 == ".carepress-cache" { print $2 }' .carepress-manifest)
			if [ -n "$size" ] && [ "$size" != "$(wc -c <.carepress-cache 2>/dev/null)" ]; then
				echo "manifest and cache from different builds"
			fi
			find . -type f -printf '%i %P\n' | awk '
				NR == FNR { ino[$2] = $1; next }
				FNR > 1 && $5 in ino && ino[$5] != $4 { bad++ }
				END { if (bad) print "manifest names other files than these (" bad ")" }' \
				- .carepress-manifest
		fi
		if [ -f .carepress-cache ]; then
			echo "cache of the $(awk -v t="$tmp/" 'NR > 1 && index($5, t) == 1 {
				p = substr($5, length(t) + 1); sub(/\/.*/, "", p); seen[p] = 1 }
				END { n = 0; for (k in seen) { s = s k " "; n++ } print (n ? s : "unknown ") "tree" }' \
				.carepress-cache)"
		fi
		find . -type l | while IFS= read -r l; do echo "link $l -> $(readlink "$l")"; done
		find . -type d | sed 's/^/dir /'
	) | sort
}

# build SRC OUT: one quiet build; exit status as carepress's.
build() {
	"$bin" build --quiet --source "$1" --templates "$tmp/templates" --out "$2" \
		>/dev/null 2>"$tmp/build.err"
}

now() { date +%s.%N; }

echo "kill test: $runs kills during a build of $pages pages per language (seed $seed)"
python3 "$gen_corpus" "$tmp/corpus" "$pages" >"$tmp/gen.log" 2>&1 ||
	{ cat "$tmp/gen.log" >&2; die "gen-corpus failed"; }

# Two source trees: old (the corpus) and new (every page changed), and a
# copy of the templates (the repository's may change while the test runs).
cp -R "$repo/templates" "$tmp/templates"
for v in old new; do
	mkdir -p "$tmp/$v"
	cp -R "$tmp/corpus/en" "$tmp/corpus/es" "$tmp/$v/"
	cp "$repo/tests/bench/site.yaml" "$tmp/$v/site.yaml"
	for lang in en es; do
		cp "$repo/content/$lang/strings.yaml" "$tmp/$v/$lang/strings.yaml"
	done
done
for f in "$tmp"/new/en/*.md "$tmp"/new/es/*.md; do
	printf '\nThis page was changed for the kill test.\n' >>"$f"
done

out="$tmp/site/public"
mkdir -p "$tmp/site"

# The old site, plus what a user keeps in the output: carepress did not write
# these, so it must carry them over and never delete them.
start=$(now)
build "$tmp/old" "$out" || { cat "$tmp/build.err" >&2; die "the old site did not build"; }
t_old=$(echo "$start $(now)" | awk '{ print $2 - $1 }')
mkdir -p "$out/user-files/deep"
echo "a file the user put here" >"$out/user-notes.txt"
echo "another one" >"$out/user-files/deep/keep.txt"
ln -s user-notes.txt "$out/user-link"
listing "$out" >"$tmp/old.list"

# The new site's expected listing: built fresh elsewhere, plus the same
# user files.
expect="$tmp/expect/public"
mkdir -p "$tmp/expect"
start=$(now)
build "$tmp/new" "$expect" || { cat "$tmp/build.err" >&2; die "the new site did not build"; }
t_new=$(echo "$start $(now)" | awk '{ print $2 - $1 }')
mkdir -p "$expect/user-files/deep"
echo "a file the user put here" >"$expect/user-notes.txt"
echo "another one" >"$expect/user-files/deep/keep.txt"
ln -s user-notes.txt "$expect/user-link"
listing "$expect" >"$tmp/new.list"
cmp -s "$tmp/old.list" "$tmp/new.list" && die "the change made no difference to the site"
n_files=$(grep -vc '^\(dir\|link\) ' "$tmp/new.list")

# The kills fall within the time of a build like the ones below: over an
# existing output of the other site (manifest, links, carried-over files).
cp -R "$out" "$tmp/site/probe"
start=$(now)
build "$tmp/new" "$tmp/site/probe" || { cat "$tmp/build.err" >&2; die "a rebuild failed"; }
window=$(echo "$start $(now)" | awk '{ print $2 - $1 }')
rm -rf "$tmp/site/probe" "$tmp/site/.probe.carepress-spare"
echo "kill test: $n_files files per site; builds take ${t_old} s and ${t_new} s, ${window} s over the other site: kills fall in 0-${window} s"

# kill_run DELAY: one run: a build towards the state OUT is not in (old ->
# new, new -> old), so every kill interrupts a real change of every page,
# killed after DELAY s; then OUT must be the old or the new site.
kill_run() {
	i=$((i + 1))
	ok=1
	if [ $state = old ]; then target=new; else target=old; fi
	[ -d "$tmp/site/.public.carepress-spare" ] && over_spare=$((over_spare + 1))
	"$bin" build --quiet --source "$tmp/$target" --templates "$tmp/templates" --out "$out" \
		>/dev/null 2>"$tmp/build.err" &
	pid=$!
	sleep "$1"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null  # no "Killed" from the shell
	st=$?
	pid=""
	case $st in
	137) mid=$((mid + 1)) ;;
	0) done_first=$((done_first + 1)) ;;
	*)
		echo "FAIL run $i: carepress exited $st (neither killed nor clean)"
		sed 's/^/    /' "$tmp/build.err" | head -20
		ok=0
		;;
	esac
	listing "$out" >"$tmp/now.list"
	if cmp -s "$tmp/now.list" "$tmp/old.list"; then
		state=old
	elif cmp -s "$tmp/now.list" "$tmp/new.list"; then
		state=new
	else
		echo "FAIL run $i (killed after $1 s, building the $target site): the output is neither the old nor the new site"
		diff "$tmp/old.list" "$tmp/now.list" | grep '^[<>]' | head -5 | sed 's/^/    vs old: /'
		diff "$tmp/new.list" "$tmp/now.list" | grep '^[<>]' | head -5 | sed 's/^/    vs new: /'
		ok=0
		# Go on from a known state.
		build "$tmp/$target" "$out" && state=$target
	fi
	if [ "$st" = 0 ] && [ $state != "$target" ]; then
		echo "FAIL run $i: the build succeeded but the output is still the $state site"
		ok=0
	fi
	if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

awk -v seed="$seed" -v n="$((runs + spare_runs))" -v w="$window" \
	'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%.3f\n", rand() * w }' >"$tmp/delays"
head -n "$runs" "$tmp/delays" >"$tmp/delays.main"
tail -n +"$((runs + 1))" "$tmp/delays" >"$tmp/delays.spare"
state=old passed=0 failed=0 mid=0 done_first=0 over_spare=0 i=0
while read -r delay; do kill_run "$delay"; done <"$tmp/delays.main"

# Kills over the spare: a killed build leaves none (it had claimed it), so
# a finished build first makes one whenever it is missing.
while read -r delay; do
	if [ ! -d "$tmp/site/.public.carepress-spare" ]; then
		if [ $state = old ]; then state=new; else state=old; fi
		build "$tmp/$state" "$out" || { echo "FAIL: a build to make the spare failed"; failed=$((failed + 1)); }
	fi
	kill_run "$delay"
done <"$tmp/delays.spare"

# The next build succeeds and gives the new site.
final_build() {
	if ! build "$tmp/new" "$out"; then
		echo "FAIL $1: exit status $?"
		sed 's/^/    /' "$tmp/build.err" | head -20
		return 1
	fi
	listing "$out" >"$tmp/now.list"
	if ! cmp -s "$tmp/now.list" "$tmp/new.list"; then
		echo "FAIL $1: the output is not the new site"
		diff "$tmp/new.list" "$tmp/now.list" | head -10 | sed 's/^/    /'
		return 1
	fi
}
# The spare (the output before, kept for the next build) is not left behind.
staging_left() { find "$tmp/site" -mindepth 1 -maxdepth 1 ! -name public ! -name .public.carepress-spare; }
if final_build "final build"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# A killed build leaves its staging directory beside the output; the next
# build removes it, also when it finds the site up to date. Kill builds of
# the old site half-way until one leaves a staging directory (the output
# stays new), then build the new site once more.
tries=0
while [ -z "$(staging_left)" ] && [ $tries -lt 10 ]; do
	tries=$((tries + 1))
	"$bin" build --quiet --source "$tmp/old" --templates "$tmp/templates" --out "$out" \
		>/dev/null 2>&1 &
	pid=$!
	sleep "$(echo "$window $tries" | awk '{ print $1 * (0.2 + 0.05 * $2) }')"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
	listing "$out" >"$tmp/now.list"
	cmp -s "$tmp/now.list" "$tmp/new.list" || build "$tmp/new" "$out"
done
if [ -z "$(staging_left)" ]; then
	echo "kill test: could not leave a staging directory behind in $tries tries; cleanup not checked"
elif final_build "build after a killed build" && [ -z "$(staging_left)" ]; then
	passed=$((passed + 1))
else
	echo "FAIL: the build after a killed build left this beside the output:"
	staging_left | sed 's/^/    /'
	failed=$((failed + 1))
fi
[ "$(cat "$out/user-notes.txt" 2>/dev/null)" = "a file the user put here" ] &&
	[ "$(cat "$out/user-files/deep/keep.txt" 2>/dev/null)" = "another one" ] ||
	{ echo "FAIL: a file the user put in the output was lost"; failed=$((failed + 1)); }

if [ "$spare_runs" -gt 0 ] && [ "$over_spare" -lt "$spare_runs" ]; then
	echo "FAIL: $over_spare builds began over the spare, not $spare_runs or more"
	failed=$((failed + 1))
fi
echo "kill test: $mid kills landed mid-build, $done_first builds finished before their kill, $over_spare builds began over the spare"
echo "kill test: $passed passed, $failed failed"
[ "$failed" = 0 ]
