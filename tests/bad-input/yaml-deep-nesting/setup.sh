# 100,000 nested flow lists in a front matter value: refused by the YAML
# nesting limit at the first level too deep, without a stack overflow.
{ printf -- '---\ntitle: '; head -c 100000 /dev/zero | tr '\0' '['; printf '\n---\n\nText.\n'; } > content/en/about.md
