"""A kind's vectors in memory for exact cosine search, kept up to date by what changed, not reloaded.

`vector_index(session, kind, model)` returns the process's index of `kind`. Its freshness is one read
of an index range (the newest `updated_at` of the kind's vectors, `ix_ai_embeddings_kind_model_updated_at`),
never a count of the whole kind: searching 100,000 listings must not scan 100,000 rows per query. When
newer vectors exist, only the rows written since the last load (and a short window before it, for a
transaction that committed late with an earlier time) are read, and their items' rows replaced.
Vectors deleted without a replacement (an item deleted) stay in memory; every caller filters the
candidates through the item's visibility rule and its own rows, so a deleted item is never shown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.ai.embedding import Embedder
from scobank.ai.models import Embedding

Visible = Callable[[list[str]], set[str]]  # which of these item ids the reader may see


def remembered(ask: Visible) -> Visible:
    """`ask`, asked once per item: one search asks about the same candidates for several rankings
    (its meaning, the products it names, its words)."""
    seen: dict[str, bool] = {}

    def visible(ids: list[str]) -> set[str]:
        fresh = [i for i in ids if i not in seen]
        if fresh:
            allowed = ask(fresh)
            seen.update((i, i in allowed) for i in fresh)
        return {i for i in ids if seen[i]}

    return visible
LATE_COMMIT = timedelta(seconds=10)  # rows this much older than the last load are read again
COMPACT_SHARE = 0.3  # rebuild the matrix when this share of its rows is replaced
# From this many rows on, a query first scans a copy of the rows reduced to REDUCED_DIM dimensions (their
# principal directions: a quarter of the memory to read), then scores exactly the CANDIDATE_ROWS best of
# that scan; below it every row is scored exactly.
REDUCE_FROM, REDUCED_DIM, CANDIDATE_ROWS, SAMPLE_ROWS = 20_000, 128, 2_000, 20_000


@dataclass(frozen=True)
class Scored:
    """Rows scored exactly for some queries: `rows` (row numbers, ascending) and their similarities
    (len(rows) x queries); `complete`: every live row is there (else the best of a reduced scan)."""

    rows: np.ndarray
    sims: np.ndarray
    complete: bool


class VectorIndex:
    """A kind's vectors as one matrix (one row per item and language) for exact cosine search. Rows can
    be replaced item by item (`replace`); replaced rows are masked, and the matrix is compacted when
    many are."""

    def __init__(self, item_ids: Sequence[str], matrix: np.ndarray, languages: Sequence[str] | None = None) -> None:
        self._ids = [str(i) for i in item_ids]
        self._langs = list(languages) if languages is not None else [""] * len(self._ids)  # each row's language
        self._buf = np.ascontiguousarray(matrix, dtype=np.float32)
        self._n = len(self._ids)
        self._alive = np.ones(self._n, dtype=bool)
        self._dead = 0
        self._rows_of: dict[str, list[int]] = {}
        for row, item in enumerate(self._ids):
            self._rows_of.setdefault(item, []).append(row)
        self._basis: np.ndarray | None = None  # dim x REDUCED_DIM
        self._reduced = np.zeros((len(self._buf), 0), dtype=np.float32)
        if self._n >= REDUCE_FROM:
            self._reduce()

    def _reduce(self) -> None:
        """The principal directions of (a sample of) the rows, uncentred, so inner products are kept:
        q.x ~ (qB).(xB); and every row in that basis."""
        rows = self._buf[: self._n]
        sample = rows[np.random.default_rng(0).choice(self._n, min(self._n, SAMPLE_ROWS), replace=False)]
        _, _, vt = np.linalg.svd(sample, full_matrices=False)
        self._basis = np.ascontiguousarray(vt[:REDUCED_DIM].T, dtype=np.float32)
        self._reduced = np.zeros((len(self._buf), REDUCED_DIM), dtype=np.float32)
        self._reduced[: self._n] = rows @ self._basis

    @property
    def item_ids(self) -> list[str]:
        return self._ids

    @property
    def matrix(self) -> np.ndarray:
        return self._buf[: self._n]

    def replace(self, rows: Sequence[tuple[str, np.ndarray] | tuple[str, np.ndarray, str]]) -> None:
        """Every item named in `rows` (item, vector[, language of its text]) gets exactly these rows (its
        earlier rows are masked out)."""
        for item in {row[0] for row in rows}:
            for r in self._rows_of.pop(item, ()):
                self._alive[r] = False
                self._dead += 1
        if self._n + len(rows) > len(self._buf):
            grow = max(len(rows), len(self._buf) // 4, 64)
            self._buf = np.concatenate([self._buf[: self._n], np.zeros((grow + len(rows), self._buf.shape[1]),
                                                                      dtype=np.float32)])
            self._alive = np.concatenate([self._alive[: self._n], np.zeros(len(self._buf) - self._n, dtype=bool)])
            if self._basis is not None:
                self._reduced = np.concatenate([self._reduced[: self._n], np.zeros(
                    (len(self._buf) - self._n, REDUCED_DIM), dtype=np.float32)])
        for item, vector, *language in rows:
            self._buf[self._n] = vector
            if self._basis is not None:
                self._reduced[self._n] = vector @ self._basis
            self._alive[self._n] = True
            self._rows_of.setdefault(item, []).append(self._n)
            self._ids.append(item)
            self._langs.append(language[0] if language else "")
            self._n += 1
        if self._dead > COMPACT_SHARE * max(self._n, 1):
            self._compact()

    def _compact(self) -> None:
        keep = np.flatnonzero(self._alive[: self._n])
        self.__init__([self._ids[j] for j in keep], self._buf[keep], [self._langs[j] for j in keep])

    def similarities(self, queries: Sequence[np.ndarray]) -> Scored:
        """The rows scored exactly for `queries` (one column each). Small index: every live row. Large:
        the CANDIDATE_ROWS best live rows of each query by the reduced scan (`nearest` rescans exactly
        if those hold too few visible items; `best_of` scores any other row asked for)."""
        q = np.stack(queries, axis=1).astype(np.float32)
        n = self._n
        alive = self._alive[:n]
        if self._basis is None or n <= CANDIDATE_ROWS:
            rows = np.flatnonzero(alive)
            return Scored(rows, (self._buf[:n] @ q)[rows], complete=True)
        rough = self._reduced[:n] @ (self._basis.T @ q)
        if self._dead:
            rough[~alive] = -np.inf
        cut = n - CANDIDATE_ROWS
        rows = np.unique(np.concatenate([np.argpartition(rough[:, c], cut)[cut:] for c in range(q.shape[1])]))
        rows = rows[alive[rows]]
        return Scored(rows, self._buf[rows] @ q, complete=False)

    @property
    def reduced(self) -> bool:
        return self._basis is not None

    def nearest(self, query: np.ndarray, *, visible: Visible | None, n: int, scored: Scored | None = None,
                column: int = 0) -> list[tuple[str, float]]:
        """The `n` best items (best language per item) that `visible` lets through, best first.
        Candidates are taken best first in growing batches, so visibility is asked about few ids.
        `scored`: `similarities` of several queries already computed, this query's being `column`."""
        if not self._n:
            return []
        if scored is None:
            scored, column = self.similarities([query]), 0
        out = self._visible_best(scored.rows, scored.sims[:, column], visible, n)
        if len(out) < n and not scored.complete:  # the reduced scan's candidates held too few visible items
            rows = np.flatnonzero(self._alive[: self._n])
            out = self._visible_best(rows, (self._buf[: self._n] @ query.astype(np.float32))[rows], visible, n)
        return list(out.items())

    def _visible_best(self, rows: np.ndarray, sims: np.ndarray, visible: Visible | None, n: int) -> dict[str, float]:
        """The `n` best visible items among `rows` (row numbers) scored `sims`, best first."""
        ids = self._ids
        out: dict[str, float] = {}
        done, take = 0, n * 4
        while len(out) < n and done < len(sims):
            take = min(len(sims), take)
            top = np.argpartition(-sims, take - 1)[:take] if take < len(sims) else np.arange(len(sims))
            top = [int(j) for j in top[np.argsort(-sims[top])][done:]]
            if not top:
                break
            fresh = sorted({ids[rows[j]] for j in top} - set(out))
            allowed = set(fresh) if visible is None else visible(fresh)
            for j in top:
                item = ids[rows[j]]
                if item in allowed and item not in out:
                    out[item] = float(sims[j])
                    if len(out) == n:
                        break
            done, take = take, take * 4
        return out

    def best_of(self, queries: Sequence[np.ndarray], scored: Scored, ids: set[str]) -> dict[str, float]:
        """The best similarity (any language, any of `queries`, scored in `scored`) of each of `ids`;
        rows the reduced scan left out are scored now."""
        known = [(item, rows) for item in ids if (rows := self._rows_of.get(item))]
        if not known:
            return {}
        q = np.stack(queries, axis=1).astype(np.float32)
        flat = np.fromiter((r for _, rows in known for r in rows), dtype=np.int64)
        at = np.minimum(np.searchsorted(scored.rows, flat), max(len(scored.rows) - 1, 0))
        hit = scored.rows[at] == flat if len(scored.rows) else np.zeros(len(flat), dtype=bool)
        best = np.empty(len(flat), dtype=np.float32)
        best[hit] = scored.sims[at[hit]].max(axis=1)
        if not hit.all():
            best[~hit] = (self._buf[flat[~hit]] @ q).max(axis=1)
        starts = np.cumsum([0] + [len(rows) for _, rows in known[:-1]])
        return {item: float(v) for (item, _), v in zip(known, np.maximum.reduceat(best, starts), strict=True)}

    def languages_of(self, item: str) -> set[str]:
        """The languages of the item's texts (its rows); empty when not indexed or not known."""
        return {self._langs[r] for r in self._rows_of.get(item, ()) if self._langs[r]}

    def vector_of(self, item: str) -> np.ndarray | None:
        """The mean of the item's rows (one per language), unit norm; None for an item not indexed."""
        rows = self._rows_of.get(item)
        if not rows:
            return None
        mean = self._buf[rows].mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-12)

    def similarity(self, query: np.ndarray, ids: set[str]) -> dict[str, float]:
        """The similarity of each of `ids` (its best language) to `query`."""
        out: dict[str, float] = {}
        for item in ids:
            rows = self._rows_of.get(item)
            if rows:
                out[item] = float((self._buf[rows] @ query).max())
        return out


class _Loaded:
    def __init__(self, index: VectorIndex, newest: datetime | None) -> None:
        self.index, self.newest = index, newest
        self.lock = threading.Lock()


_CACHE: dict[tuple[str, str, str], _Loaded] = {}
_CACHE_LOCK = threading.Lock()


_ONE_LOOK: ContextVar[dict | None] = ContextVar("scobank_newest_vectors", default=None)


@contextmanager
def one_look() -> Iterator[None]:
    """Within the block (one search), each kind's newest vector is read from the store once, not once
    per index that checks its freshness; vectors written in the block (`forget_newest`) are read again."""
    token = _ONE_LOOK.set({})
    try:
        yield
    finally:
        _ONE_LOOK.reset(token)


def once_per_look(session: Session, name: str, read: Callable[[], object]):
    """`read()` once per `one_look` block (one search, which writes no item) and session: e.g. a kind's
    stamp, asked by the sync of its vectors and again by its visibility rule. Outside a block: read()."""
    memo = _ONE_LOOK.get()
    if memo is None:
        return read()
    key = (id(session), "once", name)
    if key not in memo:
        memo[key] = read()
    return memo[key]


def forget_newest(kind: str) -> None:
    """Vectors of `kind` were written: the next `newest_vector` of this block reads the store."""
    memo = _ONE_LOOK.get()
    if memo:
        for key in [k for k in memo if k[1] == kind]:
            del memo[key]


_KINDS_ASKED: set[str] = set()  # every kind whose newest vector this process has read


def newest_vector(session: Session, kind: str, model: Embedder) -> datetime | None:
    """When a vector of `kind` was last written (one index read; once per `one_look` block, where the
    first read also reads every other kind this process has asked about: one statement per search)."""
    memo, key = _ONE_LOOK.get(), (id(session), kind, model.name)
    if memo is not None and key in memo:
        return memo[key]
    _KINDS_ASKED.add(kind)
    kinds = sorted(_KINDS_ASKED) if memo is not None else [kind]
    newest = session.execute(select(*[select(func.max(Embedding.updated_at))
                                      .where(Embedding.kind == k, Embedding.model == model.name).scalar_subquery()
                                      for k in kinds])).one()
    if memo is None:
        return newest[0]
    memo.update(((id(session), k, model.name), n) for k, n in zip(kinds, newest, strict=True))
    return memo[key]


def _rows(session: Session, kind: str, model: Embedder, since: datetime | None) -> list[tuple[str, np.ndarray, str]]:
    """(item, vector, language of the text) of the vectors written since `since` (all: None)."""
    query = select(Embedding.item_id, Embedding.vector, Embedding.part).where(Embedding.kind == kind, Embedding.model == model.name)
    if since is not None:
        query = query.where(Embedding.updated_at >= since - LATE_COMMIT)
    rows = session.execute(query).all()
    if not rows:
        return []
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), model.dim)
    return list(zip((r[0] for r in rows), matrix, (r[2] for r in rows), strict=True))


def vector_index(session: Session, kind: str, model: Embedder) -> VectorIndex:
    """The in-memory index of `kind`, brought up to date with the vectors written since it was loaded."""
    key = (str(session.get_bind().url), kind, model.name)
    newest = newest_vector(session, kind, model)
    with _CACHE_LOCK:
        loaded = _CACHE.get(key)
    if loaded is not None and loaded.newest is not None and (newest is None or newest < loaded.newest):
        loaded = None  # the store went back in time (restored, or a test's fresh database): load it all
    if loaded is None:
        rows = _rows(session, kind, model, None)
        index = VectorIndex([r[0] for r in rows], np.stack([r[1] for r in rows]) if rows
                            else np.zeros((0, model.dim), dtype=np.float32), [r[2] for r in rows])
        with _CACHE_LOCK:
            _CACHE[key] = loaded = _Loaded(index, newest)
        return loaded.index
    if newest is not None and (loaded.newest is None or newest > loaded.newest):
        with loaded.lock:
            if loaded.newest is None or newest > loaded.newest:
                loaded.index.replace(_rows(session, kind, model, loaded.newest))
                loaded.newest = newest
    return loaded.index
