# 10,000 nested emphasis delimiters around one word (*****...x...*****).
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "*"; printf "x"; for (i = 0; i < 10000; i++) printf "*"; printf "\n" }'; } > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
