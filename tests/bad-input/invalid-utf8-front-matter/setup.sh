# An invalid byte (0xFF never occurs in UTF-8) inside the front matter title.
printf -- '---\ntitle: About \377 guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nText.\n' > content/en/about.md
