# A UTF-16 surrogate encoded as UTF-8 (0xED 0xA0 0x80, "CESU-8"): invalid.
printf -- '---\ntitle: About this guide\ndescription: What this guide covers.\norder: 2\ntranslation: source\n---\n\nBad \355\240\200 here.\n' > content/en/about.md
