# A named pipe among the theme's assets: copying assets must not open it
# (that would wait for a writer forever) but refuse it, as it refuses one
# among the pages.
mkfifo templates/assets/stream.css
