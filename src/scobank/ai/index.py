"""The semantic index: embeddings of searchable items, cached in the store (`ai_embeddings`).

An item kind (datasets, listings, enterprises: `scobank.ai.kinds.KINDS`) says how to enumerate its
items' texts by language. `sync` embeds the items that have no vectors yet (new, or changed: the
listeners below drop an item's vectors whenever its row is updated or deleted); `reindex` rebuilds a
kind, skipping texts whose hash did not change. `VectorIndex` holds a kind's matrix in memory for
exact search and reloads it when the table changes (row count or newest timestamp).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scobank.ai.embedding import Embedder
from scobank.ai.models import Embedding
from scobank.db import RowChanged, utcnow

Texts = dict[str, str]  # language -> text
Progress = Callable[[int], None]  # called with the number of items just done
EMPTY_PART = "-"  # the part of an item that has no text at all (zero vector, never matches)


@dataclass(frozen=True)
class StoredKind:
    """How one kind of item enters the index. `texts(session, ids)` yields (item id, texts) for the
    given ids, or for every item when ids is None; `count(session)` is the number of items."""

    name: str
    texts: Callable[[Session, Sequence[str] | None], Iterable[tuple[str, Texts]]]
    count: Callable[[Session], int]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store(session: Session, kind: str, items: list[tuple[str, Texts]], model: Embedder, *,
           known: dict[tuple[str, str], str] | None = None) -> int:
    """Embed and write the texts of `items` (replacing what each item had); returns texts embedded."""
    known = known or {}
    rows, todo = [], []
    for item_id, texts in items:
        # An item with no text gets one empty row, so "every item has vectors" stays a cheap count.
        for part, text in (texts or {EMPTY_PART: ""}).items():
            digest = text_hash(text)
            if known.get((item_id, part)) != digest:
                todo.append((item_id, part, text, digest))
    if not todo:
        return 0
    vectors = model.embed([t[2] for t in todo])
    vectors[[i for i, t in enumerate(todo) if t[1] == EMPTY_PART]] = 0.0
    now = utcnow()
    for (item_id, part, _text, digest), vector in zip(todo, vectors, strict=True):
        rows.append({"kind": kind, "item_id": item_id, "part": part, "model": model.name,
                     "text_hash": digest, "dim": model.dim, "vector": vector.tobytes(), "updated_at": now})
    changed = sorted({r["item_id"] for r in rows})
    for start in range(0, len(changed), 1000):
        session.execute(delete(Embedding).where(Embedding.kind == kind, Embedding.model == model.name,
                                                Embedding.item_id.in_(changed[start:start + 1000])))
    session.execute(Embedding.__table__.insert(), rows)
    return len(rows)


def embedded_count(session: Session, kind: str, model: Embedder) -> int:
    return session.scalar(select(func.count(func.distinct(Embedding.item_id)))
                          .where(Embedding.kind == kind, Embedding.model == model.name)) or 0


def sync(session: Session, kind: StoredKind, model: Embedder) -> int:
    """Embed the items of `kind` that have no vectors (cheap when none are missing: two counts).
    Runs in a savepoint: a concurrent request that wrote the same rows first wins. Returns texts embedded."""
    if kind.count(session) == embedded_count(session, kind.name, model):
        return 0
    have = set(session.scalars(select(Embedding.item_id).where(Embedding.kind == kind.name,
                                                               Embedding.model == model.name)))
    missing = [(i, t) for i, t in kind.texts(session, None) if i not in have]
    try:
        with session.begin_nested():
            return _store(session, kind.name, missing, model)
    except IntegrityError:
        return 0


def reindex(session: Session, kind: StoredKind, model: Embedder, *, progress: Progress | None = None,
            batch: int = 256) -> int:
    """Rebuild `kind`: embed every text whose hash changed, drop vectors of items that are gone.
    Returns the number of texts embedded."""
    known = {(r.item_id, r.part): r.text_hash for r in session.execute(
        select(Embedding.item_id, Embedding.part, Embedding.text_hash)
        .where(Embedding.kind == kind.name, Embedding.model == model.name))}
    seen: set[str] = set()
    embedded, chunk = 0, []
    for item in kind.texts(session, None):
        seen.add(item[0])
        chunk.append(item)
        if len(chunk) >= batch:
            embedded += _store(session, kind.name, chunk, model, known=known)
            progress and progress(len(chunk))
            chunk = []
    embedded += _store(session, kind.name, chunk, model, known=known)
    progress and progress(len(chunk))
    gone = sorted({i for i, _ in known} - seen)
    for start in range(0, len(gone), 1000):
        session.execute(delete(Embedding).where(Embedding.kind == kind.name,
                                                Embedding.item_id.in_(gone[start:start + 1000])))
    return embedded


Visible = Callable[[list[str]], set[str]]  # which of these item ids the reader may see


class VectorIndex:
    """A kind's vectors as one matrix (one row per item and language) for exact cosine search."""

    def __init__(self, item_ids: np.ndarray, matrix: np.ndarray) -> None:
        self.item_ids, self.matrix = item_ids, matrix
        self._rows_of: dict[str, list[int]] | None = None  # item -> its rows, built on first use

    def nearest(self, query: np.ndarray, *, visible: Visible | None, n: int) -> list[tuple[str, float]]:
        """The `n` best items (best language per item) that `visible` lets through, best first.
        Candidates are taken best first in growing batches, so visibility is asked about few ids."""
        if not len(self.item_ids):
            return []
        sims = self.matrix @ query
        out: dict[str, float] = {}
        done, take = 0, n * 4
        while len(out) < n and done < len(sims):
            take = min(len(sims), take)
            top = np.argpartition(-sims, take - 1)[:take] if take < len(sims) else np.arange(len(sims))
            top = top[np.argsort(-sims[top])][done:]
            fresh = [str(self.item_ids[j]) for j in top if str(self.item_ids[j]) not in out]
            allowed = set(fresh) if visible is None else visible(sorted(set(fresh)))
            for j in top:
                item = str(self.item_ids[j])
                if item in allowed and item not in out:
                    out[item] = float(sims[j])
                    if len(out) == n:
                        break
            done, take = take, take * 4
        return list(out.items())


    def similarity(self, query: np.ndarray, ids: set[str]) -> dict[str, float]:
        """The similarity of each of `ids` (its best language) to `query`."""
        if self._rows_of is None:
            rows_of: dict[str, list[int]] = {}
            for row, item in enumerate(self.item_ids):
                rows_of.setdefault(str(item), []).append(row)
            self._rows_of = rows_of
        rows = [r for i in ids for r in self._rows_of.get(i, ())]
        out: dict[str, float] = {}
        for row, sim in zip(rows, self.matrix[rows] @ query if rows else [], strict=True):
            item = str(self.item_ids[row])
            out[item] = max(out.get(item, -1.0), float(sim))
        return out


_CACHE: dict[tuple[str, str, str], tuple[tuple, VectorIndex]] = {}
_CACHE_LOCK = threading.Lock()


def vector_index(session: Session, kind: str, model: Embedder) -> VectorIndex:
    """The in-memory index of `kind`, reloaded only when its rows changed."""
    where = (Embedding.kind == kind, Embedding.model == model.name)
    token = tuple(session.execute(select(func.count(), func.max(Embedding.updated_at)).where(*where)).one())
    key = (str(session.get_bind().url), kind, model.name)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached and cached[0] == token:
            return cached[1]
    rows = session.execute(select(Embedding.item_id, Embedding.vector).where(*where)).all()
    ids = np.array([r[0] for r in rows], dtype=object)
    matrix = (np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), model.dim)
              if rows else np.zeros((0, model.dim), dtype=np.float32))
    index = VectorIndex(ids, matrix)
    with _CACHE_LOCK:
        _CACHE[key] = (token, index)
    return index


def forget_on_change(watch: Callable[[RowChanged], None], kind: str) -> None:
    """Drop an item's vectors when its row is updated or deleted (the next sync embeds it again);
    `watch` is the owning area's hook for its rows (e.g. `catalog.index_feed.on_dataset_change`)."""
    watch(_forget(kind))


@functools.cache
def _forget(kind: str) -> RowChanged:
    def drop(connection, item_id: int) -> None:
        connection.execute(delete(Embedding.__table__).where(Embedding.__table__.c.kind == kind,
                                                             Embedding.__table__.c.item_id == str(item_id)))

    return drop
