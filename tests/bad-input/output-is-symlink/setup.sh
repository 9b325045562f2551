# The output directory is a symbolic link (to the real output): carepress
# replaces its output by renaming, which would replace the link and leave
# the real directory stale, so it refuses. A page changes too, so that the
# build has something to write (an unchanged site is "up to date" before
# the output is looked at).
mv public public.real
ln -s public.real public
printf '\nUne ligne de plus.\n' >> content/fr/about.md
