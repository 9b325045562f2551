# A misspelt key in site.yaml ("footer_link"), a warning with a suggestion,
# an error under --strict.
sed -i 's/^footer_links:/footer_link:/' content/site.yaml
