# The output path is a regular file (the `args` file points --out at it).
printf 'not a directory\n' > site.out
