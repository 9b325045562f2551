# A single line of 1,000,000 bytes (under the 1 MiB limit) with an unknown
# fact at its end: the build is fast (no quadratic scan) and the column is
# right.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  head -c 999980 /dev/zero | tr '\0' 'a'; printf ' {{ phone.mian }}\n'; } > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
