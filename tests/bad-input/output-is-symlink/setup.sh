# The output directory is a symbolic link (to the real output): carepress
# replaces its output by renaming, which would replace the link and leave
# the real directory stale, so it refuses.
mv public public.real
ln -s public.real public
