#!/bin/sh
# bench.sh - carepress's benchmark: carepress against Hugo and against a
# floor program (cmark-gfm in a loop, tests/bench/floor.c) on the same
# synthetic corpus, all on tmpfs. Prints median wall time, CPU time and peak
# memory, the ratios, and pass/fail against the targets in docs/performance.md.
#
# Usage: sh tests/bench/bench.sh [CAREPRESS]        (make bench)
#   BENCH_PAGES=N   pages per language (default 2000)
#   BENCH_RUNS=N    timed runs per tool (default 5)
#   BENCH_SCALE=1   also time carepress at 500, 2000 and 8000 pages per language
#   BENCH_NICE=0    do not raise the timed commands' priority (done as root)
#
# It is a benchmark, not a test: a missed target is reported, not failed. It
# exits 0 unless something could not run (a missing tool, a crash, Hugo
# failing), 1 then. Everything it makes lives in /dev/shm/carepress-bench-*,
# removed on exit.
set -eu

LC_ALL=C
export LC_ALL

die() {
	echo "bench: $*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
gen_corpus=$(dirname "$repo")/shared/bench/gen-corpus

carepress=${1:-./carepress}
case $carepress in
/*) ;;
*) carepress=$(pwd)/$carepress ;;
esac
pages=${BENCH_PAGES:-2000}
runs=${BENCH_RUNS:-5}
scale=${BENCH_SCALE:-0}
scale_sizes="500 2000 8000"

case $pages in '' | *[!0-9]* | 0*) die "BENCH_PAGES must be a positive number, not '$pages'" ;; esac
case $runs in '' | *[!0-9]* | 0*) die "BENCH_RUNS must be a positive number, not '$runs'" ;; esac
# hyperfine gets each command as one string, split at spaces.
case $repo$carepress in *[[:space:]]*) die "paths with spaces are not supported: $repo, $carepress" ;; esac
[ -x "$carepress" ] || die "no carepress at '$carepress': run 'make carepress' first"
[ -f "$gen_corpus" ] || die "the corpus generator is missing: expected $gen_corpus (shared/ beside the repository)"

# --- tools -------------------------------------------------------------------

missing=""
command -v hugo >/dev/null 2>&1 || missing="$missing hugo"
command -v hyperfine >/dev/null 2>&1 || missing="$missing hyperfine"
[ -x /usr/bin/time ] || missing="$missing time"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v "${CC:-cc}" >/dev/null 2>&1 || missing="$missing gcc"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if ! pkg-config --exists libcmark-gfm 2>/dev/null ||
	[ ! -f /usr/include/cmark-gfm-core-extensions.h ]; then
	missing="$missing libcmark-gfm-dev libcmark-gfm-extensions-dev"
fi
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "bench: installing Debian packages:$missing"
		# shellcheck disable=SC2086
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; } ||
			die "could not install:$missing"
	else
		echo "bench: missing Debian packages:$missing" >&2
		echo "install them with: sudo apt-get install$missing" >&2
		exit 1
	fi
fi

# --- work area on tmpfs ------------------------------------------------------

shm=/dev/shm
if [ ! -d "$shm" ] || [ ! -w "$shm" ]; then
	shm=${TMPDIR:-/tmp}
	echo "bench: warning: /dev/shm is not usable; working in $shm, which may not be tmpfs" >&2
fi
work=$(mktemp -d "$shm/carepress-bench-XXXXXX")
# shellcheck disable=SC2317
cleanup() {
	rm -rf "$work"
	if [ -n "${autogroup_nice:-}" ]; then
		echo "$autogroup_nice" 2>/dev/null >/proc/self/autogroup || true
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
results=$work/results
mkdir -p "$results"

# One binary and one set of templates for the whole run, even if the
# project's are changed meanwhile.
cp "$carepress" "$work/carepress"
carepress=$work/carepress
cp -R "$repo/templates" "$work/templates"
find "$work/templates" -exec touch -h -d "2020-01-01 00:00:00" {} +
templates=$work/templates

# As root, the bench runs at a high priority (BENCH_NICE=0: not), so that
# other work on the machine disturbs the timings less; it would disturb every
# tool alike, but it makes wall times swing by several times. With the
# kernel's autogroup scheduling, processes of other sessions compete by
# session, so the nice value that counts is the session's (restored on exit).
prio=""
nice_cmd=""
autogroup_nice=""
if [ "$(id -u)" = 0 ] && [ "${BENCH_NICE:-1}" != 0 ]; then
	prio="nice -n -15"
	nice_cmd="nice -n -15"
	if [ -w /proc/self/autogroup ]; then
		autogroup_nice=$(sed -n 's/.* nice \(-*[0-9]*\).*/\1/p' /proc/self/autogroup)
		if [ -n "$autogroup_nice" ] && echo -15 2>/dev/null >/proc/self/autogroup; then
			prio="nice -n -15, session (autogroup) nice -15"
		else
			autogroup_nice=""
		fi
	fi
fi

rss_runs=$runs
[ "$rss_runs" -gt 3 ] && rss_runs=3

# make_corpus N DIR: the corpus, then a carepress source tree (DIR/src) and a
# Hugo site (DIR/hugo) made from the same files.
make_corpus() {
	n=$1
	dir=$2
	mkdir -p "$dir"
	python3 "$gen_corpus" "$dir/corpus" "$n" >/dev/null ||
		die "gen-corpus failed for $n pages per language"
	for lang in en es; do
		[ -d "$dir/corpus/$lang" ] || die "gen-corpus wrote no $lang/ folder"
	done
	mkdir -p "$dir/src"
	cp -R "$dir/corpus/en" "$dir/corpus/es" "$dir/src/"
	cp "$here/site.yaml" "$dir/src/site.yaml"
	cp "$repo/content/en/strings.yaml" "$dir/src/en/strings.yaml"
	cp "$repo/content/es/strings.yaml" "$dir/src/es/strings.yaml"
	if [ "${3:-}" = with-hugo ]; then
		mkdir -p "$dir/hugo/content"
		cp -R "$here/hugo/." "$dir/hugo/"
		cp -R "$dir/corpus/en" "$dir/corpus/es" "$dir/hugo/content/"
	fi
	# carepress's build cache hashes a file whose mtime is under 2 s old
	# instead of trusting its stat; old mtimes keep the no-op rebuild from
	# depending on how long ago the corpus was made.
	find "$dir" -exec touch -h -d "2020-01-01 00:00:00" {} +
}

# measure_rss NAME PREPARE COMMAND...: peak RSS (KiB) of rss_runs runs, one a
# line in results/NAME.rss; PREPARE runs (sh -c) before each, untimed.
measure_rss() {
	name=$1
	prep=$2
	shift 2
	: >"$results/$name.rss"
	i=0
	while [ "$i" -lt "$rss_runs" ]; do
		sh -c "$prep"
		$nice_cmd /usr/bin/time -v -o "$results/$name.time" "$@" >/dev/null 2>&1 || true
		sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' \
			"$results/$name.time" >>"$results/$name.rss"
		i=$((i + 1))
	done
}

# hf NAME ROUND PREPARE|"" COMMAND [ignore] [CLEANUP]: one timed run of
# COMMAND by hyperfine (after one warm-up run in round 1), exported to
# results/NAME.rROUND.json. Rounds interleave the tools, so a load that comes
# and goes on the machine falls on all of them alike.
hf() {
	name=$1
	round=$2
	prep=$3
	cmd=$4
	ignore=${5:-}
	clean=${6:-}
	set -- --style basic -N --runs 1 --export-json "$results/$name.r$round.json" -n "$name"
	[ "$round" = 1 ] && set -- "$@" --warmup 1
	[ -n "$prep" ] && set -- "$@" --prepare "$prep"
	[ -n "$clean" ] && set -- "$@" --cleanup "$clean"
	[ -n "$ignore" ] && set -- "$@" --ignore-failure
	$nice_cmd hyperfine "$@" "$cmd" >>"$results/hyperfine.log" 2>&1 || {
		tail -20 "$results/hyperfine.log" >&2
		die "hyperfine failed for $name"
	}
}

# carepress_status SRC OUT: builds once and returns carepress's exit status;
# 0 and 1 (content errors) are measured, anything else stops the bench.
carepress_status() {
	rm -rf "$2" "$(dirname "$2")/.$(basename "$2").carepress-spare"
	set +e
	"$carepress" build --source "$1" --templates "$templates" --out "$2" --quiet \
		>/dev/null 2>"$results/carepress.err"
	st=$?
	set -e
	case $st in
	0 | 1) ;;
	*)
		tail -5 "$results/carepress.err" >&2
		die "carepress exited $st on the corpus"
		;;
	esac
	return "$st"
}

# --- versions ----------------------------------------------------------------

echo "== machine and tools"
echo "cores: $(nproc); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); kernel: $(uname -r)"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$repo" status --porcelain -- gen 2>/dev/null)" ] && commit="$commit + uncommitted gen/ changes"
echo "carepress: $("$carepress" --version 2>&1 | head -1) ($commit)"
echo "hugo: $(hugo version 2>&1 | head -1)"
echo "hyperfine: $(hyperfine --version)"
echo "cmark-gfm: $(pkg-config --modversion libcmark-gfm); cc: $("${CC:-cc}" --version | head -1)"
echo "pages per language: $pages; runs per tool: $runs (+1 warm-up); work dir: $work"
load=$(cut -d' ' -f1 /proc/loadavg)
echo "load average at start: $load; priority of the timed commands: ${prio:-normal}"
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
	echo "bench: warning: the machine is busy (load $load): times will be noisy and slower"
fi

# --- the floor program -------------------------------------------------------

# shellcheck disable=SC2046
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$work/floor" "$here/floor.c" \
	$(pkg-config --cflags --libs libcmark-gfm) || die "could not build tests/bench/floor.c"

# --- the main comparison -----------------------------------------------------

echo "== corpus: $pages pages per language"
make_corpus "$pages" "$work/main" with-hugo
src=$work/main/src
hsite=$work/main/hugo
out_cp=$work/out-carepress
# A full build starts from nothing: no output dir and no spare (the old
# output carepress keeps beside it to build the next site over, output.h).
cp_clean="rm -rf $out_cp $work/.out-carepress.carepress-spare"
out_hugo=$work/out-hugo
out_floor=$work/out-floor
cp_cmd="$carepress build --source $src --templates $templates --out $out_cp --quiet"
hugo_cmd="hugo --quiet --source $hsite --cacheDir $work/hugo-cache -d $out_hugo"
floor_cmd="$work/floor $out_floor $src/en $src/es"

cp_status=0
carepress_status "$src" "$out_cp" || cp_status=$?
echo "$cp_status" >"$results/carepress.status"
# "12 errors [table x12], 228 warnings": what carepress found in the corpus
{
	printf '%s errors' "$(grep -c ': error: ' "$results/carepress.err" || true)"
	rules=$(sed -n 's/.*: error: .* \[\([a-z-]*\)\]$/\1/p' "$results/carepress.err" |
		sort | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
	[ -n "$rules" ] && printf ' [%s]' "$rules"
	printf ', %s warnings\n' "$(grep -c ': warning: ' "$results/carepress.err" || true)"
} >"$results/carepress.summary"
ign=""
if [ "$cp_status" != 0 ]; then
	ign=ignore
	echo "bench: note: carepress exits $cp_status on this corpus (content errors; it writes nothing):"
	echo "bench:   $(cat "$results/carepress.summary")"
	echo "bench:   its times are still measured: every stage runs, only the final write is skipped"
fi

# Hugo must build the corpus, or its numbers mean nothing.
rm -rf "$out_hugo"
$hugo_cmd || die "hugo failed to build the corpus"
[ -f "$out_hugo/en/index.html" ] || die "hugo wrote no en/index.html"

# One edit: restore the page and bring the output up to date (untimed), then
# append a paragraph to the page; the timed build sees exactly one change.
# The page is restored after the timed run.
set -- "$src"/en/*.md
page=$1
cp -p "$page" "$work/edit.orig"
cat >"$work/prep-edit.sh" <<EOF
cp -p '$work/edit.orig' '$page'
$cp_cmd >/dev/null 2>&1 || true
printf '\n\nThis sentence was added by the benchmark.\n' >>'$page'
EOF
restore="cp -p $work/edit.orig $page"

echo "== $runs rounds, each: carepress full build (from empty), no-op rebuild,"
echo "   one-edit rebuild ($(basename "$page")), Hugo full build, floor"
round=1
while [ "$round" -le "$runs" ]; do
	# shellcheck disable=SC2086
	{
		hf carepress "$round" "$cp_clean" "$cp_cmd" $ign
		hf noop "$round" "" "$cp_cmd" $ign
		hf edit "$round" "sh $work/prep-edit.sh" "$cp_cmd" "$ign" "$restore"
		hf hugo "$round" "rm -rf $out_hugo" "$hugo_cmd"
		hf floor "$round" "rm -rf $out_floor" "$floor_cmd"
	}
	python3 "$here/report.py" round "$results" "$round" carepress noop edit hugo floor
	round=$((round + 1))
done
cp -p "$work/edit.orig" "$page"

echo "== peak memory (/usr/bin/time -v, max of $rss_runs runs)"
# shellcheck disable=SC2086
{
	measure_rss carepress "$cp_clean" $cp_cmd
	measure_rss hugo "rm -rf $out_hugo" $hugo_cmd
	measure_rss floor "rm -rf $out_floor" $floor_cmd
	$cp_clean
	$cp_cmd >/dev/null 2>&1 || true
	measure_rss noop ":" $cp_cmd
	measure_rss edit "sh $work/prep-edit.sh" $cp_cmd
}
cp -p "$work/edit.orig" "$page"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/report.py" main "$results" "$pages" "$runs"

# --- scale -------------------------------------------------------------------

if [ "$scale" = 1 ]; then
	rm -rf "$work/main" "$out_cp" "$out_hugo" "$out_floor"
	for n in $scale_sizes; do
		echo "== scale: corpus of $n pages per language"
		make_corpus "$n" "$work/scale-$n"
		st=0
		carepress_status "$work/scale-$n/src" "$work/out-scale-$n" || st=$?
		echo "$st" >"$results/scale-$n.status"
		rm -rf "$work/out-scale-$n"
	done
	echo "== scale: $runs rounds of carepress full builds at $scale_sizes pages per language"
	round=1
	while [ "$round" -le "$runs" ]; do
		for n in $scale_sizes; do
			s_ign=""
			[ "$(cat "$results/scale-$n.status")" != 0 ] && s_ign=ignore
			s_cmd="$carepress build --source $work/scale-$n/src --templates $templates --out $work/out-scale-$n --quiet"
			# shellcheck disable=SC2086
			hf "scale-$n" "$round" "rm -rf $work/out-scale-$n $work/.out-scale-$n.carepress-spare" "$s_cmd" $s_ign
		done
		# shellcheck disable=SC2046,SC2086
		python3 "$here/report.py" round "$results" "$round" $(printf 'scale-%s ' $scale_sizes)
		round=$((round + 1))
	done
	echo "== scale: peak memory (/usr/bin/time -v, max of $rss_runs runs)"
	for n in $scale_sizes; do
		s_cmd="$carepress build --source $work/scale-$n/src --templates $templates --out $work/out-scale-$n --quiet"
		# shellcheck disable=SC2086
		measure_rss "scale-$n" "rm -rf $work/out-scale-$n $work/.out-scale-$n.carepress-spare" $s_cmd
		rm -rf "$work/scale-$n" "$work/out-scale-$n"
	done
	echo
	echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	# shellcheck disable=SC2086
	python3 "$here/report.py" scale "$results" $scale_sizes
fi
exit 0
