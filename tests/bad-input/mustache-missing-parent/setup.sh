# The print template extends a parent that does not exist.
printf '{{<layout}}{{/layout}}\n' >> templates/print.mustache
