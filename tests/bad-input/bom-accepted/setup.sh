# A UTF-8 byte order mark at the start of a page and of site.yaml and
# strings.yaml is dropped: the build succeeds.
for f in content/en/about.md content/site.yaml content/fr/strings.yaml; do
	printf '\357\273\277' > x.tmp; cat "$f" >> x.tmp; mv x.tmp "$f"
done
