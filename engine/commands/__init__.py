"""One module per command family; each has `register(subparsers)`. engine/cli.py lists them."""
