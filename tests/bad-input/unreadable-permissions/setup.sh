# chmod 000 on a page. Root ignores file permissions; so that the case means
# the same for root and for other users, the file is also a symlink into
# /proc/self/mem, which nobody can read as a page (and which is outside the
# content dir). Stands for an unreadable page.
printf -- '---\ntitle: Locked\ndescription: x\n---\n\nLocked.\n' > content/en/locked.md
chmod 000 content/en/locked.md
