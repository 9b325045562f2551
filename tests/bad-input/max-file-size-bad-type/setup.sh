# max_file_size must be a number of bytes.
sed -i 's/^pages:/max_file_size: 1 MiB\npages:/' content/site.yaml
