# A tag that is never closed ({{ page.title without }}).
printf '<p>{{ page.title </p>\n' >> templates/page.mustache
