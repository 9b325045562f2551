# A page of zero bytes (an editor saved before anything was typed).
: > content/en/about.md
