# A CRLF page with an unknown fact on line 9: the line and column are those
# the author sees (CRLF is one line end, the CR is no column).
printf -- '---\r\ntitle: About this guide\r\ndescription: What this guide covers.\r\norder: 2\r\ntranslation: source\r\n---\r\n\r\nSee us.\r\nCall {{ phone.mian }}.\r\n' > content/en/about.md

# The case is about the English page, whose body differs from the one the
# French page was translated from: the French page goes (published from the
# English one with fallback: true), so that translation checks stay out.
rm content/fr/about.md
sed -i 's/^pages:/fallback: true\npages:/' content/site.yaml
