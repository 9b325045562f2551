# 10,000 nested block quotes on one line: refused by the nesting limit, fast,
# without a stack overflow.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'; head -c 10000 /dev/zero | tr '\0' '>'; printf ' deep\n'; } > content/en/about.md
