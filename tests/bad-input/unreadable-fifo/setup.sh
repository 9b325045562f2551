# A named pipe with a page's name: opening it for reading would block
# forever. Stands for an unreadable page (root ignores chmod 000). The build
# must refuse it at once, not hang.
mkfifo content/en/pipe.md
