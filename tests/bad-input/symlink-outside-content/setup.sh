# A page that is a symbolic link to a file outside content/ (it could be any
# file the builder can read, e.g. /etc/passwd).
printf -- '---\ntitle: Secret\ndescription: x\n---\n\nSecret.\n' > ../outside-secret.md
ln -s "$(cd .. && pwd)/outside-secret.md" content/en/secret.md
ln -s ../../../outside-secret.md content/fr/secret.md
