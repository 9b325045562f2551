# The same unknown variable without --strict: renders as empty, as the
# Mustache spec says. Accepted.
sed -i 's/^{{{page.content}}}$/{{{page.content}}}\n<p>{{ page.titel }}<\/p>/' templates/page.mustache
