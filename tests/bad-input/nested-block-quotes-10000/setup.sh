# 10,000 nested block quotes on one line: refused by the nesting limit, fast,
# without a stack overflow.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'; head -c 10000 /dev/zero | tr '\0' '>'; printf ' deep\n'; } > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
