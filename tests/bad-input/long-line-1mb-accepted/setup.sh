# A single paragraph line of 1,000,000 bytes of words: accepted.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'
  yes 'word ' | tr -d '\n' | head -c 1000000; printf '\n'; } > content/en/about.md
