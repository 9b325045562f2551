# The output directory cannot be written (the `args` file points --out into
# /proc, which even root cannot write; chmod would not stop root). A page
# changes too, so that the build has something to write.
printf '\nUne ligne de plus.\n' >> content/fr/about.md
