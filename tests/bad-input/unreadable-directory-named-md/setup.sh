# A directory named like a page (content/en/drafts.md/): it cannot be read
# as a file. Stands for an unreadable page: the tests run as root, which
# ignores file permissions, so chmod 000 would not make a file unreadable.
mkdir content/en/drafts.md
