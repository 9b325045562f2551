# site.yaml is a symbolic link to a file that is gone: a dangling link, said
# so, not "outside the content directory" nor a missing site.yaml.
rm content/site.yaml
ln -s site-old.yaml content/site.yaml
