# A page that starts with a BOM and has an invalid byte on its first line:
# columns count the bytes after the BOM (what an editor shows), so the 0xFF
# after "---" is column 4.
printf '\357\273\277---\377\ntitle: About\n---\n\nText.\n' > content/en/about.md
