# Two pages whose titles transliterate to the same slug ("About this guide"
# and "About this guide!") with no slug given.
printf -- '---\ntitle: About this guide!\ndescription: x\ntranslation: source\n---\n\nText.\n' > content/en/about-2.md
printf -- '---\ntitle: À propos!\ndescription: x\ntranslation: provided\n---\n\nTexte.\n' > content/fr/about-2.md
