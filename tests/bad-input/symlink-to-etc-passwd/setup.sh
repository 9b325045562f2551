# A page that is a symbolic link to /etc/passwd.
ln -s /etc/passwd content/en/passwd.md
