# A numeric character reference to a control character (&#x1B;, ESC) in a
# page. cmark-gfm decodes it to the raw byte, which XML and HTML forbid, so
# the written page would not be well-formed: it must be refused at the
# reference, not reported by the page lint at a line of the written page.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nPress &#x1B; to go back.\n' > content/en/about.md
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
