# A Latin-1 byte (0xE9, "é" in ISO-8859-1) in the body of an otherwise UTF-8
# page: reported at its line, with the byte offset in the line as the column.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nThe caf\351 is open.\n' > content/en/about.md
