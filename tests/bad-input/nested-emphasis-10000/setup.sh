# 10,000 nested emphasis and links on one line (*[*[ ... ]*]*).
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  awk 'BEGIN { for (i = 0; i < 5000; i++) printf "*["; printf "x"; for (i = 0; i < 5000; i++) printf "](about.md)*"; printf "\n" }'; } > content/en/about.md
