"""A kind's texts in memory for BM25 ranking by words, kept up to date by what changed.

Built once per process from every item's texts (all languages, terms of `scobank.tokens`); afterwards
only the items whose vectors were rewritten since (their texts changed, or they are new: the same
index read as `scobank.ai.vectors`) are read again. Their old postings are masked and their new texts
scored in a small extra index with the large one's idf and mean length; the whole is rebuilt when the
extra part passes a tenth of it. Deleted items may stay in memory: callers filter by visibility.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.ai.bm25 import Bm25
from scobank.ai.embedding import Embedder
from scobank.ai.index import StoredKind, Texts
from scobank.ai.models import Embedding
from scobank.ai.vectors import LATE_COMMIT, newest_vector
from scobank.tokens import terms

REBUILD_SHARE = 0.1


def _terms(texts: Texts) -> list[str]:
    return [t for text in texts.values() for t in terms(text)]


class LexicalIndex:
    """BM25 over a base collection plus the items changed since it was built."""

    def __init__(self, documents: dict[str, list[str]]) -> None:
        self.base = Bm25(documents)
        self._position = {item: p for p, item in enumerate(self.base.ids)}
        self._masked = np.zeros(len(self.base.ids), dtype=bool)
        self._changed: dict[str, list[str]] = {}
        self._extra: Bm25 | None = None
        self._extra_position: dict[str, int] = {}

    @property
    def stale_share(self) -> float:
        return len(self._changed) / max(len(self._position), 1)

    def replace(self, documents: dict[str, list[str]]) -> None:
        for item in documents:
            if item in self._position:
                self._masked[self._position[item]] = True
        self._changed.update(documents)
        self._extra = Bm25(self._changed, like=self.base)
        self._extra_position = {item: p for p, item in enumerate(self._extra.ids)}

    def top(self, query: str, n: int) -> list[str]:
        """Up to `n` items holding a word of `query`, best first."""
        scored: list[tuple[float, str]] = []
        scores = self.base.scores(query)
        scores[self._masked] = 0.0
        take = min(n, len(scores))
        if take:
            for j in np.argpartition(-scores, take - 1)[:take]:
                if scores[j] > 0:
                    scored.append((float(scores[j]), self.base.ids[j]))
        if self._extra is not None:
            extra = self._extra.scores(query)
            scored += [(float(s), self._extra.ids[j]) for j, s in enumerate(extra) if s > 0]
        return [item for _, item in sorted(scored, key=lambda x: (-x[0], x[1]))[:n]]


    def held_terms(self, items: Iterable[str], wanted: set[str]) -> dict[str, set[str]]:
        """item -> which of the terms `wanted` its texts hold (from the postings; no text is read again).
        Items the index does not know hold none."""
        out: dict[str, set[str]] = {item: set() for item in items}
        parts = [(self.base, [i for i in out if i in self._position and not self._masked[self._position[i]]],
                  self._position)]
        if self._extra is not None:
            parts.append((self._extra, [i for i in out if i in self._changed], self._extra_position))
        for bm25, known, position in parts:
            at = np.array([position[i] for i in known], dtype=np.int64)
            for term in wanted:
                for j in np.flatnonzero(bm25.holding(term, at)):
                    out[known[j]].add(term)
        return out


class _Loaded:
    def __init__(self, index: LexicalIndex, newest: datetime | None) -> None:
        self.index, self.newest = index, newest


_CACHE: dict[tuple[str, str, str], _Loaded] = {}
_LOCK = threading.Lock()


def _build(session: Session, kind: StoredKind, newest: datetime | None) -> _Loaded:
    return _Loaded(LexicalIndex({i: _terms(t) for i, t in kind.texts(session, None)}), newest)


def lexical_index(session: Session, kind: StoredKind, model: Embedder) -> LexicalIndex:
    """The process's BM25 index of `kind`, brought up to date with the items rewritten since it was built."""
    key = (str(session.get_bind().url), kind.name, model.name)
    newest = newest_vector(session, kind.name, model)
    with _LOCK:
        loaded = _CACHE.get(key)
        if loaded is not None and loaded.newest is not None and (newest is None or newest < loaded.newest):
            loaded = None  # the store went back in time (restored, or a test's fresh database)
        if loaded is None:
            loaded = _CACHE[key] = _build(session, kind, newest)
            return loaded.index
        if newest is None or (loaded.newest is not None and newest <= loaded.newest):
            return loaded.index
        query = select(Embedding.item_id).distinct().where(Embedding.kind == kind.name, Embedding.model == model.name)
        if loaded.newest is not None:
            query = query.where(Embedding.updated_at >= loaded.newest - LATE_COMMIT)
        changed = sorted(session.scalars(query))
        if len(changed) > REBUILD_SHARE * max(len(loaded.index.base.ids), 1) or loaded.index.stale_share > REBUILD_SHARE:
            loaded = _CACHE[key] = _build(session, kind, newest)
        else:
            loaded.index.replace({i: _terms(t) for i, t in kind.texts(session, changed)})
            loaded.newest = newest
        return loaded.index
