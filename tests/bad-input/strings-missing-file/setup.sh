# A language folder without strings.yaml.
rm content/fr/strings.yaml
