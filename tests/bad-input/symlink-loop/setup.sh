# A page that is a symbolic link to itself (ELOOP).
ln -s loop.md content/en/loop.md
