# A page that is a symbolic link to itself (ELOOP): an unreadable file, not
# a path outside the content directory.
ln -s loop.md content/en/loop.md
