"""One BLAS thread for the small products of a search (one query against a matrix).

A query's products are memory-bound matrix-vector products; splitting them across OpenBLAS threads
gains nothing, and on a busy machine (more runnable threads than cores) the threads wait for each
other: one search over 100,000 listings took 2x as long with two threads as with one. Bulk work (embedding
thousands of texts) keeps the configured threads. The limit is process-wide while it is held (OpenBLAS
has no per-thread setting), so it is held only around a search's arithmetic.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator


@functools.cache
def _controller():
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController()  # finds the BLAS libraries once, not on every search
    except Exception:  # noqa: BLE001 - no threadpoolctl or no BLAS found: nothing to limit
        return None


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield
