# 'languages' given as a single string.
sed -i '/^languages:/,/^pages:/c\languages: en, fr\npages: [index, about, notice]' content/site.yaml
