# A section opened in the page template and never closed.
printf '{{#nav}}\n<p>never closed</p>\n' >> templates/page.mustache
