# A NUL byte in the middle of a line (a file saved as UTF-16, or binary junk).
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nHours\000 vary.\n' > content/en/about.md
