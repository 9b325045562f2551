# A page of exactly 1 MiB (the default limit): accepted.
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'; head -c 1048576 /dev/zero | tr '\0' 'a'; } | head -c 1048575 > content/en/about.md
printf '\n' >> content/en/about.md
