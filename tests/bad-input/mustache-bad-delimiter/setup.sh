# A Set Delimiter tag with one delimiter only ({{=<% =}}).
printf '%s\n' '{{=<% =}}' >> templates/page.mustache
