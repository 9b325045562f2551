# A section closed with the wrong name.
printf '{{#nav}}\n<p>x</p>\n{{/navs}}\n' >> templates/page.mustache
