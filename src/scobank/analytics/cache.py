"""Results of analyses kept in memory, by what they are a function of.

Contract
- Key: the analysis name, the key of each input panel (`inputs.PanelInput.key`: the version's content
  hash, the panel's columns and anything else the panel's mapping reads, such as the dataset's temporal
  end when the year comes from it) and the parameters (JSON-serialisable; the bloc membership used is a
  parameter). Value: what the analysis returned, shared between callers: treat it as read-only.
- Dataset versions are immutable and content-addressed, so a result is a pure function of its key: a new
  version has a new hash, hence a new key, and nothing is ever invalidated. Old entries leave a bounded
  LRU (`RESULTS`, SCOBANK_ANALYTICS_CACHE_SIZE entries, default 32; 0 turns caching off).
- The cache never decides who may read. Callers pass the gate and write the ledger entry on every call,
  hit or miss (`inputs.use_panel`); a hit skips only the engine read and the computation.
- Errors are not kept: a computation that raises raises again on the next call.
- One process: the cache lives in this process's memory (a new server starts cold; `scobank demo` warms
  the default member pages in the process that then serves them). Concurrent misses of one key compute
  once: the second caller waits for the first.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Keyed(Protocol):
    @property
    def key(self) -> Hashable: ...


class LruCache:
    """A thread-safe mapping of at most `maxsize` entries, least recently used out first."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = self.misses = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: Hashable, value: Any) -> None:
        if self.maxsize <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under `key`, computing and keeping it on a miss (once, whoever else asks meanwhile)."""
        missing = object()
        if (value := self.get(key, missing)) is not missing:
            self.hits += 1
            return value
        with self._lock:
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:
            if (value := self.get(key, missing)) is not missing:
                self.hits += 1
                return value
            self.misses += 1
            try:
                value = compute()
                self.put(key, value)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


def _size() -> int:
    return int(os.environ.get("SCOBANK_ANALYTICS_CACHE_SIZE", "32"))


RESULTS = LruCache(_size())
# What a panel read found (rows, years) by panel key: lets a hit write the same ledger entry as a read.
PANEL_FACTS = LruCache(4096)


def analysis_key(analysis: str, *, inputs: Sequence[Keyed], params: Mapping[str, Any]) -> tuple:
    """(analysis, input panel keys, parameters as canonical JSON): equal keys mean equal results."""
    return (analysis, tuple(i.key for i in inputs), json.dumps(params, sort_keys=True, default=str))


def cached(analysis: str, *, inputs: Sequence[Keyed], params: Mapping[str, Any], compute: Callable[[], T]) -> T:
    """`compute()` for (analysis, inputs, params), or the value kept from an earlier equal call.

    `compute` must depend on nothing but the inputs' rows and `params` (read the rows inside it, through
    `PanelInput.table()`, so a hit does not read them)."""
    return RESULTS.get_or_compute(analysis_key(analysis, inputs=inputs, params=params), compute)
