# A named pipe with a page's name. Stands for an unreadable page (the tests
# run as root, which ignores chmod 000). Opening a FIFO for reading blocks
# until a writer comes, so carepress must check what a path is before it
# reads it, and refuse it at once (a hang fails the case: the runner gives
# each build a time limit).
mkfifo content/en/pipe.md
