"""What a trace is: the graph, its values, the ops, the engine that runs them, the gradient check.
No Textual, no sentences.
"""
