# 10,000 nested list items on one line ("- - - ... item": each "- " opens a
# list inside the previous item): refused by the nesting limit, fast.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "- "; printf "item\n" }'; } > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
