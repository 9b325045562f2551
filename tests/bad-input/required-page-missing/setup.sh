# The required notice page is missing in French (deleted), with fallback on:
# a required page may not be published from another language.
rm content/fr/notice.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
