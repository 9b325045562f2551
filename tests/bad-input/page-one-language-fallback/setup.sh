# A page in English only, with 'fallback: true' in site.yaml: published in
# French from the English page with a notice. Accepted.
printf -- '---\ntitle: Extra page\ndescription: Only in English.\ntranslation: source\n---\n\nOnly in English.\n' > content/en/extra.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
