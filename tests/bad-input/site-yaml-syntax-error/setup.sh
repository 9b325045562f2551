# A YAML syntax error in site.yaml (an unclosed flow list).
sed -i 's/^pages: \[index, about, notice\]/pages: [index, about, notice/' content/site.yaml
