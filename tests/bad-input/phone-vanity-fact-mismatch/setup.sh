# A vanity phone fact in site.yaml whose letters do not spell its digits
# (KP4CARS ends in 7, not 3), used by a page.
sed -i 's/^    tty: "711"/    tty: "711"\n    kp: "1-833-KP4CARS (1-833-574-2273)"/' content/site.yaml
printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\n---\n\nCall {{ phone.kp }}.\n' > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
