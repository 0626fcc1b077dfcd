"""``--layers FILE.py``: the user's book-style classes, imported from the files they name.

This is the only place bpdebug runs code that is not its own, and only for a file named on the
command line (or given to ``bpdebug.load(..., layers=...)``); a graph file never names a file.
A file inside a package (a folder with ``__init__.py``) is imported by its dotted name, with the
first folder above the package on ``sys.path``, as pytest's "prepend" import mode does, so the
book's ``common/layers.py`` finds ``common.functions``; a file outside one is imported from its
path, its folder on ``sys.path`` for its own imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from bpdebug.core.layers import user_frames
from bpdebug.support.catalogs import say
from bpdebug.support.errors import GraphError

Classes = dict[str, type]


def load_layer_files(paths: Iterable[str | Path]) -> Classes:
    """Every class with ``forward`` and ``backward`` methods defined in the files, by name (a
    later file's class of the same name wins). GraphError, one line, for a file that cannot
    be imported."""
    classes: Classes = {}
    for given in paths:
        path = Path(given)
        if not path.is_file():
            raise GraphError(say("layers.no_file", file=str(given)))
        if path.suffix != ".py":
            raise GraphError(say("layers.not_python", file=str(given)))
        module = _import(path.resolve(), str(given))
        for name, value in vars(module).items():
            if _is_layer(value) and value.__module__ == module.__name__:
                classes[name] = value
    return classes


def _is_layer(value: object) -> bool:
    return (
        isinstance(value, type)
        and callable(getattr(value, "forward", None))
        and callable(getattr(value, "backward", None))
    )


def _import(path: Path, given: str) -> ModuleType:
    parts, folder = [path.stem], path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    try:
        if len(parts) > 1:
            name = ".".join(parts)
            known = sys.modules.get(name)  # imported before: its file may have changed since
            module = importlib.reload(known) if known is not None else importlib.import_module(name)
            if Path(module.__file__ or "").resolve() != path:
                raise GraphError(say("layers.shadowed", file=given, module=name))
            return module
        spec = importlib.util.spec_from_file_location(f"bpdebug_layers.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        return module
    except GraphError:
        raise
    except SyntaxError as error:
        raise GraphError(say("layers.syntax", file=given, line=error.lineno, reason=error.msg)) from None
    except Exception as error:  # importing the user's file ran the user's code
        raised = f"{type(error).__name__}: {error}"
        said = say("layers.import_raised", file=given, error=raised, where=user_frames(error) or "—")
        raise GraphError(said) from None
