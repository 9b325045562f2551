# LF, CRLF and lone CR (classic Mac) line ends in one file: all accepted.
printf -- '---\r\ntitle: About this guide\rdescription: What this guide covers.\norder: 2\r\ntranslation: source\r---\n\nLine one.\r\nLine two.\rLine three.\n\n## Hours\r\n\r\nOpen.\n' > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
