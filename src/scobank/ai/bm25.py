"""Okapi BM25 over documents given as term lists (terms from `scobank.tokens`, the bank's one tokenizer)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import numpy as np

from scobank.tokens import terms


class Bm25:
    """Okapi BM25 (Robertson & Zaragoza 2009; k1=1.2, b=0.75) over documents given as term lists.

    `scores(query)` returns one float per document, in the order of `ids` (postings are numpy arrays,
    so a query costs a few vector operations per term, also over 100,000 documents)."""

    def __init__(self, documents: Mapping[str, list[str]], *, k1: float = 1.2, b: float = 0.75,
                 like: Bm25 | None = None) -> None:
        """`like`: score these documents with the idf and mean length of that (larger) collection, so a
        few documents added to it later score as they would inside it."""
        self.ids = list(documents)
        lengths = np.array([len(documents[i]) for i in self.ids], dtype=np.float64)
        self.mean_length = like.mean_length if like is not None else (
            float(lengths.mean()) if len(lengths) else 1.0)
        norm = k1 * (1 - b + b * lengths / max(self.mean_length, 1e-9))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for position, doc_id in enumerate(self.ids):
            for t, f in Counter(documents[doc_id]).items():
                docs, freqs = postings.setdefault(t, ([], []))
                docs.append(position)
                freqs.append(f)
        n = len(self.ids)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.idf: dict[str, float] = {}
        self.max_idf = like.max_idf if like is not None else math.log(1 + (n + 0.5) / 0.5)  # of a term no document holds
        for t, (docs, freqs) in postings.items():
            own = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            idf = self.idf[t] = own if like is None else like.idf.get(t, like.max_idf)
            d, f = np.array(docs, dtype=np.int64), np.array(freqs, dtype=np.float64)
            self._postings[t] = (d, idf * f * (k1 + 1) / (f + norm[d]))

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(len(self.ids), dtype=np.float64)
        for t in set(terms(query)):
            if t in self._postings:
                docs, weights = self._postings[t]
                out[docs] += weights
        return out

    def holding(self, term: str, positions: np.ndarray) -> np.ndarray:
        """Which of the documents at `positions` (of `ids`) hold `term`: a bool per position."""
        docs = self._postings.get(term, (None, None))[0]
        if docs is None or not len(positions):
            return np.zeros(len(positions), dtype=bool)
        at = np.minimum(np.searchsorted(docs, positions), len(docs) - 1)  # postings are in position order
        return docs[at] == positions

    def coverage(self, query: str) -> float:
        """How much of `query` the documents know: the idf of its known terms over that of all its
        terms (an unknown term counts with the idf of a term no document holds). 0 for no terms."""
        unique = set(terms(query))
        if not unique:
            return 0.0
        known = sum(self.idf.get(t, 0.0) for t in unique)
        unknown = sum(1 for t in unique if t not in self.idf)
        return known / (known + unknown * self.max_idf)
