"""Results of analyses, kept by what they are a function of.

Contract
- Key: the analysis name, the key of each input panel (`inputs.PanelInput.key`: the version's content
  hash, the panel's columns and anything else the panel's mapping reads, such as the dataset's temporal
  end when the year comes from it) and the parameters (JSON-serialisable; the bloc membership used is a
  parameter). Value: what the analysis returned, shared between callers: treat it as read-only.
- Dataset versions are immutable and content-addressed, so a result is a pure function of its key: a new
  version has a new hash, hence a new key, and nothing is ever invalidated.
- Two tiers. Memory: a bounded LRU per process (SCOBANK_ANALYTICS_CACHE_SIZE entries, default 32; 0 turns
  caching off). Files (SCOBANK_ANALYTICS_CACHE_DISK, default on): every computed result is also written
  under $SCOBANK_HOME/cache/analytics (result_files: Arrow IPC or npz, no pickle), named by a hash of the
  key and of the analytics code and library versions (`CODE`), so another process (the next server, a
  second worker, the demo that warmed it) reads it instead of computing, and changed code never reads an
  old result. At most `MAX_FILES` files and `MAX_BYTES` are kept per tier, the least recently written
  removed first. A file that cannot be read is a miss.
- The cache never decides who may read. Callers pass the gate and write the ledger entry on every call,
  hit or miss (`inputs.use_panel`); a hit skips only the engine read and the computation.
- Errors: an `AnalyticsInputError` (the input cannot support the analysis, e.g. a disconnected network)
  is as much a function of the key as a result, so it is kept in memory (not as a file) and raised again,
  as a copy, on the next equal call. Any other error is not kept.
- Concurrent misses of one key in a process compute once: the second caller waits for the first.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

from scobank.analytics import result_files
from scobank.config import get_settings
from scobank.errors import AnalyticsInputError

T = TypeVar("T")
MAX_FILES = 512  # per tier; and at most MAX_BYTES in all of a tier's files
MAX_BYTES = 2 * 1024**3
_MISSING = object()


class Keyed(Protocol):
    @property
    def key(self) -> Hashable: ...


@cache
def code_fingerprint() -> str:
    """sha256 of the analytics modules' source and the versions of the libraries that compute."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("numpy", "scipy", "pyarrow", "duckdb", "ibis-framework"):
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            continue
    return digest.hexdigest()


class _Raised:
    """A kept error: `value()` raises a copy of it."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def value(self):
        raise copy.copy(self.error).with_traceback(None)


class ResultFiles:
    """The file tier: one file per key in `folder()`; reads and writes never raise (a miss instead)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()

    def folder(self) -> Path | None:
        settings = get_settings()
        return settings.home / "cache" / "analytics" / self.name if settings.analytics_cache_disk else None

    def _stem(self, folder: Path, key: Hashable) -> Path:
        return folder / hashlib.sha256(f"{code_fingerprint()}\n{key!r}".encode()).hexdigest()

    def load(self, key: Hashable) -> Any:
        if (folder := self.folder()) is None:
            return _MISSING
        stem = self._stem(folder, key)
        for suffix in result_files.SUFFIXES:
            path = stem.with_suffix(suffix)
            if path.exists():
                try:
                    return result_files.read(path)
                except (OSError, result_files.ResultFileError):
                    path.unlink(missing_ok=True)
        return _MISSING

    def save(self, key: Hashable, value: Any) -> None:
        if (folder := self.folder()) is None:
            return
        try:
            result_files.write(self._stem(folder, key), value)
            self._prune(folder)
        except (OSError, result_files.ResultFileError):
            return  # a value that cannot be a file (or a full disk) stays in memory only

    def _prune(self, folder: Path) -> None:
        """Remove the least recently written files beyond MAX_FILES or MAX_BYTES."""
        with self._lock:
            files = sorted(((p.stat(), p) for p in folder.iterdir() if p.suffix in result_files.SUFFIXES),
                           key=lambda sp: sp[0].st_mtime, reverse=True)
            kept = 0
            for n, (stat, path) in enumerate(files):
                kept += stat.st_size
                if n >= MAX_FILES or kept > MAX_BYTES:
                    path.unlink(missing_ok=True)


class LruCache:
    """A thread-safe mapping of at most `maxsize()` entries in memory, least recently used out first,
    over an optional file tier."""

    def __init__(self, maxsize: Callable[[], int], files: ResultFiles | None = None) -> None:
        self.maxsize, self.files = maxsize, files
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = self.file_hits = self.misses = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = self.files.load(key) if self.files is not None and self.maxsize() > 0 else _MISSING
        if value is _MISSING:
            return default
        self.file_hits += 1
        self._remember(key, value)
        return value

    def _remember(self, key: Hashable, value: Any) -> None:
        if (limit := self.maxsize()) <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > limit:
                self._data.popitem(last=False)

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` in memory and, with a file tier, as a file."""
        self._remember(key, value)
        if self.files is not None and self.maxsize() > 0:
            self.files.save(key, value)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under `key`, computing and keeping it on a miss (once, whoever else asks meanwhile)."""
        if (value := self.get(key, _MISSING)) is not _MISSING:
            self.hits += 1
            return value.value() if isinstance(value, _Raised) else value
        with self._lock:
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:
            if (value := self.get(key, _MISSING)) is not _MISSING:
                self.hits += 1
                return value.value() if isinstance(value, _Raised) else value
            self.misses += 1
            try:
                value = compute()
                self.put(key, value)
            except AnalyticsInputError as exc:
                self._remember(key, _Raised(exc))
                raise
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def clear(self, *, files: bool = False) -> None:
        """Forget what is in memory (and the files too with `files`)."""
        with self._lock:
            self._data.clear()
        self.hits = self.file_hits = self.misses = 0
        folder = self.files.folder() if files and self.files is not None else None
        if folder is not None and folder.is_dir():
            for path in folder.iterdir():
                path.unlink(missing_ok=True)

    def __len__(self) -> int:
        return len(self._data)


RESULTS = LruCache(lambda: get_settings().analytics_cache_size, ResultFiles("results"))
# What a panel read found (rows, cells, years) by panel key: lets a hit write the same ledger entry as a read.
PANEL_FACTS = LruCache(lambda: 4096, ResultFiles("panels"))


def analysis_key(analysis: str, *, inputs: Sequence[Keyed], params: Mapping[str, Any]) -> tuple:
    """(analysis, input panel keys, parameters as canonical JSON): equal keys mean equal results."""
    return (analysis, tuple(i.key for i in inputs), json.dumps(params, sort_keys=True, default=str))


def cached(analysis: str, *, inputs: Sequence[Keyed], params: Mapping[str, Any], compute: Callable[[], T]) -> T:
    """`compute()` for (analysis, inputs, params), or the value kept from an earlier equal call.

    `compute` must depend on nothing but the inputs' rows and `params` (read the rows inside it, through
    `PanelInput.table()`, so a hit does not read them)."""
    return RESULTS.get_or_compute(analysis_key(analysis, inputs=inputs, params=params), compute)


def result_name(analysis: str, *, inputs: Sequence[Keyed], params: Mapping[str, Any]) -> str | None:
    """A stable name for a result kept where the engine runs (`execution.EngineResult`): a hash of the
    key and of the code, like the file tier's names; None when caching is off (the result is then
    computed for the call and removed after it)."""
    settings = get_settings()
    if settings.analytics_cache_size <= 0 or not settings.analytics_cache_disk:
        return None
    key = analysis_key(analysis, inputs=inputs, params=params)
    return hashlib.sha256(f"{code_fingerprint()}\n{key!r}".encode()).hexdigest()
