# The theme lacks a required template (404.mustache).
rm templates/404.mustache
