# Two partials that include each other.
printf '{{> pong}}\n' > templates/partials/ping.mustache
printf '{{> ping}}\n' > templates/partials/pong.mustache
printf '{{> ping}}\n' >> templates/page.mustache
