# A partial that includes itself: stopped at the nesting limit, not by a
# stack overflow.
printf 'x{{> loop}}\n' > templates/partials/loop.mustache
printf '{{> loop}}\n' >> templates/page.mustache
