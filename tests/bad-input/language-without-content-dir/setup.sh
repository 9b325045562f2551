# site.yaml lists a language (de) that has no content directory.
sed -i 's/^pages:/  - tag: de\n    name: Deutsch\n    dir: ltr\npages:/' content/site.yaml
