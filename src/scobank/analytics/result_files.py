"""Analysis results as files, for the on-disk tier of `analytics.cache`: nothing is pickled.

- a `pyarrow.Table` -> Arrow IPC file (`.arrow`);
- anything else built of numpy arrays, scobank dataclasses, tuples, lists, dicts and plain scalars ->
  one `.npz` (arrays saved without pickle; object arrays of text stored as unicode and restored as
  object arrays) with a JSON description of the structure in it. Only dataclasses defined in `scobank`
  are rebuilt, from their module and name.
`write` goes through a temporary file and a rename, so a reader never sees half a file.
`read` raises `ResultFileError` on anything it cannot rebuild; the cache treats that as a miss.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

SUFFIXES = (".arrow", ".npz")


class ResultFileError(Exception):
    """A result file that cannot be rebuilt (truncated, foreign, or of an unknown shape)."""


def _encode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, np.ndarray):
        name = f"a{len(arrays)}"
        text = value.dtype == object
        arrays[name] = value.astype(str) if text else value
        return {"array": name, "object": bool(text)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return {"dataclass": f"{cls.__module__}:{cls.__qualname__}",
                "fields": {f.name: _encode(getattr(value, f.name), arrays) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, dict):
        return {"dict": [[k, _encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise ResultFileError(f"cannot store a {type(value).__name__}")


def _dataclass(path: str) -> type:
    module, _, name = path.partition(":")
    if not module.startswith("scobank."):
        raise ResultFileError(f"refusing to rebuild {path}")
    cls = getattr(importlib.import_module(module), name, None)
    if cls is None or not dataclasses.is_dataclass(cls):
        raise ResultFileError(f"{path} is not a dataclass")
    return cls


def _decode(node: Any, arrays: Any) -> Any:
    if isinstance(node, list):
        return [_decode(v, arrays) for v in node]
    if not isinstance(node, dict):
        return node
    if "array" in node:
        array = arrays[node["array"]]
        return array.astype(object) if node["object"] else array
    if "dataclass" in node:
        return _dataclass(node["dataclass"])(**{k: _decode(v, arrays) for k, v in node["fields"].items()})
    if "tuple" in node:
        return tuple(_decode(v, arrays) for v in node["tuple"])
    return {k: _decode(v, arrays) for k, v in node["dict"]}


def write(path_stem: Path, value: Any) -> Path:
    """Store `value` at `path_stem` + .arrow or .npz (atomically); returns the file written."""
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path_stem.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(value, pa.Table):
                suffix = ".arrow"
                with pa.ipc.new_file(fh, value.schema) as writer:
                    writer.write_table(value)
            else:
                suffix = ".npz"
                arrays: dict[str, np.ndarray] = {}
                shape = json.dumps(_encode(value, arrays))
                np.savez(fh, __shape__=np.array(shape), **arrays)
        target = path_stem.with_suffix(suffix)
        os.replace(tmp, target)
        return target
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: Path) -> Any:
    """The value stored in `path` (from `write`)."""
    try:
        if path.suffix == ".arrow":
            with pa.OSFile(str(path)) as source:
                return pa.ipc.open_file(source).read_all()
        with np.load(path, allow_pickle=False) as arrays:
            return _decode(json.loads(str(arrays["__shape__"])), {k: arrays[k] for k in arrays.files})
    except ResultFileError:
        raise
    except Exception as exc:  # truncated or foreign bytes: the cache computes again
        raise ResultFileError(f"{path.name}: {exc}") from exc
