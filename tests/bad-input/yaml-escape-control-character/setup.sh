# A fact whose double-quoted value has an escape that makes a control
# character ("\e", ESC). The file's bytes are clean, so the load check does
# not see it; the value would reach every page that uses the fact, which
# would not be well-formed. It must be refused at the value in site.yaml.
sed -i 's/^  org: "Example Health"/  org: "Example\\e Health"/' content/site.yaml
