# The file ends in the middle of a 3-byte sequence (0xE2 0x80, the start of
# an en dash): invalid, at the last bytes of the last line.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nOpen 8\342\200' > content/en/about.md
