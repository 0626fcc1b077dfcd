"""Graphs written as formulas: ``-e "z = (x + y) ** 2"`` on the command line, and
``expr = "..."`` nodes in a graph file. ``parse`` reads a formula (nothing is evaluated),
``expand`` turns it into one node per operation, ``in_files`` and ``command_line`` put those
nodes into a graph.
"""
