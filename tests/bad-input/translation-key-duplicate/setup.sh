# Two English pages with the same translation key.
printf -- '---\ntitle: Extra page\ndescription: x\ntranslation: source\nkey: about\n---\n\nText.\n' > content/en/extra.md
printf -- '---\ntitle: Page extra\ndescription: x\ntranslation: provided\nkey: about\n---\n\nTexte.\n' > content/fr/extra.md
