# A YAML syntax error in site.yaml (an unclosed flow list).
# The problem is the unclosed "[" at line 10, column 8, which is where the
# diagnostic must point (libyaml reports the line after, where it gave up;
# its context_mark is the start of the flow sequence).
sed -i 's/^pages: \[index, about, notice\]/pages: [index, about, notice/' content/site.yaml
