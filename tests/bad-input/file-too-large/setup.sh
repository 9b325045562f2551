# A page one byte over the default limit of 1 MiB (1048576 bytes).
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'; head -c 1048576 /dev/zero | tr '\0' 'a'; } | head -c 1048577 > content/en/about.md
