# The required notice page is missing in French (deleted), with fallback on:
# a required page may not be published from another language. The
# diagnostic must point at the "notice" entry of required_pages (line 12,
# column 18 once fallback: true is inserted), not at the file alone.
rm content/fr/notice.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
