# The same unknown variable without --strict: renders as empty, as the
# Mustache spec says. Accepted.
printf '<p>{{ page.titel }}</p>\n' >> templates/page.mustache
