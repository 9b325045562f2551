# A page that is a symbolic link to another file inside content/: accepted.
mkdir -p content/shared
sed 's/^title: .*/title: Extra page/' content/en/about.md > content/shared/extra-en.md
sed 's/^title: .*/title: Page extra/' content/fr/about.md > content/shared/extra-fr.md
ln -s ../shared/extra-en.md content/en/extra.md
ln -s ../shared/extra-fr.md content/fr/extra.md
