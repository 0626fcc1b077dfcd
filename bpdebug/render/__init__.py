"""Pure drawing: the layout of a graph in terminal cells and the painting of its rows, shared by
the app and by exports.
"""
