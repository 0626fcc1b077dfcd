"""Traces leaving the terminal: the ``--trace`` text table and JSON."""
