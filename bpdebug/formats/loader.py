"""TOML graph file → ``Graph``: every rule of the graph format, every fault a clear one-line error.

Errors read ``FILE:LINE:COL: error: …`` for TOML syntax and ``FILE:LINE: error: …`` for the rest
(the line is found by looking for the id or key in the text, as TOML parsers keep no positions).
"""

from __future__ import annotations

import io
import lzma
import math
import os
import re
import struct
import sys
import tomllib
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from bpdebug.core.graph import CycleFound, Graph, Leaf, Node, forward_order
from bpdebug.core.ops import OPS, Op, Param, ShapeError
from bpdebug.support.errors import GraphError, did_you_mean
from bpdebug.support.files import FileRefused, exists, open_regular, read_bounded
from bpdebug.support.gcpause import paused_gc
from bpdebug.support.safe_text import codepoint, escape_text, first_unsafe, shorten

MAX_NDIM = 32  # numpy's own limit is 64
MAX_NPY_HEADER = 10_000  # bytes: numpy's own default limit, applied before the header is read
FLOAT_MAX = sys.float_info.max
# what reading a damaged or strange data file can raise, besides GraphError
_READ_ERRORS = (
    OSError,
    ValueError,
    EOFError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    zlib.error,
    lzma.LZMAError,
    struct.error,
    SyntaxError,  # a .npy header that is not a Python literal
    OverflowError,
    KeyError,
    TypeError,
)


def _limit(name: str, default: int) -> int:
    """A limit, raised (or lowered) by the environment variable BPDEBUG_<name>."""
    try:
        return int(os.environ.get(f"BPDEBUG_{name}", default))
    except ValueError:
        return default


def _raise_hint(name: str) -> str:
    return f"set BPDEBUG_{name} to change the limit"


ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

TOP_KEYS = ("title", "description", "output", "inputs", "nodes")
NODE_KEYS = ("id", "op", "inputs", "label")
LEAF_KEYS = ("value", "label", "grad")
INIT_KEYS = ("init", "shape", "scale", "seed")
FILE_KEYS = ("file", "key")
INITS = ("normal", "uniform", "zeros", "ones")


def load(source: str | Path) -> Graph:
    """Load a graph file, or a bundled graph by name (``"problem2"``)."""
    path = Path(source)
    if not path.suffix and not exists(path):
        from bpdebug.formats.bundled import bundled_path

        found = bundled_path(str(source))
        if found is not None:
            path = found
    with paused_gc():
        return _Loader(path).load()


def loads(text: str, path: str | Path = "<graph>") -> Graph:
    """Load a graph from TOML text; data files are looked up next to *path*."""
    with paused_gc():
        return _Loader(Path(path)).from_text(text)


class _Loader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = shorten(str(path))  # escaped, as all of a message is, by GraphError
        self.lines: list[str] = []
        self.leaf_elements = 0  # numbers held by the leaves made so far: the total budget

    # --- errors ----------------------------------------------------------------------------
    def fail(self, message: str, *near: str) -> GraphError:
        line = self._locate(near)
        where = f"{self.name}:{line}" if line else self.name
        return GraphError(f"{where}: error: {message}")

    def _locate(self, near: tuple[str, ...]) -> int | None:
        """The first line that mentions near[0], then near[1] after it, and so on."""
        start, found = 0, None
        for needle in near:
            pattern = re.compile(rf"(^|[\s{{,\[\"'])[\"']?{re.escape(needle)}[\"']?\s*(=|[,\]}}]|$)")
            for index in range(start, len(self.lines)):
                if pattern.search(self.lines[index]):
                    start, found = index, index + 1
                    break
        return found

    # --- the file ----------------------------------------------------------------------------
    def load(self) -> Graph:
        limit = _limit("MAX_FILE_BYTES", 64 * 1024 * 1024)
        too_big = GraphError(
            f"{self.name}: error: the file is larger than {limit:,} bytes, the limit for graph files "
            f"(put large arrays in a .npy/.npz file next to it, or {_raise_hint('MAX_FILE_BYTES')})"
        )
        try:
            handle, size = open_regular(self.path)
        except FileRefused as refused:
            hint = " (try `bpdebug --list` for the bundled graphs)" if str(refused) == "no such file" else ""
            raise GraphError(f"{self.name}: error: {refused}{hint}") from None
        with handle:
            if size > limit:
                raise too_big
            try:
                data = read_bounded(handle, limit)  # bounded: the file may grow as it is read
            except OSError as error:
                raise GraphError(f"{self.name}: error: cannot read the file: {error.strerror}") from None
        if data is None:
            raise too_big
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise GraphError(f"{self.name}:{line}: error: the file is not valid UTF-8 text") from None
        return self.from_text(text)

    def from_text(self, text: str) -> Graph:
        self.lines = text.splitlines()
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise self._syntax_error(str(error)) from None
        except RecursionError:
            raise GraphError(f"{self.name}: error: the TOML is nested too deeply") from None
        except ValueError as error:  # an integer past Python's digit limit for int()
            line = _first_line_matching(text, rf"\d{{{sys.get_int_max_str_digits()},}}")
            where = f"{self.name}:{line}" if line else self.name
            raise GraphError(f"{where}: error: a number has too many digits to read ({error})") from None
        return self._graph(doc)

    def _syntax_error(self, message: str) -> GraphError:
        match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if match:
            text = message[: match.start()]
            return GraphError(f"{self.name}:{match[1]}:{match[2]}: error: {text}")
        match = re.search(r"\s*\(at end of document\)$", message)
        if match:
            line = max(len(self.lines), 1)
            col = len(self.lines[-1]) + 1 if self.lines else 1
            return GraphError(f"{self.name}:{line}:{col}: error: {message[: match.start()]}")
        return GraphError(f"{self.name}: error: {message}")

    def _check_keys(self, table: dict, allowed: tuple[str, ...], what: str, *near: str) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(
                    f"{what}: unknown key {key!r}{did_you_mean(key, allowed)}; "
                    f"expected one of: {', '.join(allowed)}",
                    *near,
                    key,
                )

    # --- the graph --------------------------------------------------------------------------
    def _graph(self, doc: dict) -> Graph:
        self._check_keys(doc, TOP_KEYS, "top level")
        title = self._text(doc, "title", "top level") or escape_text(self.path.stem)
        description = self._text(doc, "description", "top level", lines=True) or ""

        inputs = doc.get("inputs", {})
        if not isinstance(inputs, dict):
            raise self.fail("'inputs' must be a table ([inputs] with name = value lines)", "inputs")
        raw_nodes = doc.get("nodes")
        if raw_nodes is None:
            raise self.fail("the graph has no nodes; add at least one [[nodes]] table")
        if not isinstance(raw_nodes, list) or not all(isinstance(n, dict) for n in raw_nodes):
            raise self.fail("'nodes' must be an array of tables ([[nodes]] sections)", "nodes")
        if not raw_nodes:
            raise self.fail("the graph has no nodes; add at least one [[nodes]] table")
        limit = _limit("MAX_NODES", 1_000_000)
        if len(raw_nodes) > limit:
            raise self.fail(
                f"the graph has {len(raw_nodes):,} nodes; the limit is {limit:,} ({_raise_hint('MAX_NODES')})"
            )

        leaves: dict[str, Leaf] = {}
        for name, spec in inputs.items():
            self._check_id(name, f"input {name!r}", name)
            leaves[name] = self._leaf(name, spec)

        nodes = self._nodes(raw_nodes, leaves)
        try:
            ordered = forward_order(nodes)
        except CycleFound as cycle:
            raise self.fail(
                f"the nodes form a cycle: {cycle}; a node may only use values computed before it",
                "id",
                cycle.members[0],
            ) from None
        ordered = self._with_shapes(ordered, leaves)

        output = doc.get("output", raw_nodes[-1].get("id"))
        if not isinstance(output, str):
            raise self.fail("'output' must be a node id (a string)", "output")
        node_ids = {n.id for n in nodes}
        if output not in node_ids:
            if output in leaves:
                raise self.fail(f"output {output!r} is an input; the output must be a node", "output")
            raise self.fail(f"output {output!r} is not a node{did_you_mean(output, node_ids)}", "output")
        graph = Graph(title, description, output, leaves, tuple(ordered), self.path)
        self._check_total(graph)
        return graph

    def _text(self, table: dict, key: str, what: str, *near: str, lines: bool = False) -> str | None:
        """A title, description or label: a string without control or invisible characters."""
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(f"{what}: {key!r} must be a string, got {_type_name(value)}", *near, key)
        bad = first_unsafe(value, allowed="\t\n" if lines else "\t")
        if bad is not None:
            kind = "a line break" if bad in "\n\r\u2028\u2029" else "a control or invisible character"
            raise self.fail(
                f"{what}: {key!r} contains {kind} ({codepoint(bad)}); text may not hold characters "
                "that a terminal would act on or hide"
                + ("" if lines else " (only 'description' may span lines)"),
                *near,
                key,
            )
        return value if lines else value.replace("\t", " ")

    def _check_id(self, name: Any, what: str, *near: str) -> None:
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            raise self.fail(
                f"{what}: {name!r} is not a valid id; ids are letters, digits and _ and do not "
                'start with a digit (use label = "..." for any other text)',
                *near,
            )

    # --- leaves -------------------------------------------------------------------------------
    def _leaf(self, name: str, spec: Any) -> Leaf:
        what = f"input {name!r}"
        label, grad = None, True
        if isinstance(spec, dict) and "value" in spec:
            self._check_keys(spec, LEAF_KEYS, what, name)
            label = self._text(spec, "label", what, name)
            grad = spec.get("grad", True)
            if not isinstance(grad, bool):
                raise self.fail(f"{what}: 'grad' must be true or false", name, "grad")
            spec = spec["value"]
        elif isinstance(spec, dict) and ("label" in spec or "grad" in spec):
            # extension: label and grad next to init/file, without a `value` wrapper
            label = self._text(spec, "label", what, name)
            grad = spec.get("grad", True)
            if not isinstance(grad, bool):
                raise self.fail(f"{what}: 'grad' must be true or false", name, "grad")
            spec = {k: v for k, v in spec.items() if k not in ("label", "grad")}
        return Leaf(name, self._value(spec, what, name), label, grad)

    def _value(self, spec: Any, what: str, *near: str) -> Any:
        if isinstance(spec, bool):
            raise self.fail(f"{what}: expected a number or an array, got a boolean", *near)
        if isinstance(spec, int | float):
            return self._float(spec, what, *near)
        if isinstance(spec, list):
            return _freeze(self._nested_array(spec, what, *near))
        if isinstance(spec, dict):
            if "init" in spec:
                return _freeze(self._generated(spec, what, *near))
            if "file" in spec:
                return _freeze(self._from_file(spec, what, *near))
            raise self.fail(
                f"{what}: a table value needs 'value', 'init' or 'file'"
                + (f"; unknown key {next(iter(spec))!r}" if spec else ""),
                *near,
            )
        raise self.fail(f"{what}: expected a number or an array, got {_type_name(spec)}", *near)

    def _nested_array(self, spec: list, what: str, *near: str) -> Any:
        shape: list[int] = []
        level: Any = spec
        while isinstance(level, list):
            if not level:
                raise self.fail(f"{what}: an empty array is not allowed", *near)
            shape.append(len(level))
            if len(shape) > MAX_NDIM:
                raise self.fail(f"{what}: the array has more than {MAX_NDIM} axes", *near)
            level = level[0]
        # walk every element: ragged rows and non-numbers get a clear message, not numpy's
        stack = [(spec, 0, ())]
        while stack:
            items, depth, index = stack.pop()
            if len(items) != shape[depth]:
                raise self.fail(
                    f"{what}: ragged array: row {_index_text(index)} has {len(items)} items, "
                    f"expected {shape[depth]} (rows must all be the same length)",
                    *near,
                )
            for k, item in enumerate(items):
                if depth + 1 < len(shape):
                    if not isinstance(item, list):
                        raise self.fail(
                            f"{what}: ragged array: item {_index_text((*index, k))} is a number "
                            "where a row was expected",
                            *near,
                        )
                    stack.append((item, depth + 1, (*index, k)))
                elif isinstance(item, bool) or not isinstance(item, int | float):
                    kind = "a row" if isinstance(item, list) else _type_name(item)
                    raise self.fail(
                        f"{what}: item {_index_text((*index, k))} is {kind}, expected a number",
                        *near,
                    )
                elif isinstance(item, int) and abs(item) > FLOAT_MAX:
                    self._float(item, f"{what}: item {_index_text((*index, k))}", *near)
        self._count_leaf(math.prod(shape), what, *near)
        return np.array(spec, dtype=np.float64)

    def _float(self, value: int | float, what: str, *near: str) -> float:
        """A TOML number as float64; an integer beyond float64's range is refused, not rounded."""
        try:
            return float(value)
        except OverflowError:
            digits = len(str(abs(value))) if abs(value).bit_length() < 14_000 else "thousands of"
            raise self.fail(
                f"{what}: the number ({digits} digits) is too large for float64, whose largest "
                f"value is about {FLOAT_MAX:.3g}",
                *near,
            ) from None

    def _generated(self, spec: dict, what: str, *near: str) -> Any:
        self._check_keys(spec, INIT_KEYS, what, *near)
        init = spec["init"]
        if init not in INITS:
            raise self.fail(
                f"{what}: unknown init {init!r}{did_you_mean(str(init), INITS)}; "
                f"expected one of: {', '.join(INITS)}",
                *near,
                "init",
            )
        shape = spec.get("shape")
        if shape is None:
            raise self.fail(f"{what}: init = {init!r} needs a shape, e.g. shape = [2, 3]", *near)
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = [shape]
        if not isinstance(shape, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in shape
        ):
            raise self.fail(f"{what}: 'shape' must be a list of whole numbers, e.g. [2, 3]", *near, "shape")
        if len(shape) > MAX_NDIM:
            raise self.fail(f"{what}: the shape has more than {MAX_NDIM} axes", *near, "shape")
        if any(n < 0 for n in shape):
            raise self.fail(f"{what}: 'shape' {shape} has a negative length", *near, "shape")
        if any(n == 0 for n in shape):
            raise self.fail(
                f"{what}: 'shape' {shape} makes an empty array, which is not allowed", *near, "shape"
            )
        self._check_size(math.prod(shape), what, *near)
        self._count_leaf(math.prod(shape), what, *near)
        if init in ("zeros", "ones"):
            for key in ("scale", "seed"):
                if key in spec:
                    raise self.fail(f"{what}: init = {init!r} takes no {key!r}", *near, key)
            return (np.zeros if init == "zeros" else np.ones)(shape)
        scale = spec.get("scale", 1.0)
        if not _is_finite_number(scale):
            raise self.fail(f"{what}: 'scale' must be a finite number", *near, "scale")
        seed = spec.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise self.fail(f"{what}: 'seed' must be a whole number ≥ 0", *near, "seed")
        rng = np.random.default_rng(seed)
        if init == "normal":
            return rng.normal(0.0, float(scale), shape)
        return rng.uniform(-float(scale), float(scale), shape)

    def _check_size(self, elements: int, what: str, *near: str) -> None:
        limit = _limit("MAX_ELEMENTS", 100_000_000)
        if elements > limit:
            raise self.fail(
                f"{what}: the array would hold {elements:,} elements; the limit is {limit:,} per "
                f"array ({_raise_hint('MAX_ELEMENTS')})",
                *near,
            )

    def _count_leaf(self, elements: int, what: str, *near: str) -> None:
        """Add a leaf's numbers to the total, refusing it before its memory is allocated."""
        self.leaf_elements += elements
        limit = _limit("MAX_TOTAL_ELEMENTS", 200_000_000)
        if self.leaf_elements > limit:
            raise self.fail(
                f"{what}: the inputs would hold {self.leaf_elements:,} numbers in all; the limit "
                f"for a whole graph is {limit:,} ({_bytes(limit)}) ({_raise_hint('MAX_TOTAL_ELEMENTS')})",
                *near,
            )

    def _check_total(self, graph: Graph) -> None:
        """All the numbers the trace will hold: every value, and every gradient sent along an edge
        (a value read by k nodes receives k of them), checked before anything is computed."""
        shapes = {name: leaf.shape for name, leaf in graph.leaves.items()}
        total = sum(math.prod(s) for s in shapes.values())
        for node in graph.nodes:
            shapes[node.id] = node.shape
            total += math.prod(node.shape) + sum(math.prod(shapes[i]) for i in node.inputs)
        limit = _limit("MAX_TOTAL_ELEMENTS", 200_000_000)
        if total > limit:
            raise GraphError(
                f"{self.name}: error: the graph's values and gradients would hold about {total:,} "
                f"numbers ({_bytes(total)}); the limit is {limit:,} ({_raise_hint('MAX_TOTAL_ELEMENTS')})"
            )

    def _from_file(self, spec: dict, what: str, *near: str) -> Any:
        self._check_keys(spec, FILE_KEYS, what, *near)
        rel = spec["file"]
        if not isinstance(rel, str) or not rel:
            raise self.fail(f"{what}: 'file' must be a path (a string)", *near, "file")
        key = spec.get("key")
        if key is not None and not isinstance(key, str):
            raise self.fail(f"{what}: 'key' must be a string", *near, "key")
        shown = shorten(rel)
        suffix = Path(rel).suffix.lower()
        if suffix not in (".npy", ".npz"):
            raise self.fail(f"{what}: data file {shown!r} must be .npy or .npz", *near, "file")
        if suffix == ".npy" and key is not None:
            raise self.fail(f"{what}: 'key' is only for .npz archives", *near, "key")
        data_path = self.path.parent / rel
        try:
            handle, size = open_regular(data_path)
        except FileRefused as refused:
            reason = str(refused)
            if reason == "no such file":
                reason = f" not found (looked for {shorten(str(data_path))})"
            else:
                reason = f" {reason}" if reason.startswith("is ") else f": {reason}"
            raise self.fail(f"{what}: data file {shown!r}{reason}", *near, "file") from None
        try:
            with handle:
                if suffix == ".npy":
                    return self._read_npy(handle, size, what, shown, *near)
                return self._read_npz(handle, key, what, shown, *near)
        except GraphError:
            raise
        except MemoryError:
            raise self.fail(f"{what}: data file {shown!r}: out of memory while reading it", *near) from None
        except _READ_ERRORS as error:
            reason = _read_error_text(error)
            raise self.fail(f"{what}: cannot read data file {shown!r}: {reason}", *near, "file") from None

    def _read_npz(self, handle: BinaryIO, key: str | None, what: str, rel: str, *near: str) -> Any:
        with zipfile.ZipFile(handle) as archive:
            infos = {i.filename[:-4]: i for i in archive.infolist() if i.filename.endswith(".npy")}
            names = ", ".join(sorted(infos)[:20]) + (", …" if len(infos) > 20 else "")
            if key is None:
                if len(infos) != 1:
                    raise self.fail(
                        f"{what}: {rel!r} holds {len(infos)} arrays ({names}); name one with key = \"...\"",
                        *near,
                        "file",
                    )
                key = next(iter(infos))
            if key not in infos:
                raise self.fail(
                    f"{what}: {rel!r} has no array {key!r}{did_you_mean(key, infos)}; it holds: "
                    f"{names or 'nothing'}",
                    *near,
                    "key",
                )
            info = infos[key]
            with archive.open(info) as member:
                return self._read_npy(member, info.file_size, what, f"{rel}[{key}]", *near)

    def _read_npy(self, handle: BinaryIO, size: int, what: str, rel: str, *near: str) -> Any:
        """Read the header first, with its length bounded; refuse object arrays and shapes that
        are negative or too large before any memory is allocated for the data."""
        start = handle.read(8)
        if len(start) < 8 or start[:6] != b"\x93NUMPY":
            raise self.fail(f"{what}: {rel!r} is not a .npy file", *near, "file")
        version = (start[6], start[7])
        length_format = {(1, 0): "<H", (2, 0): "<I"}.get(version)
        if length_format is None:
            raise self.fail(f"{what}: {rel!r} uses an unsupported .npy version {version}", *near, "file")
        length_bytes = handle.read(struct.calcsize(length_format))
        if len(length_bytes) < struct.calcsize(length_format):
            raise self.fail(f"{what}: {rel!r} is truncated", *near, "file")
        (header_length,) = struct.unpack(length_format, length_bytes)
        if header_length > MAX_NPY_HEADER:
            raise self.fail(
                f"{what}: {rel!r} declares a header of {header_length:,} bytes; the limit is "
                f"{MAX_NPY_HEADER:,}",
                *near,
                "file",
            )
        header = handle.read(header_length)
        if len(header) < header_length:
            raise self.fail(f"{what}: {rel!r} is truncated", *near, "file")
        # numpy parses the header (a Python literal, read without eval) from the bounded copy
        npy = np.lib.format
        reader = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran, dtype = reader(io.BytesIO(length_bytes + header))
        if dtype.hasobject:
            raise self.fail(
                f"{what}: {rel!r} holds Python objects, which could run code when loaded; "
                "only numeric arrays are accepted",
                *near,
                "file",
            )
        if dtype.kind not in "biuf":
            raise self.fail(f"{what}: {rel!r} holds {dtype} data; expected numbers", *near, "file")
        if len(shape) > MAX_NDIM:
            raise self.fail(f"{what}: {rel!r} has more than {MAX_NDIM} axes", *near, "file")
        if any(n < 0 for n in shape):
            raise self.fail(f"{what}: {rel!r} declares a negative length in its shape {shape}", *near, "file")
        count = math.prod(shape)
        if count == 0:
            raise self.fail(f"{what}: {rel!r} is an empty array, which is not allowed", *near, "file")
        self._check_size(count, what, *near)
        needed = count * dtype.itemsize
        if 8 + len(length_bytes) + header_length + needed > size:
            raise self.fail(f"{what}: {rel!r} is truncated (its header promises more data)", *near, "file")
        self._count_leaf(count, what, *near)
        raw = handle.read(needed)
        if len(raw) != needed:
            raise self.fail(f"{what}: {rel!r} is truncated", *near, "file")
        array = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
        if not shape:
            return float(array)  # a 0-d array: a scalar leaf
        return np.array(array, dtype=np.float64)

    # --- nodes --------------------------------------------------------------------------------
    def _nodes(self, raw_nodes: list[dict], leaves: dict[str, Leaf]) -> list[Node]:
        ids = set(leaves)
        declared = {n.get("id") for n in raw_nodes if isinstance(n.get("id"), str)} | ids
        nodes = []
        for index, raw in enumerate(raw_nodes):
            node_id = raw.get("id")
            if node_id is None:
                raise self.fail(f"node #{index + 1} (counting from 1) has no 'id'")
            self._check_id(node_id, f"node #{index + 1}", "id", str(node_id))
            what = f"node {node_id!r}"
            if node_id in ids:
                kind = "an input" if node_id in leaves else "another node"
                raise self.fail(f"{what}: duplicate id; {node_id!r} is already {kind}", "id", node_id)
            ids.add(node_id)

            op_name = raw.get("op")
            if op_name is None:
                raise self.fail(f"{what}: missing 'op'; expected one of: {', '.join(OPS)}", "id", node_id)
            op = OPS.get(op_name) if isinstance(op_name, str) else None
            if op is None:
                raise self.fail(
                    f"{what}: unknown op {op_name!r}{did_you_mean(str(op_name), OPS)}; "
                    f"expected one of: {', '.join(OPS)}",
                    "id",
                    node_id,
                    "op",
                )
            self._check_keys(raw, NODE_KEYS + tuple(op.params), what, "id", node_id)
            params = self._params(op, raw, what, node_id)
            label = self._text(raw, "label", what, "id", node_id)

            raw_inputs = raw.get("inputs")
            if raw_inputs is None:
                raise self.fail(
                    f"{what}: missing 'inputs'; op {op.name!r} takes {op.arity_text()}", "id", node_id
                )
            if not isinstance(raw_inputs, list):
                raise self.fail(f"{what}: 'inputs' must be a list of ids", "id", node_id, "inputs")
            count = len(raw_inputs)
            if count < op.min_inputs or (op.max_inputs is not None and count > op.max_inputs):
                raise self.fail(
                    f"{what}: op {op.name!r} takes {op.arity_text()}, got {count}",
                    "id",
                    node_id,
                    "inputs",
                )
            input_ids, keys = [], []
            for position, item in enumerate(raw_inputs, start=1):
                if isinstance(item, str):
                    if item not in declared:
                        raise self.fail(
                            f"{what}: unknown input {item!r}{did_you_mean(item, declared)}",
                            "id",
                            node_id,
                            "inputs",
                        )
                    input_ids.append(item)
                    keys.append(item)
                elif isinstance(item, int | float) and not isinstance(item, bool):
                    const_id = f"{node_id}#{position}"
                    number = self._float(item, f"{what}: input {position}", "id", node_id, "inputs")
                    leaves[const_id] = Leaf(const_id, number, None, False, anonymous=True)
                    input_ids.append(const_id)
                    keys.append(f"#{position}")
                else:
                    raise self.fail(
                        f"{what}: input {position} is {_type_name(item)}; expected an id or a number",
                        "id",
                        node_id,
                        "inputs",
                    )
            nodes.append(Node(node_id, op, tuple(input_ids), tuple(keys), params, label, (), index))
        return nodes

    def _params(self, op: Op, raw: dict, what: str, node_id: str) -> dict:
        params = {}
        for key, spec in op.params.items():
            if key not in raw:
                if spec.required:
                    raise self.fail(f"{what}: op {op.name!r} needs {key!r}", "id", node_id)
                if spec.default is not None:
                    params[key] = spec.default
                continue
            params[key] = self._param(spec, raw[key], f"{what}: {key!r}", "id", node_id, key)
        return params

    def _param(self, spec: Param, value: Any, what: str, *near: str) -> Any:
        if spec.kind == "bool":
            if not isinstance(value, bool):
                raise self.fail(f"{what} must be true or false", *near)
            return value
        if spec.kind == "number":
            if not _is_finite_number(value):
                raise self.fail(f"{what} must be a finite number", *near)
            if abs(value) > 1e6:
                raise self.fail(
                    f"{what} {value} is too large; the limit is ±1,000,000 (powers beyond it "
                    "overflow float64 for any input other than 0 and ±1)",
                    *near,
                )
            return float(value)
        # an axis: an integer or a list of integers
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
            raise self.fail(f"{what} must be a whole number or a list of whole numbers", *near)
        return value

    def _with_shapes(self, ordered: list[Node], leaves: dict[str, Leaf]) -> list[Node]:
        """Work out each node's shape (no arithmetic), so shape faults surface at load time."""
        shapes = {name: leaf.shape for name, leaf in leaves.items()}
        result = []
        for node in ordered:
            in_shapes = [shapes[i] for i in node.inputs]
            try:
                shape = node.op.infer_shape(in_shapes, node.params)
            except ShapeError as error:
                described = ", ".join(
                    f"{k} {_shape_of(s)}" for k, s in zip(node.keys, in_shapes, strict=True)
                )
                raise self.fail(
                    f"node {node.id!r}: shape mismatch for {node.op.name!r}: {error} (inputs: {described})",
                    "id",
                    node.id,
                ) from None
            self._check_size(math.prod(shape), f"node {node.id!r}", "id", node.id)
            if node.op.name == "softmax_with_loss" and node.inputs[1] in leaves:
                self._check_labels(
                    node,
                    leaves[node.inputs[1]].value,
                    leaves[node.inputs[0]].value if node.inputs[0] in leaves else None,
                    in_shapes[0],
                )
            shapes[node.id] = shape
            result.append(_replace_shape(node, shape))
        return result

    def _check_labels(self, node: Node, t: Any, _x: Any, x_shape: tuple[int, ...]) -> None:
        if np.shape(t) == x_shape:
            return
        t = np.asarray(t)
        classes = x_shape[-1]
        if not np.all((t == np.round(t)) & (t >= 0) & (t < classes)):
            raise self.fail(
                f"node {node.id!r}: class labels t must be whole numbers from 0 to {classes - 1}",
                "id",
                node.id,
            )


def _replace_shape(node: Node, shape: tuple[int, ...]) -> Node:
    return Node(node.id, node.op, node.inputs, node.keys, node.params, node.label, shape, node.file_index)


def _freeze(array: Any) -> Any:
    if isinstance(array, float):
        return array
    if array.ndim == 0:
        return float(array)
    array.setflags(write=False)
    return array


def _read_error_text(error: Exception) -> str:
    if isinstance(error, zlib.error | lzma.LZMAError | EOFError):
        return f"its compressed data is corrupt ({error or 'it ends too early'})"
    if isinstance(error, NotImplementedError):
        return "it uses a compression method that cannot be read (use np.savez or np.savez_compressed)"
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return "the array is encrypted (password-protected)"
    return str(error) or type(error).__name__


def _is_finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= FLOAT_MAX if isinstance(value, int) else math.isfinite(value)


def _bytes(elements: int) -> str:
    return f"{elements * 8 / 1e9:.1f} GB of float64"


def _first_line_matching(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _shape_of(shape: tuple[int, ...]) -> str:
    return (
        "scalar" if not shape else "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    )


def _index_text(index: tuple[int, ...]) -> str:
    return "[" + "][".join(map(str, index)) + "]" if index else "[]"


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        str: "a string",
        dict: "a table",
        list: "an array",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
