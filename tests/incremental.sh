#!/bin/sh
# incremental.sh CAREPRESS - an incremental build gives byte for byte the
# output of a clean build after each of a sequence of edits, renames and
# deletions; a failed build leaves the output as it was; files carepress did
# not write survive every build (issue #7). Run from the top of the
# repository: the site is a copy of content/ and templates/.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0 count=0
src=$tmp/site/content tpl=$tmp/site/templates inc=$tmp/inc clean=$tmp/clean

check() { # description, then a shell condition
	count=$((count + 1))
	desc=$1; shift
	if eval "$@"; then :; else echo "FAIL: $desc"; fails=$((fails + 1)); fi
}

# build DIR NAME: builds into DIR; $tmp/NAME.rc is the exit status,
# $tmp/NAME.summary the closing "built"/"nothing changed" line (it holds the
# time taken) and $tmp/NAME.err every other line of standard error.
build() {
	"$bin" build --source "$src" --templates "$tpl" --out "$1" --jobs 2 \
		>"$tmp/$2.out" 2>"$tmp/$2.raw"
	echo $? >"$tmp/$2.rc"
	grep -E '^carepress: (built|nothing changed)' "$tmp/$2.raw" >"$tmp/$2.summary"
	grep -vE '^carepress: (built|nothing changed)' "$tmp/$2.raw" >"$tmp/$2.err"
}

# Files a user put in the output dir (and the folders holding only them):
# carepress must keep them, and a clean build does not have them, so the
# comparison leaves these paths out on both sides.
user_paths="./CNAME ./.well-known ./.well-known/security.txt ./mine ./mine/notes.txt
./assets/custom.css ./latest ./en/getting-started-with-video-visits
./en/getting-started-with-video-visits/notes.txt"
add_user_files() {
	mkdir -p "$inc/.well-known" "$inc/mine" "$tmp/user"
	echo care.example.org >"$inc/CNAME"
	echo "Contact: mailto:security@example.org" >"$inc/.well-known/security.txt"
	echo "deploy notes" >"$inc/mine/notes.txt"
	echo "body { margin: 0; }" >"$inc/assets/custom.css"
	echo "notes on the video page" >"$inc/en/getting-started-with-video-visits/notes.txt"
	ln -s en/index.html "$inc/latest"
	for f in CNAME .well-known/security.txt mine/notes.txt assets/custom.css \
		en/getting-started-with-video-visits/notes.txt; do
		mkdir -p "$(dirname "$tmp/user/$f")" && cp "$inc/$f" "$tmp/user/$f"
	done
}
user_files_kept() {
	[ -d "$tmp/user" ] || return 0 # not placed yet
	for f in CNAME .well-known/security.txt mine/notes.txt assets/custom.css \
		en/getting-started-with-video-visits/notes.txt; do
		cmp -s "$tmp/user/$f" "$inc/$f" || { echo "  | lost or changed: $f"; return 1; }
	done
	[ -L "$inc/latest" ] && [ "$(readlink "$inc/latest")" = en/index.html ]
}

# tree_list DIR: every entry of DIR (dot-files too) as "type path mode" and
# "sha256 path" lines, sorted, without the user's files. Two internal files
# hold what the build itself was and are compared in part:
# - .carepress-cache: its first line ends with the time the build started,
#   and each input's stat (mtime, inode) is kept from the build that read it
#   (a build that finds nothing changed leaves the cache as it was, though a
#   file was touched); the rest (options, and the size, hash and path of
#   every input) must be the same.
# - .carepress-manifest: each file's mtime and inode as written (columns 3
#   and 4: a file the incremental build kept keeps its own), and the line of
#   .carepress-cache, whose bytes differ as above; the hash, size and path of
#   every other file must be the same.
tree_list() {
	(cd "$1" || exit 1
	 find . -printf 'e %y %p %m\n'
	 find . -type f ! -name .carepress-cache ! -name .carepress-manifest -exec sha256sum {} +
	 find . -type l -printf 'l %p %l\n'
	 if [ -f .carepress-cache ]; then
		awk 'NR == 1 { print $1, $2, $3; next } { print $2, $4, $5 }' .carepress-cache |
			sha256sum | sed 's|-$|./.carepress-cache (normalized)|'
	 fi
	 if [ -f .carepress-manifest ]; then
		awk 'NR > 1 { $3 = "-"; $4 = "-" } $5 == ".carepress-cache" { $1 = "-"; $2 = "-" } { print }' .carepress-manifest |
			sha256sum | sed 's|-$|./.carepress-manifest (normalized)|'
	 fi) | awk -v skip="$user_paths" '
		BEGIN { n = split(skip, a, /[ \n]+/); for (i = 1; i <= n; i++) s[a[i]] = 1 }
		{ p = $1 == "e" ? $3 : $2; if (!(p in s)) print }' | sort
}
# raw_list DIR: every entry with its inode and mtime, and every file's hash,
# nothing left out: a failed build must not have touched anything.
raw_list() {
	(cd "$1" && find . -printf '%y %p %m %i %T@\n' && find . -type f -exec sha256sum {} +) | sort
}

# same_tree A B: A and B hold the same output; shows how they differ if not.
same_tree() {
	tree_list "$1" >"$tmp/list.a"
	tree_list "$2" >"$tmp/list.b"
	cmp -s "$tmp/list.a" "$tmp/list.b" && return 0
	diff "$tmp/list.a" "$tmp/list.b" | sed -n '2,20s/^/  | /p'
	diff -r -x .carepress-cache -x .carepress-manifest "$1" "$2" 2>&1 |
		grep -v "^Only in $1.*: \(CNAME\|\.well-known\|mine\|custom\.css\|latest\|notes\.txt\)$" |
		grep -v "^Only in $1/en: getting-started-with-video-visits$" | sed -n '1,30s/^/  | /p'
	return 1
}
# same_err: the incremental build found what the clean build found. It
# prints what its work found (pages rendered again, checks between pages
# that are not both unchanged) and counts the findings of pages that did
# not change, which the build that found them printed: printed + counted is
# what the clean build prints, and every line printed is one of the clean
# build's. (The report, compared with the output, lists them all.)
same_err() {
	if grep -q '^carepress: nothing changed' "$tmp/inc.summary"; then
		[ ! -s "$tmp/inc.err" ]
		return
	fi
	# (n_ names: this shell has no locals, and $clean is the clean output.)
	n_earlier=$(sed -n 's/^carepress: \([0-9]*\) findings\{0,1\} in pages that did not change .*/\1/p' "$tmp/inc.err")
	n_printed=$(grep -c ': \(error\|warning\|note\): ' "$tmp/inc.err")
	n_clean=$(grep -c ': \(error\|warning\|note\): ' "$tmp/clean.err")
	grep -vxF -f "$tmp/clean.err" "$tmp/inc.err" | grep -v ' in pages that did not change ' >"$tmp/extra.err"
	[ $((n_printed + ${n_earlier:-0})) = "$n_clean" ] && [ ! -s "$tmp/extra.err" ] && return 0
	echo "  | printed $n_printed + not shown again ${n_earlier:-0}, the clean build $n_clean; lines it does not print:"
	sed -n '1,20s/^/  | /p' "$tmp/extra.err"
	return 1
}
no_staging() { # the spare (.inc.carepress-spare) is kept on purpose
	for d in "$tmp"/.inc.carepress-* "$tmp"/.clean.carepress-*; do
		case $d in *.carepress-spare) continue ;; esac
		[ -e "$d" ] && return 1
	done
	return 0
}
exits() { # STATUS: the incremental build exited so; shows its errors if not
	[ "$(cat "$tmp/inc.rc")" = "$1" ] && return 0
	sed -n '1,10s/^/  | /p' "$tmp/inc.raw"
	return 1
}

# step NAME STATUS: builds incrementally into $inc and from scratch into a
# fresh $clean, expecting exit STATUS, and compares the two.
step() {
	build "$inc" inc
	rm -rf "$clean"
	build "$clean" clean
	want=$2
	check "$1: incremental build exits $want" 'exits $want'
	check "$1: clean build exits the same" '[ "$(cat $tmp/clean.rc)" = "$(cat $tmp/inc.rc)" ]'
	# A failed build writes nothing: its caller compares with the last output.
	[ "$want" = 0 ] && check "$1: output is the same as a clean build's" 'same_tree "$inc" "$clean"'
	check "$1: diagnostics are the same as a clean build's" same_err
	check "$1: user files are kept" user_files_kept
	check "$1: no staging directory is left" no_staging
}
shows() { grep -rqF -- "$1" "$inc"; } # the output has this text somewhere
did_work() { grep -q '^carepress: built' "$tmp/inc.summary"; }

# rewrite FILE FROM TO: replaces text in place (same inode), so that only
# the mtime can tell a stat-based cache that the file changed.
rewrite() {
	sed "s/$2/$3/" "$1" >"$tmp/rewrite" && cat "$tmp/rewrite" >"$1"
}
stat_of() { stat -c '%y %s %i' "$1"; }
racy_in_cache() { # FILE: its mtime in the cache is within 2 s of that build's start
	awk -v f="$1" 'NR == 1 { start = $4 } $5 == f { d = start - $1 }
		END { exit !(d != "" && d < 2e9) }' "$inc/.carepress-cache"
}

mkdir -p "$tmp/site"
cp -R content templates "$tmp/site/"

# 0. The first build; then the user's own files go into the output dir.
step "first build" 0
add_user_files
step "rebuild with the user's files" 0
check "rebuild with the user's files: nothing changed" 'grep -q "^carepress: nothing changed" $tmp/inc.summary'

# 1. A page's body: a paragraph more (its translation is now outdated: a warning).
printf '\nIf you are not sure where to go, call us first.\n' >>"$src/en/urgent-care.md"
step "1 body edit" 0
check "1 body edit: the paragraph is published" 'shows "call us first"'
check "1 body edit: the warning is reported" 'grep -q "translation-outdated" $tmp/inc.err'
check "1 body edit: only the edited page and its translation have findings printed" '! grep ": \(error\|warning\|note\): " $tmp/inc.err | grep -qv "/urgent-care.md:"'

# 2. A title: the page's address (its slug), nav, home, alternates, sitemap.
sed -i 's/^title: Getting started with video visits$/title: Video visits step by step/' "$src/en/video-visits.md"
step "2 title change" 0
check "2 title change: the page has its new address" '[ -f $inc/en/video-visits-step-by-step/index.html ] && grep -q video-visits-step-by-step $inc/sitemap.xml'
check "2 title change: the old address is gone but for the user's file" '[ "$(ls -A $inc/en/getting-started-with-video-visits)" = notes.txt ]'

# 3. A rename in both languages, with site.yaml and the links that name it.
for l in en es; do
	mv "$src/$l/language-assistance.md" "$src/$l/interpreters.md"
	sed -i 's/(language-assistance\.md)/(interpreters.md)/' "$src/$l/index.md" "$src/$l/nondiscrimination.md"
done
sed -i 's/\blanguage-assistance\b/interpreters/g' "$src/site.yaml"
step "3 rename" 0

# 4. A page deleted in both languages, with its links and its site.yaml entry.
rm "$src/en/video-visits.md" "$src/es/video-visits.md"
sed -i '/(video-visits\.md)/d' "$src"/*/index.md "$src"/*/ways-to-get-care.md
sed -i 's/, video-visits,/,/' "$src/site.yaml"
step "4 delete" 0
check "4 delete: the page is gone" '[ ! -e $inc/en/video-visits-step-by-step ] && ! grep -q video-visits-step-by-step $inc/sitemap.xml'

# 5. A new page in both languages. The translation records the hash of its
# source, which `carepress check` prints once the pair exists.
cat >"$src/en/after-your-visit.md" <<'EOF'
---
title: After your visit
description: What to do after you see your doctor.
order: 8
updated: 2026-11-24
translation: source
---

## Your visit summary

You can read your visit summary online at {{ url.kp_org }}.
If you have questions, call {{ phone.member_services }} (TTY {{ phone.tty }}).
EOF
add_translation() { # source_hash
	cat >"$src/es/after-your-visit.md" <<EOF
---
title: Después de su consulta
description: Qué hacer después de ver a su médico.
order: 8
updated: 2026-11-24
translation: provided
source_hash: $1
---

## El resumen de su consulta

Puede leer el resumen de su consulta en línea en {{ url.kp_org }}.
Si tiene preguntas, llame al {{ phone.member_services }} (TTY {{ phone.tty }}).
EOF
}
add_translation 000000000000
add_translation "$("$bin" check --source "$src" --templates "$tpl" 2>/dev/null |
	awk -v f="$src/en/after-your-visit.md" '$1 == "source_hash" && $3 == f { print $2 }')"
step "5 add" 0
check "5 add: the page is published in both languages" '[ -f $inc/en/after-your-visit/index.html ] && [ -f $inc/es/despues-de-su-consulta/index.html ]'

# 6. A fact in site.yaml, used on several pages.
sed -i 's/member_services: "1-800-464-4000"/member_services: "1-800-464-4001"/' "$src/site.yaml"
step "6 fact" 0
check "6 fact: the new number is published" 'shows 1-800-464-4001 && ! shows 1-800-464-4000'

# 7. A template and a partial.
sed -i 's|<h1>{{page.title}}</h1>|<h1 class="page-title">{{page.title}}</h1>|' "$tpl/page.mustache"
sed -i 's/class="footer-site"/class="footer-site site-name"/' "$tpl/partials/footer.mustache"
step "7 template and partial" 0
check "7 template and partial: both changes are published" 'shows "class=\"page-title\"" && shows "footer-site site-name"'

# 8. The interface strings of one language.
sed -i 's/^large_print: "Large print"$/large_print: "Large print version"/' "$src/en/strings.yaml"
step "8 strings" 0
check "8 strings: the new string is published" 'shows ">Large print version<"'

# 9. The assets: a stylesheet changed, then a file added in a folder and removed.
printf '\n.site-name { font-weight: bold; }\n' >>"$tpl/assets/site.css"
step "9a stylesheet" 0
mkdir -p "$tpl/assets/notes"
echo "asset notes" >"$tpl/assets/notes/readme.txt"
step "9b asset added" 0
check "9b asset added: it is copied" '[ -f $inc/assets/notes/readme.txt ]'
rm -r "$tpl/assets/notes"
step "9c asset removed" 0
check "9c asset removed: it is gone with its folder" '[ ! -e $inc/assets/notes ]'

# 10. A content error: exit 1 and the output exactly as the last good
# build left it; then the error fixed.
raw_list "$inc" >"$tmp/before"
cp "$src/en/index.md" "$tmp/index.md.good"
printf '\nCall {{ phone.mian }} now.\n' >>"$src/en/index.md"
step "10a content error" 1
check "10a content error: the error is reported" 'grep -q "error: unknown fact .phone.mian. \[fact-unknown\]" $tmp/inc.err'
check "10a content error: the output is untouched" 'raw_list $inc | cmp -s - $tmp/before'
check "10a content error: the clean build writes nothing" '[ ! -e $clean ]'
cp "$tmp/index.md.good" "$src/en/index.md"
step "10b error fixed" 0

# 11. Files touched, not changed: nothing to do, and no output rewritten.
ls -l --time-style=full-iso "$inc/en/index.html" >"$tmp/mtime.before"
touch "$src/site.yaml" "$src/en/urgent-care.md" "$src/es/strings.yaml" \
	"$tpl/base.mustache" "$tpl/partials/nav.mustache" "$tpl/assets/print.css"
step "11 touch" 0
check "11 touch: reports nothing changed or no file changed" 'grep -Eq "^carepress: (nothing changed|built .*\(0 changed\))" $tmp/inc.summary'
check "11 touch: an output file keeps its mtime" 'ls -l --time-style=full-iso $inc/en/index.html | cmp -s - $tmp/mtime.before'

# 12. Racy edits (cache.h): the same size, right after a build. a: the
# mtime moves. b: the mtime is put back, so the file's stat is what the
# cache recorded and only its bytes can tell; the cache must hash it
# because its mtime is within 2 s of the build that recorded it.
page=$src/en/urgent-care.md
size=$(stat -c %s "$page")
rewrite "$page" "call us first" "call us First"
touch -r "$page" "$tmp/racy.ref"
step "12a same-size edit" 0
check "12a same-size edit: the size did not change" '[ $(stat -c %s $page) = $size ]'
check "12a same-size edit: the build did work" did_work
check "12a same-size edit: the edit is published" 'shows "call us First"'
before=$(stat_of "$page")
rewrite "$page" "call us First" "call us FIRST"
touch -r "$tmp/racy.ref" "$page"
check "12b setup: the page's stat (mtime, size, inode) is unchanged" '[ "$(stat_of $page)" = "$before" ]'
check "12b setup: the cache recorded it within 2 s of the build's start" 'racy_in_cache "$page"'
step "12b same stat, other bytes" 0
check "12b same stat, other bytes: the build did work" did_work
check "12b same stat, other bytes: the edit is published" 'shows "call us FIRST"'

# 13. An output file deleted by hand comes back.
rm "$inc/es/index.html"
step "13 output file deleted" 0

# 14. An output file edited by hand (same size), then a change to build:
# a build that does work must not carry the edited bytes over as
# "unchanged" (a clean build writes the right ones).
sed -i 's/<title>Page not found/<title>Page NOT found/' "$inc/404.html"
printf '\nAsk us about parking.\n' >>"$src/en/urgent-care.md"
step "14 output file edited" 0

# 15. The page cache (pagecache.h): a page that is not rendered again still
# has its links to other pages' anchors checked. a: a link to a heading of
# another page; b: that heading renamed (only the other page changes), so
# the link is broken: an error; c: the heading back.
printf '\nSee [where to go](urgent-care.md#not-sure-where-to-go).\n' >>"$src/en/ways-to-get-care.md"
step "15a link to another page's heading" 0
rewrite "$src/en/urgent-care.md" "## Not sure where to go?" "## Where to go"
step "15b the heading renamed" 1
check "15b the heading renamed: the unchanged page's link is reported" 'grep -q "ways-to-get-care.md:.*link-anchor" $tmp/inc.err'
rewrite "$src/en/urgent-care.md" "## Where to go" "## Not sure where to go?"
step "15c the heading back" 0

# 16. The page cache damaged or removed by hand: the build renders every
# page, as a clean one does.
printf 'carepress-pages 1 0000000000000000\npage 12' >"$inc/.carepress-pages"
printf '\nCall before you go.\n' >>"$src/en/urgent-care.md"
step "16a page cache damaged" 0
rm "$inc/.carepress-pages"
printf '\nBring your card.\n' >>"$src/en/urgent-care.md"
step "16b page cache removed" 0
printf 'carepress-pages 1 0000000000000000\npage 12' >"$inc/.carepress-sources"
printf '\nAsk for a ride.\n' >>"$src/en/urgent-care.md"
step "16c source cache damaged" 0
# A page that renders again though its file did not change (its
# translation's title is in its alternates) is read then, as it is now.
sed -i 's/^title: Urgent care or emergency care$/title: Urgent or emergency care/' "$src/en/urgent-care.md"
step "16d a page renders again from a file it did not read" 0

echo "incremental: $((count - fails)) passed, $fails failed"
[ $fails = 0 ]
