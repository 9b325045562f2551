# Two English pages that ask for the same address.
printf -- '---\ntitle: About this guide\ndescription: x\ntranslation: source\nslug: same\n---\n\nText.\n' > content/en/about.md
printf -- '---\ntitle: Notice\ndescription: x\ntranslation: source\nslug: same\n---\n\n## Your rights\n\nText.\n' > content/en/notice.md
