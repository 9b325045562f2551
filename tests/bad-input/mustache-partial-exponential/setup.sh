# Partials that each include the next twice: 2^40 copies within the depth
# limit. Stopped by the output limit, quickly and without running out of
# memory.
i=0
while [ $i -lt 40 ]; do
	printf '{{> b%d}}{{> b%d}}' $((i + 1)) $((i + 1)) > templates/partials/b$i.mustache
	i=$((i + 1))
done
printf 'xxxxxxxxxxxxxxxx' > templates/partials/b40.mustache
printf '{{> b0}}\n' >> templates/page.mustache
