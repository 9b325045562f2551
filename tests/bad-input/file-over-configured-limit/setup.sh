# max_file_size: 1000 in site.yaml, and a page of 1001 bytes.
sed -i 's/^pages:/max_file_size: 1000\npages:/' content/site.yaml
{ printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\n'; head -c 2000 /dev/zero | tr '\0' 'a'; } | head -c 1001 > content/en/about.md
