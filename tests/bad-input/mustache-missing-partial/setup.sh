# The page template includes a partial that does not exist ("footr" for
# "footer").
printf '{{> footr}}\n' >> templates/page.mustache
