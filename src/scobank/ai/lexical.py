"""Lexical signals for the AI area: a small multilingual tokenizer and Okapi BM25.

Terms: lower-cased words of 3+ letters (ё folded to е), stop words dropped, crude stems (English
plural endings stripped then 7-letter prefix; other scripts a 5-letter prefix, which matches Russian
inflections such as "пшеница"/"ПШЕНИЦЫ"). Chinese has no spaces: each CJK run yields its character
bigrams, which is the usual baseline for Chinese retrieval.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

import numpy as np

_STOP_TEXT = (
    "and or the of for with from other than not whether in on to by an its their thereof including "
    "excluding nec heading headings chapter etc such kind used like similar parts articles our we "
    "и или для из с в на по не без от до их его прочие прочий прочая кроме том числе наш наши")
STOP_WORDS = frozenset(_STOP_TEXT.split())

_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def terms(text: str) -> list[str]:
    """The normalised terms of `text` (see the module docstring), in order, with repeats."""
    text = (text or "").lower().replace("ё", "е")
    out: list[str] = []
    for run in _CJK.findall(text):
        out.extend(run[i:i + 2] for i in range(max(1, len(run) - 1)))
    for word in _WORD.findall(_CJK.sub(" ", text)):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        out.append(_stem(word))
    return out


def _stem(word: str) -> str:
    if word.isascii():
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif word.endswith("es") and len(word) > 4:
            word = word[:-2]
        elif word.endswith("s") and len(word) > 3:
            word = word[:-1]
        return word[:7]
    return word[:5]


class Bm25:
    """Okapi BM25 (Robertson & Zaragoza 2009; k1=1.2, b=0.75) over documents given as term lists.

    `scores(query)` returns one float per document, in the order of `ids` (postings are numpy arrays,
    so a query costs a few vector operations per term, also over 100,000 documents)."""

    def __init__(self, documents: Mapping[str, list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = list(documents)
        lengths = np.array([len(documents[i]) for i in self.ids], dtype=np.float64)
        norm = k1 * (1 - b + b * lengths / max(lengths.mean() if len(lengths) else 1.0, 1e-9))
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for position, doc_id in enumerate(self.ids):
            for t, f in Counter(documents[doc_id]).items():
                docs, freqs = postings.setdefault(t, ([], []))
                docs.append(position)
                freqs.append(f)
        n = len(self.ids)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for t, (docs, freqs) in postings.items():
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            d, f = np.array(docs, dtype=np.int64), np.array(freqs, dtype=np.float64)
            self._postings[t] = (d, idf * f * (k1 + 1) / (f + norm[d]))

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(len(self.ids), dtype=np.float64)
        for t in set(terms(query)):
            if t in self._postings:
                docs, weights = self._postings[t]
                out[docs] += weights
        return out
