# 10,000 nested list items ("- " repeated, each a level deeper).
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  awk 'BEGIN { s = ""; for (i = 0; i < 10000; i++) { printf "%s- item\n", s; s = s "  " } }'; } > content/en/about.md
