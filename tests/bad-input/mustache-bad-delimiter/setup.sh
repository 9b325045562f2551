# A Set Delimiter tag with one delimiter only ({{=<% =}}).
printf '{{=<% =}}\n' >> templates/page.mustache
