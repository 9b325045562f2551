# A template that names a variable the context does not have (a typo for
# page.title), built with --strict: an error.
printf '<p>{{ page.titel }}</p>\n' >> templates/page.mustache
