"""Graph files: the TOML format (``toml``), the bundled graphs, graphs written by code."""
