# The French folder itself is a symbolic link to a folder outside content/:
# the pages in it are outside the source dir.
mkdir -p ../outside-lang
mv content/fr ../outside-lang/fr
ln -s "$(cd ../outside-lang && pwd)/fr" content/fr
