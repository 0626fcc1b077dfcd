"""What the learner is told: the cursor over a trace (``session``), each step as structured lines
(``explain``, ``focus``), every sentence (``messages``). No Textual.
"""
