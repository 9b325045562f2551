# An overlong encoding of '/' (0xC0 0xAF), a classic way to hide a path
# separator from naive checks: invalid UTF-8, refused.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nSee ..\300\257secret.\n' > content/en/about.md
