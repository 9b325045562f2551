# U+FFFF (bytes EF BF BF) is valid UTF-8 but a noncharacter that XML forbids:
# the written page would not be well-formed, so it must be refused where it
# is, with its column, like invalid UTF-8.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nPress \357\277\277 to go back.\n' > content/en/about.md
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
