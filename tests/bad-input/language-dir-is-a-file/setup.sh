# The French folder is a file: the diagnostic names the language's entry in
# site.yaml and says what is wrong with the folder.
rm -r content/fr
echo "not a folder" > content/fr
