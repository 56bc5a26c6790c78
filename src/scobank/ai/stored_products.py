"""The products each item names, read when its vectors are written and stored (`ai_item_products`).

Reading an item's likeliest HS headings (`scobank.ai.item_products`: its text against the 17,700
nomenclature vectors and the headings' BM25) costs a few ms of CPU. Read per query, the candidates of a
search over 100,000 listings cost it tens of ms; read once when the item is indexed (`scobank.ai.index`
calls `store`), a search reads them by key (`stored`). An item's row is dropped with its vectors (its
text changed, or it was deleted); a row read with another nomenclature counts as missing. `fill` reads
the items indexed before this store existed (`scobank ai reindex`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from scobank.ai.hs_model import HsModel, hs_model
from scobank.ai.item_products import read_items
from scobank.ai.models import Embedding, ItemProducts
from scobank.db import utcnow
from scobank.errors import NotFound

PRODUCT_KINDS = frozenset({"listing"})  # the kinds the same-product bridge of search reads
BATCH = 256  # items read with the HS model at once (one matrix product per nomenclature part)
KEYS = 500  # item ids per IN list


def _hs(session: Session) -> HsModel | None:
    try:
        return hs_model(session)
    except (NotFound, ImportError):  # no nomenclature loaded, no embedder: nothing to read with
        return None


def item_vector(vectors: Sequence[np.ndarray]) -> np.ndarray:
    """An item's vector: the mean of its texts' vectors (one per language), unit norm."""
    mean = np.mean(np.stack(vectors), axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


def forget(session: Session, kind: str, ids: Sequence[str]) -> None:
    for start in range(0, len(ids), KEYS):
        session.execute(delete(ItemProducts).where(ItemProducts.kind == kind,
                                                   ItemProducts.item_id.in_(list(ids[start:start + KEYS]))))


def store(session: Session, kind: str, model: str, items: dict[str, tuple[str, np.ndarray]], *,
          hs: HsModel | None = None) -> int:
    """Read and store the products of `items` (item -> (its texts joined, its vector)), replacing what
    each had. Returns the items stored; 0 when the kind has none or there is no HS model."""
    if kind not in PRODUCT_KINDS or not items:
        return 0
    hs = hs or _hs(session)
    if hs is None:
        return 0
    ids, now, done = list(items), utcnow(), 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found = read_items(hs, {i: items[i][0] for i in chunk if items[i][0]}, {i: items[i][1] for i in chunk})
        forget(session, kind, chunk)
        if found:
            session.execute(insert(ItemProducts), [
                {"kind": kind, "item_id": i, "model": model, "nomenclature": hs.digest, "products": p,
                 "updated_at": now} for i, p in found.items()])
        done += len(found)
    return done


def stored(session: Session, hs: HsModel, kind: str, model: str, ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """item -> {heading: probability} of those of `ids` whose products are stored (one read by key)."""
    out: dict[str, dict[str, float]] = {}
    for start in range(0, len(ids), KEYS):
        out.update((item, products) for item, products in session.execute(
            select(ItemProducts.item_id, ItemProducts.products).where(
                ItemProducts.kind == kind, ItemProducts.model == model, ItemProducts.nomenclature == hs.digest,
                ItemProducts.item_id.in_(list(ids[start:start + KEYS])))))
    return out


def fill(session: Session, kind: str, model: str, texts: Callable[[list[str]], dict[str, str]], *,
         progress: Callable[[int], None] | None = None, chunk: int = 2000) -> int:
    """Read and store the products of the items of `kind` that have vectors but none stored for the
    bank's nomenclature; `texts(ids)` gives their texts joined. Returns the items read."""
    hs = _hs(session) if kind in PRODUCT_KINDS else None
    if hs is None:
        return 0
    have = set(session.scalars(select(ItemProducts.item_id).where(
        ItemProducts.kind == kind, ItemProducts.model == model, ItemProducts.nomenclature == hs.digest)))
    todo = sorted(set(session.scalars(select(Embedding.item_id).distinct().where(
        Embedding.kind == kind, Embedding.model == model))) - have)
    done = 0
    for start in range(0, len(todo), chunk):
        ids = todo[start:start + chunk]
        parts: dict[str, list[np.ndarray]] = {}
        for start_key in range(0, len(ids), KEYS):
            for item, vector in session.execute(select(Embedding.item_id, Embedding.vector).where(
                    Embedding.kind == kind, Embedding.model == model,
                    Embedding.item_id.in_(ids[start_key:start_key + KEYS]))):
                parts.setdefault(item, []).append(np.frombuffer(vector, dtype=np.float32))
        joined = texts(ids)
        done += store(session, kind, model, {i: (joined.get(i, ""), item_vector(v)) for i, v in parts.items()}, hs=hs)
        if progress:
            progress(len(ids))
    return done
