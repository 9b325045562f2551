# A page of exactly 1 MiB (the default limit): accepted.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'; head -c 1048576 /dev/zero | tr '\0' 'a'; } | head -c 1048575 > content/en/about.md
printf '\n' >> content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
