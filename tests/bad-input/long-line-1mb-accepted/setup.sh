# A single paragraph line of 1,000,000 bytes of short sentences: accepted.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  yes 'Call us today. ' | tr -d '\n' | head -c 1000000; printf '\n'; } > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
