# Windows line ends (CRLF) in pages, site.yaml and strings.yaml: accepted.
for f in content/en/*.md content/site.yaml content/en/strings.yaml; do
	sed 's/$/\r/' "$f" > x.tmp && mv x.tmp "$f"
done
