# A named pipe with a page's name. Stands for an unreadable page (the tests
# run as root, which ignores chmod 000). Opening a FIFO for reading blocks
# until a writer comes, so carepress must check what a path is before it
# opens it, and refuse it at once.
mkfifo content/en/pipe.md
# Watchdog, so that the catalogue never hangs: 5 s later, if a reader is
# still blocked on the FIFO, leave a marker file in public/ (so the case
# fails with "public/ changed") and unblock the reader by opening the FIFO
# for writing. If nobody is blocked, the open times out and nothing happens.
(
	sleep 5
	[ -p content/en/pipe.md ] || exit 0
	echo "carepress blocked opening content/en/pipe.md" > public/CAREPRESS-HUNG-ON-FIFO 2>/dev/null
	if timeout 2 sh -c ': > content/en/pipe.md' 2>/dev/null; then
		echo "unreadable-fifo: carepress was blocked opening a FIFO for 5 s" >&2
	else
		rm -f public/CAREPRESS-HUNG-ON-FIFO
	fi
) </dev/null >/dev/null &
