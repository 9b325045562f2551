# A template that names a variable the context does not have (a typo for
# page.title), built with --strict: an error.
sed -i 's/^{{{page.content}}}$/{{{page.content}}}\n<p>{{ page.titel }}<\/p>/' templates/page.mustache
