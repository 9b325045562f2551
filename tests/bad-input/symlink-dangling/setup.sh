# A page that is a symbolic link to a file that does not exist (inside
# content/): a missing file, not a path outside the content directory, so
# the message must say so (realpath fails with ENOENT) and name the target.
ln -s gone.md content/en/dangling.md
