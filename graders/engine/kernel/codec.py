"""A data-only wire format between the grader and a student's kernel.

The grader runs hidden tests in its own process and calls the student's functions in the
sandboxed kernel, so values cross between the two. ``pickle`` would let the kernel run
code in the grader (any ``__reduce__``); this format carries data and nothing else:

- a JSON tree of plain values (``None``, bools, ints, floats including nan and inf,
  strings), containers (list, tuple, dict, set, frozenset, slice, range) and tagged nodes;
- arrays as ``.npy`` blobs read with ``allow_pickle=False`` (object arrays become trees);
- pandas ``DataFrame``/``Series``/``Index`` as their columns, index and dtype names;
- numpy random ``Generator`` as its bit generator's state (so a seeded shuffle carries on);
- anything else as a *reference*: the sending side keeps the object and the other side
  gets a handle (``fn`` for callables, ``iter`` for iterators, ``fig`` for figures,
  ``obj`` for the rest), so a grader never holds a student's object, only its data.

This module imports only the standard library and numpy (pandas when a pandas value
appears), because the kernel imports it too (:mod:`graders.engine.boot`). ``decode`` bounds the size and depth of
what it reads: a hostile kernel gets an error, never the grader's memory.
"""

from __future__ import annotations

import io
import json
import math
import struct
import sys
from typing import Any, Callable

import numpy as np

from .. import EngineError

MAGIC = b"GRD1"
MAX_DEPTH = 64
MAX_NODES = 2_000_000
MAX_BYTES = 2 << 30


class CodecError(EngineError, ValueError):
    """The bytes are not a well-formed message of this format (or exceed its limits)."""


_PLAIN_ARRAY_KINDS = set("biufcmMSU")


def _pandas():
    return sys.modules.get("pandas")


class Encoder:
    """Turns a value into (tree, blobs). ``ref(obj, kind)`` decides what a reference is."""

    def __init__(self, ref: Callable[[Any, str], Any]) -> None:
        self.ref = ref
        self.blobs: list[bytes] = []
        self.nodes = 0

    def blob(self, data: bytes) -> int:
        self.blobs.append(data)
        return len(self.blobs) - 1

    def array(self, a: np.ndarray) -> dict:
        if a.dtype.kind in _PLAIN_ARRAY_KINDS and a.dtype.fields is None:
            buf = io.BytesIO()
            np.save(buf, np.ascontiguousarray(a) if a.ndim else a, allow_pickle=False)
            node = {"t": "nd", "b": self.blob(buf.getvalue())}
        else:
            node = {"t": "ndo", "shape": list(a.shape), "v": [self.enc(x) for x in a.ravel().tolist()]}
        if not a.flags.writeable:
            node["ro"] = True
        return node

    def enc(self, x: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            return self.ref(x, "obj")
        t = type(x)
        if x is None or t is bool or t is str:
            return x
        if t is int:
            return x if abs(x) < 2**53 else {"t": "int", "v": str(x)}
        if t is float:
            return x if math.isfinite(x) else {"t": "float", "v": repr(x)}
        d = depth + 1
        if t is list:
            return {"t": "list", "v": [self.enc(v, d) for v in x]}
        if t is tuple:
            return {"t": "tuple", "v": [self.enc(v, d) for v in x]}
        if t is dict:
            return {"t": "dict", "k": [self.enc(k, d) for k in x], "v": [self.enc(v, d) for v in x.values()]}
        if t in (set, frozenset):
            return {"t": t.__name__, "v": [self.enc(v, d) for v in x]}
        if t is complex:
            return {"t": "complex", "v": [repr(x.real), repr(x.imag)]}
        if t is bytes:
            return {"t": "bytes", "b": self.blob(x)}
        if t is slice:
            return {"t": "slice", "v": [self.enc(x.start, d), self.enc(x.stop, d), self.enc(x.step, d)]}
        if t is range:
            return {"t": "range", "v": [x.start, x.stop, x.step]}
        if isinstance(x, np.ndarray):
            return self.array(x.view(np.ndarray) if t is not np.ndarray else x)
        if isinstance(x, np.generic):
            return {"t": "npscalar", "v": self.array(np.asarray(x))}
        if isinstance(x, np.dtype):
            return {"t": "dtype", "v": x.str if x.fields is None else str(x)}
        if isinstance(x, np.random.Generator):
            state = x.bit_generator.state
            return {"t": "rng", "bg": state.get("bit_generator"), "state": self.enc(state, d)}
        pd = _pandas()
        if pd is not None:
            if t is pd.DataFrame:
                return {"t": "df", "cols": self.index(x.columns, d),
                        "data": [self.series_values(x.iloc[:, i], d) for i in range(x.shape[1])],
                        "index": self.index(x.index, d)}
            if t is pd.Series:
                return {"t": "series", "data": self.series_values(x, d), "index": self.index(x.index, d),
                        "name": self.enc(x.name, d)}
            if isinstance(x, pd.Index):
                return self.index(x, d)
            if t is pd.Timestamp:
                return {"t": "ts", "v": x.isoformat()}
            if x is pd.NA:
                return {"t": "NA"}
            if x is pd.NaT:
                return {"t": "NaT"}
        return self.ref(x, "obj")

    def series_values(self, s: Any, d: int) -> dict:
        dtype = s.dtype
        pd = _pandas()
        if isinstance(dtype, pd.CategoricalDtype):
            return {"t": "cat", "codes": self.array(np.asarray(s.cat.codes)),
                    "cats": self.index(dtype.categories, d), "ordered": bool(dtype.ordered)}
        if isinstance(dtype, np.dtype) and dtype.kind in _PLAIN_ARRAY_KINDS:
            return {"t": "col", "dtype": dtype.str, "v": self.array(s.to_numpy())}
        objects = s.to_numpy(dtype=object, na_value=None)
        codes, uniques = pd.factorize(objects, use_na_sentinel=True)
        if all(type(v) is str for v in uniques):  # text: distinct strings once, then a code per cell
            text = np.asarray(uniques, dtype=str) if len(uniques) else np.array([], dtype="U1")
            return {"t": "strcol", "dtype": str(dtype), "v": self.array(text),
                    "codes": self.array(np.asarray(codes, dtype=np.int64))}
        values = [self.enc(v, d) for v in objects.tolist()]
        return {"t": "col", "dtype": str(dtype), "v": {"t": "list", "v": values}}

    def index(self, ix: Any, d: int) -> dict:
        pd = _pandas()
        if isinstance(ix, pd.RangeIndex):
            return {"t": "rangeindex", "v": [ix.start, ix.stop, ix.step], "name": self.enc(ix.name, d)}
        if isinstance(ix, pd.MultiIndex):
            return {"t": "multiindex", "v": self.enc(list(ix), d), "names": self.enc(list(ix.names), d)}
        return {"t": "index", "data": self.series_values(pd.Series(ix, copy=False), d), "name": self.enc(ix.name, d)}


def is_large(value: Any) -> bool:
    """Worth not copying or sending twice: an array over a megabyte, a pandas frame or series
    over 10,000 rows. Both ends of the bridge use this one rule."""
    if isinstance(value, np.ndarray):
        return value.nbytes > 1 << 20
    pd = _pandas()
    return pd is not None and isinstance(value, (pd.DataFrame, pd.Series)) and len(value) > 10_000


def encode(value: Any, ref: Callable[[Any, str], Any]) -> bytes:
    """``MAGIC``, header length, JSON header, then each blob with its length."""
    enc = Encoder(ref)
    tree = enc.enc(value)
    header = json.dumps({"tree": tree, "n": [len(b) for b in enc.blobs]}, allow_nan=False).encode()
    return b"".join([MAGIC, struct.pack("<Q", len(header)), header, *enc.blobs])


class Decoder:
    """Rebuilds values; ``deref(node)`` turns a reference node into the local object."""

    def __init__(self, blobs: list[memoryview], deref: Callable[[dict], Any]) -> None:
        self.blobs = blobs
        self.deref = deref
        self.nodes = 0

    def dec(self, n: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH + 8 or self.nodes > MAX_NODES:
            raise CodecError("message nests too deep or holds too many values")
        if n is None or isinstance(n, (bool, int, float, str)):
            return n
        if not isinstance(n, dict) or not isinstance(n.get("t"), str):
            raise CodecError(f"unexpected node {type(n).__name__}")
        t, d = n["t"], depth + 1
        if t == "list":
            return [self.dec(v, d) for v in n["v"]]
        if t == "tuple":
            return tuple(self.dec(v, d) for v in n["v"])
        if t == "dict":
            return {self.dec(k, d): self.dec(v, d) for k, v in zip(n["k"], n["v"])}
        if t == "set":
            return {self.dec(v, d) for v in n["v"]}
        if t == "frozenset":
            return frozenset(self.dec(v, d) for v in n["v"])
        if t == "int":
            return int(n["v"])
        if t == "float":
            return float(n["v"])
        if t == "complex":
            return complex(float(n["v"][0]), float(n["v"][1]))
        if t == "bytes":
            return bytes(self.blob(n["b"]))
        if t == "slice":
            return slice(*(self.dec(v, d) for v in n["v"]))
        if t == "range":
            return range(*(int(v) for v in n["v"]))
        if t in ("nd", "ndo"):
            return self.array(n, d)
        if t == "npscalar":
            return self.array(n["v"], d)[()]
        if t == "dtype":
            return np.dtype(str(n["v"]))
        if t == "rng":
            return self.rng(n, d)
        if t in ("df", "series", "index", "rangeindex", "multiindex", "ts", "NA", "NaT"):
            return self.pandas(n, d)
        return self.deref(n)

    def blob(self, i: Any) -> memoryview:
        if not isinstance(i, int) or not 0 <= i < len(self.blobs):
            raise CodecError("blob index out of range")
        return self.blobs[i]

    def array(self, n: dict, d: int) -> np.ndarray:
        if n["t"] == "nd":
            try:
                a = np.load(io.BytesIO(self.blob(n["b"])), allow_pickle=False)
            except Exception as exc:
                raise CodecError(f"bad array blob: {exc}") from None
        else:
            shape = tuple(int(s) for s in n["shape"])
            items = [self.dec(v, d) for v in n["v"]]
            a = np.empty(len(items), dtype=object)
            a[:] = items
            a = a.reshape(shape)
        if n.get("ro"):
            a.flags.writeable = False
        return a

    def rng(self, n: dict, d: int) -> np.random.Generator:
        bit_generators = {"PCG64": np.random.PCG64, "PCG64DXSM": np.random.PCG64DXSM,
                          "MT19937": np.random.MT19937, "Philox": np.random.Philox, "SFC64": np.random.SFC64}
        cls = bit_generators.get(n.get("bg"))
        if cls is None:
            raise CodecError(f"unknown bit generator {n.get('bg')!r}")
        bg = cls()
        bg.state = self.dec(n["state"], d)
        return np.random.Generator(bg)

    def column(self, n: dict, d: int) -> Any:
        import pandas as pd

        if n.get("t") == "strcol":
            uniques = np.append(self.array(n["v"], d).astype(object), None)
            codes = self.array(n["codes"], d).astype(np.int64)
            if codes.size and (codes.min() < -1 or codes.max() >= len(uniques) - 1):
                raise CodecError("text column codes out of range")
            text = uniques[codes]  # -1 picks the appended None
            try:
                return pd.array(text, dtype=pd.api.types.pandas_dtype(str(n.get("dtype"))))
            except Exception:
                return pd.array(text, dtype=object)
        if n.get("t") == "cat":
            codes = self.array(n["codes"], d)
            cats = self.dec(n["cats"], d)
            return pd.Categorical.from_codes(codes, categories=cats, ordered=bool(n.get("ordered")))
        values = self.dec(n["v"], d)
        dtype = str(n.get("dtype"))
        try:
            return pd.array(values, dtype=pd.api.types.pandas_dtype(dtype))
        except Exception:
            return pd.array(values, dtype=object) if not isinstance(values, np.ndarray) else values

    def pandas(self, n: dict, d: int) -> Any:
        import pandas as pd

        t = n["t"]
        if t == "ts":
            return pd.Timestamp(str(n["v"]))
        if t == "NA":
            return pd.NA
        if t == "NaT":
            return pd.NaT
        if t == "rangeindex":
            return pd.RangeIndex(*(int(v) for v in n["v"]), name=self.dec(n.get("name"), d))
        if t == "multiindex":
            tuples = self.dec(n["v"], d)
            return pd.MultiIndex.from_tuples(tuples, names=self.dec(n["names"], d))
        if t == "index":
            return pd.Index(self.column(n["data"], d), name=self.dec(n.get("name"), d))
        if t == "series":
            return pd.Series(self.column(n["data"], d), index=self.dec(n["index"], d),
                             name=self.dec(n.get("name"), d), copy=False)
        cols = self.dec(n["cols"], d)
        data = [self.column(c, d) for c in n["data"]]
        index = self.dec(n["index"], d)
        frame = pd.DataFrame({i: v for i, v in enumerate(data)}, index=index)
        frame.columns = cols
        return frame


def decode(data: bytes | memoryview, deref: Callable[[dict], Any]) -> Any:
    """The value ``encode`` wrote; raises :class:`CodecError` on anything malformed."""
    view = memoryview(data)
    if len(view) > MAX_BYTES:
        raise CodecError(f"message of {len(view)} bytes is over the {MAX_BYTES} limit")
    if bytes(view[:4]) != MAGIC or len(view) < 12:
        raise CodecError("not a graders message")
    (size,) = struct.unpack("<Q", view[4:12])
    if 12 + size > len(view):
        raise CodecError("truncated header")
    try:
        header = json.loads(bytes(view[12:12 + size]))
        lengths = [int(x) for x in header["n"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise CodecError(f"bad header: {exc}") from None
    blobs, pos = [], 12 + size
    for length in lengths:
        if length < 0 or pos + length > len(view):
            raise CodecError("truncated blob")
        blobs.append(view[pos:pos + length])
        pos += length
    try:
        return Decoder(blobs, deref).dec(header.get("tree"))
    except CodecError:
        raise
    except RecursionError:
        raise CodecError("message nests too deep") from None
    except Exception as exc:
        raise CodecError(f"{type(exc).__name__}: {exc}") from None


def frame(data: bytes) -> bytes:
    """One message on a stream socket: its length (8 bytes, little-endian), then itself."""
    return struct.pack("<Q", len(data)) + data


def read_frame(sock: Any) -> bytes | None:
    """The next :func:`frame`'s message from a blocking socket; None at end of stream or for a
    length over ``MAX_BYTES`` (socket errors, time-outs included, are the caller's)."""
    head = _recv_exactly(sock, 8)
    if head is None:
        return None
    (size,) = struct.unpack("<Q", head)
    if size > MAX_BYTES:
        return None
    return _recv_exactly(sock, size)


def _recv_exactly(sock: Any, size: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < size:
        chunk = sock.recv(min(size - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


PRINTED_FILE = "printed.jsonl"
"""In the kernel's scratch folder: what the student's code printed during the request in
progress, one ``[stream name, text]`` JSON line per write. The answer carries the same
text; the grader reads this file only when the kernel died before answering."""


def printed_line(name: str, text: str) -> str:
    return json.dumps([name, text]) + "\n"


def printed_writes(items: Any) -> list[tuple[str, str]]:
    """The well-formed ``[stream name, text]`` pairs among ``items`` (an answer's "printed",
    or the lines of a :data:`PRINTED_FILE`); anything else the kernel sent is dropped."""
    if not isinstance(items, list):
        return []
    return [(item[0], item[1]) for item in items
            if isinstance(item, list) and len(item) == 2 and item[0] in ("stdout", "stderr")
            and isinstance(item[1], str)]


def read_printed(data: bytes) -> list[tuple[str, str]]:
    """The writes in a :data:`PRINTED_FILE`'s bytes; a line cut short (the kernel died while
    writing it) or not of that shape is skipped."""
    items = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            items.append(json.loads(line))
        except ValueError:
            continue
    return printed_writes(items)
