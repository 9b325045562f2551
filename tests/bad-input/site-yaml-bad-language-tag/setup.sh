# A language tag that is not BCP 47 and would be a path: '../fr'.
sed -i 's/^  - tag: fr/  - tag: ..\/fr/' content/site.yaml
