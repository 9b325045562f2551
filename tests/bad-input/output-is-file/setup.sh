# The output path is a regular file (the `args` file points --out at it).
# A page changes too, so that the build has something to write.
printf 'not a directory\n' > site.out
printf '\nUne ligne de plus.\n' >> content/fr/about.md
