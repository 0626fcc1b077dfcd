"""bpdebug: step through the forward and backward pass of a computational graph.

>>> import bpdebug
>>> trace = bpdebug.run(bpdebug.load("problem2"))
>>> round(trace.grads["tax"], 9)
650.0

The names below are imported when first used, so that ``bpdebug --version`` or the app's
start-up do not pay for numpy before they need it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from bpdebug._version import __version__

if TYPE_CHECKING:
    from bpdebug.core.engine import run
    from bpdebug.core.graph import Graph
    from bpdebug.core.trace import BackwardStep, ForwardStep, Trace
    from bpdebug.formats.toml import load, loads
    from bpdebug.support.errors import GraphError

_HOMES = {
    "BackwardStep": "bpdebug.core.trace",
    "ForwardStep": "bpdebug.core.trace",
    "Trace": "bpdebug.core.trace",
    "run": "bpdebug.core.engine",
    "GraphError": "bpdebug.support.errors",
    "Graph": "bpdebug.core.graph",
    "load": "bpdebug.formats.toml",
    "loads": "bpdebug.formats.toml",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'bpdebug' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
