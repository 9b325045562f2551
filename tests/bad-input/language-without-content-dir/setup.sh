# site.yaml lists a language (de) that has no content directory. The
# per-language fact gets its German text, so that the only problem is the
# missing folder: the diagnostic names the language and the folder.
sed -i 's/^pages:/  - tag: de\n    name: Deutsch\n    dir: ltr\npages:/' content/site.yaml
sed -i 's/^      fr: "du lundi/      de: "Montag bis Freitag"\n      fr: "du lundi/' content/site.yaml
