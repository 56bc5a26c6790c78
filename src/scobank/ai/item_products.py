"""The products an item names (a listing's likeliest HS headings), read once per item with the HS model:
the bridge of cross-lingual listing search. A query and a listing written in different languages rarely
share words, and the sentence embedder misses rare technical words across languages (карбамид / urea /
尿素: cosine 0.15-0.29), but both name the same heading of the nomenclature, whose texts are in en/ru/zh.

`products_of` gives an item's likeliest headings with their probabilities, cached per item and vector
(a new vector means a new text), so a query pays only for the candidates it is the first to see;
`agreement` says how surely a query and an item name the same heading. Choices (full HS reading of the
item's text, the Bhattacharyya coefficient) were made on tests/data/listings_xling_tuning.jsonl
(benchmarks/listings_xling.py), never on the held-out set.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

import numpy as np

from scobank.ai.hs_model import HsModel

TOP, MIN_P = 5, 0.02  # an item's headings kept: the likeliest 5 with probability >= 2 %
_CACHE: dict[tuple[int, str, bytes], dict[str, float]] = {}  # (model, item, vector digest)
_LOCK = threading.Lock()
MAX_CACHED = 500_000
# Items read per call beyond the cache (nearest first; ~4 ms of CPU each): a query over a large store
# stays within a few tens of ms, and the others are read by the queries after it.
NEW_PER_CALL = 8


def products_of(hs: HsModel, items: dict[str, np.ndarray], texts: Callable[[list[str]], dict[str, str]]
                ) -> dict[str, dict[str, float]]:
    """item -> {heading: probability} of its likeliest headings; `items` maps each item to its vector
    (nearest first), `texts(ids)` gives the text of items not read before (one call for all of them).
    At most NEW_PER_CALL items are read per call: the others are left out until a later call."""
    keys = {item: (id(hs), item, hashlib.blake2b(vector.tobytes(), digest_size=16).digest())
            for item, vector in items.items()}
    with _LOCK:
        out = {item: _CACHE[key] for item, key in keys.items() if key in _CACHE}
    missing = [item for item in items if item not in out][:NEW_PER_CALL]
    if missing:
        read = texts(missing)
        fresh = read_items(hs, {item: read[item] for item in missing if read.get(item)}, items)
        with _LOCK:
            if len(_CACHE) > MAX_CACHED:
                _CACHE.clear()
            _CACHE.update({keys[item]: found for item, found in fresh.items()})
        out.update(fresh)
    return out


def read_items(hs: HsModel, texts: dict[str, str], vectors: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """The likeliest headings of each item of `texts`, read all at once (`HsModel.signals_many`)."""
    if not texts:
        return {}
    signals = hs.signals_many(list(texts.values()), np.stack([vectors[item] for item in texts]))
    out = {}
    for item, found in zip(texts, signals, strict=True):
        p = hs.probabilities(found)
        out[item] = {hs.headings[int(i)]: float(p[i]) for i in np.argsort(-p)[:TOP] if p[i] >= MIN_P}
    return out


def agreement(hs: HsModel, query_p: np.ndarray, products: dict[str, float]) -> tuple[float, str | None]:
    """(how surely the query and the item name the same heading, 0-1; that heading): the Bhattacharyya
    coefficient of the two distributions over the item's likeliest headings, and the heading that
    contributes most."""
    if not products:
        return 0.0, None
    shares = {h: float(np.sqrt(query_p[hs.position[h]] * p)) for h, p in products.items()}
    best = max(shares, key=shares.get)
    return min(1.0, sum(shares.values())), best
