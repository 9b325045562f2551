# A page saved as UTF-16LE with a BOM (Windows Notepad's "Unicode"): the first
# byte 0xFF is not UTF-8.
printf -- '\377\376-\000-\000-\000\n\000' > content/en/about.md
