# An escape character (0x1B, from text pasted out of a terminal) in a page.
# XML and HTML forbid C0 control characters other than tab and line ends,
# so the page written from it would not be well-formed: the byte must be
# refused where it is, like a NUL byte, not reported later by the page lint
# at a line of the written page.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nPress \033 to go back.\n' > content/en/about.md
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
