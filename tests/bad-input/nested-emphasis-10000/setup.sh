# 10,000 nested emphasis delimiters around one word (*****...x...*****).
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  awk 'BEGIN { for (i = 0; i < 10000; i++) printf "*"; printf "x"; for (i = 0; i < 10000; i++) printf "*"; printf "\n" }'; } > content/en/about.md
