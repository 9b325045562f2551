# site.yaml is a symbolic link to a file outside content/.
cp content/site.yaml ../outside-site.yaml
rm content/site.yaml
ln -s "$(cd .. && pwd)/outside-site.yaml" content/site.yaml
