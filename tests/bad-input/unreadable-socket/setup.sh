# A Unix socket with a page's name: it cannot be opened as a file (ENXIO),
# whoever runs the build. Stands for an unreadable page: the tests run as
# root in CI, and root ignores chmod 000.
python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("content/en/socket.md")'
