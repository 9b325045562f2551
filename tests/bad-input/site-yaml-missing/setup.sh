# No content/site.yaml at all.
rm content/site.yaml
