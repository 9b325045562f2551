# The output path is a regular file (the `args` file points --out at it).
# A page changes too, so that the build has something to write.
printf 'not a directory\n' > site.out
printf '\nOne more line.\n' >> content/en/about.md
