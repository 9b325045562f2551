# max_file_size larger than any size_t (1e300): converting it is undefined
# behaviour in C; it must be refused as a size, not become a limit of 0.
sed -i 's/^pages:/max_file_size: 1e300\npages:/' content/site.yaml
