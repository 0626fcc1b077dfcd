"""Arrays from ``.npy`` and ``.npz`` files next to the graph: read by us within limits (the
header's length and the data's size checked before either is read), never unpickled.
"""

from __future__ import annotations

import io
import lzma
import math
import struct
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from bpdebug.formats.toml.document import MAX_NDIM
from bpdebug.support.errors import GraphError, did_you_mean
from bpdebug.support.files import FileRefused, open_regular
from bpdebug.support.safe_text import shorten

if TYPE_CHECKING:
    from bpdebug.formats.toml.values import Values

MAX_NPY_HEADER = 10_000  # bytes: numpy's own default limit, applied before the header is read
FILE_KEYS = ("file", "key")
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


def read_data_file(values: Values, spec: dict, what: str, *near: str) -> Any:
    values.doc.check_keys(spec, FILE_KEYS, what, *near)
    rel = spec["file"]
    if not isinstance(rel, str) or not rel:
        raise values.doc.fail(f"{what}: 'file' must be a path (a string)", *near, "file")
    key = spec.get("key")
    if key is not None and not isinstance(key, str):
        raise values.doc.fail(f"{what}: 'key' must be a string", *near, "key")
    shown = shorten(rel)
    suffix = Path(rel).suffix.lower()
    if suffix not in (".npy", ".npz"):
        raise values.doc.fail(f"{what}: data file {shown!r} must be .npy or .npz", *near, "file")
    if suffix == ".npy" and key is not None:
        raise values.doc.fail(f"{what}: 'key' is only for .npz archives", *near, "key")
    data_path = values.doc.path.parent / rel
    try:
        handle, size = open_regular(data_path)
    except FileRefused as refused:
        reason = str(refused)
        if reason == "no such file":
            reason = f" not found (looked for {shorten(str(data_path))})"
        else:
            reason = f" {reason}" if reason.startswith("is ") else f": {reason}"
        raise values.doc.fail(f"{what}: data file {shown!r}{reason}", *near, "file") from None
    try:
        with handle:
            if suffix == ".npy":
                return _read_npy(values, handle, size, what, shown, *near)
            return _read_npz(values, handle, key, what, shown, *near)
    except GraphError:
        raise
    except MemoryError:
        raise values.doc.fail(f"{what}: data file {shown!r}: out of memory while reading it", *near) from None
    except _READ_ERRORS as error:
        reason = _read_error_text(error)
        raise values.doc.fail(f"{what}: cannot read data file {shown!r}: {reason}", *near, "file") from None


def _read_npz(values: Values, handle: BinaryIO, key: str | None, what: str, rel: str, *near: str) -> Any:
    with zipfile.ZipFile(handle) as archive:
        infos = {i.filename[:-4]: i for i in archive.infolist() if i.filename.endswith(".npy")}
        names = ", ".join(sorted(infos)[:20]) + (", …" if len(infos) > 20 else "")
        if key is None:
            if len(infos) != 1:
                raise values.doc.fail(
                    f'{what}: {rel!r} holds {len(infos)} arrays ({names}); name one with key = "..."',
                    *near,
                    "file",
                )
            key = next(iter(infos))
        if key not in infos:
            raise values.doc.fail(
                f"{what}: {rel!r} has no array {key!r}{did_you_mean(key, infos)}; it holds: "
                f"{names or 'nothing'}",
                *near,
                "key",
            )
        info = infos[key]
        with archive.open(info) as member:
            return _read_npy(values, member, info.file_size, what, f"{rel}[{key}]", *near)


def _read_npy(values: Values, handle: BinaryIO, size: int, what: str, rel: str, *near: str) -> Any:
    """Read the header first, with its length bounded; refuse object arrays and shapes that
    are negative or too large before any memory is allocated for the data."""
    start = handle.read(8)
    if len(start) < 8 or start[:6] != b"\x93NUMPY":
        raise values.doc.fail(f"{what}: {rel!r} is not a .npy file", *near, "file")
    version = (start[6], start[7])
    length_format = {(1, 0): "<H", (2, 0): "<I"}.get(version)
    if length_format is None:
        raise values.doc.fail(f"{what}: {rel!r} uses an unsupported .npy version {version}", *near, "file")
    length_bytes = handle.read(struct.calcsize(length_format))
    if len(length_bytes) < struct.calcsize(length_format):
        raise values.doc.fail(f"{what}: {rel!r} is truncated", *near, "file")
    (header_length,) = struct.unpack(length_format, length_bytes)
    if header_length > MAX_NPY_HEADER:
        raise values.doc.fail(
            f"{what}: {rel!r} declares a header of {header_length:,} bytes; the limit is {MAX_NPY_HEADER:,}",
            *near,
            "file",
        )
    header = handle.read(header_length)
    if len(header) < header_length:
        raise values.doc.fail(f"{what}: {rel!r} is truncated", *near, "file")
    # numpy parses the header (a Python literal, read without eval) from the bounded copy
    npy = np.lib.format
    reader = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
    shape, fortran, dtype = reader(io.BytesIO(length_bytes + header))
    if dtype.hasobject:
        raise values.doc.fail(
            f"{what}: {rel!r} holds Python objects, which could run code when loaded; "
            "only numeric arrays are accepted",
            *near,
            "file",
        )
    if dtype.kind not in "biuf":
        raise values.doc.fail(f"{what}: {rel!r} holds {dtype} data; expected numbers", *near, "file")
    if len(shape) > MAX_NDIM:
        raise values.doc.fail(f"{what}: {rel!r} has more than {MAX_NDIM} axes", *near, "file")
    if any(n < 0 for n in shape):
        raise values.doc.fail(
            f"{what}: {rel!r} declares a negative length in its shape {shape}", *near, "file"
        )
    count = math.prod(shape)
    if count == 0:
        raise values.doc.fail(f"{what}: {rel!r} is an empty array, which is not allowed", *near, "file")
    values.check_size(count, what, *near)
    needed = count * dtype.itemsize
    if 8 + len(length_bytes) + header_length + needed > size:
        raise values.doc.fail(f"{what}: {rel!r} is truncated (its header promises more data)", *near, "file")
    values.count_leaf(count, what, *near)
    raw = handle.read(needed)
    if len(raw) != needed:
        raise values.doc.fail(f"{what}: {rel!r} is truncated", *near, "file")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    if not shape:
        return float(array)  # a 0-d array: a scalar leaf
    return np.array(array, dtype=np.float64)


def _read_error_text(error: Exception) -> str:
    if isinstance(error, zlib.error | lzma.LZMAError | EOFError):
        return f"its compressed data is corrupt ({error or 'it ends too early'})"
    if isinstance(error, NotImplementedError):
        return "it uses a compression method that cannot be read (use np.savez or np.savez_compressed)"
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return "the array is encrypted (password-protected)"
    return str(error) or type(error).__name__
