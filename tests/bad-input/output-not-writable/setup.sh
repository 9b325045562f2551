# The output directory cannot be written (the `args` file points --out into
# /proc, which even root cannot write; chmod would not stop root).
