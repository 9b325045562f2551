# LF, CRLF and lone CR (classic Mac) line ends in one file: all accepted.
printf -- '---\r\ntitle: About this guide\rdescription: What this guide covers.\norder: 2\r\ntranslation: source\r---\n\nLine one.\r\nLine two.\rLine three.\n\n## Hours\r\n\r\nOpen.\n' > content/en/about.md
