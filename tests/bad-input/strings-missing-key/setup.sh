# A UI string missing from the French strings.yaml.
sed -i '/^skip_link:/d' content/fr/strings.yaml
