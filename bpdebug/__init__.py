"""bpdebug: step through the forward and backward pass of a computational graph.

>>> import bpdebug
>>> trace = bpdebug.run(bpdebug.load("problem2"))
>>> round(trace.grads["tax"], 9)
650.0
"""

from __future__ import annotations

from bpdebug._version import __version__
from bpdebug.engine import BackwardStep, ForwardStep, Trace, run
from bpdebug.errors import GraphError
from bpdebug.graph import Graph
from bpdebug.loader import load, loads

__all__ = [
    "BackwardStep",
    "ForwardStep",
    "Graph",
    "GraphError",
    "Trace",
    "__version__",
    "load",
    "loads",
    "run",
]
