"""The semantic index: embeddings of searchable items, cached in the store (`ai_embeddings`).

An item kind (datasets, listings, enterprises: `scobank.ai.kinds.KINDS`) says how to enumerate its
items' texts by language. `sync` embeds the items that have no vectors yet (new, or changed: the
listeners below drop an item's vectors whenever its row is updated or deleted); `reindex` rebuilds a
kind, skipping texts whose hash did not change. The in-memory indexes that search reads are in
`scobank.ai.vectors` (meaning) and `scobank.ai.lexical` (words).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scobank.ai.embedding import Embedder
from scobank.ai.models import Embedding, ItemProducts
from scobank.ai import stored_products
from scobank.ai.vectors import forget_newest, newest_vector, once_per_look
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
    # a cheap token (index reads) that changes when an item is added or edited; None: count every time
    stamp: Callable[[Session], tuple] | None = None


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _store(session: Session, kind: str, items: list[tuple[str, Texts]], model: Embedder, *,
           known: dict[tuple[str, str], str] | None = None) -> int:
    """Embed and write the texts of `items` (replacing what each item had); returns texts embedded."""
    known = known or {}
    rows, todo = [], []
    for item_id, texts in items:
        # An item with no text gets one empty row, so "every item has vectors" stays a cheap count.
        parts = [(item_id, part, text, text_hash(text)) for part, text in (texts or {EMPTY_PART: ""}).items()]
        if any(known.get((item_id, part)) != digest for _, part, _, digest in parts):
            todo += parts  # all its parts: the item's rows are replaced together
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
    forget_newest(kind)
    _store_products(session, kind, items, todo, vectors, model)
    return len(rows)


def _store_products(session: Session, kind: str, items: list[tuple[str, Texts]], todo: list[tuple],
                    vectors, model: Embedder) -> None:
    """The products each item just embedded names, read now with its vectors (`scobank.ai.stored_products`)."""
    if kind not in stored_products.PRODUCT_KINDS:
        return
    parts: dict[str, list] = {}
    for (item_id, part, _text, _digest), vector in zip(todo, vectors, strict=True):
        if part != EMPTY_PART:
            parts.setdefault(item_id, []).append(vector)
    texts = dict(items)
    stored_products.store(session, kind, model.name, {
        item: (". ".join(texts[item].values()), stored_products.item_vector(found)) for item, found in parts.items()})


def embedded_count(session: Session, kind: str, model: Embedder) -> int:
    return session.scalar(select(func.count(func.distinct(Embedding.item_id)))
                          .where(Embedding.kind == kind, Embedding.model == model.name)) or 0


_SYNCED: dict[tuple[str, str, str], tuple] = {}  # (database, kind, model) -> state when last found complete


def _state(session: Session, kind: StoredKind, model: Embedder) -> tuple | None:
    if kind.stamp is None:
        return None
    return (*stamp_of(session, kind), newest_vector(session, kind.name, model))


def stamp_of(session: Session, kind: StoredKind) -> tuple:
    """The kind's stamp (its rows' newest id and edit time), read once per search."""
    return once_per_look(session, f"stamp:{kind.name}", lambda: kind.stamp(session))


def sync(session: Session, kind: StoredKind, model: Embedder) -> int:
    """Embed the items of `kind` that have no vectors. Cheap when nothing changed since this process last
    found every item embedded (the kind's stamp and its newest vector: index reads); else two counts.
    Runs in a savepoint: a concurrent request that wrote the same rows first wins. Returns texts embedded."""
    key = (str(session.get_bind().url), kind.name, model.name)
    state = _state(session, kind, model)
    if state is not None and _SYNCED.get(key) == state:
        return 0
    if kind.count(session) == embedded_count(session, kind.name, model):
        if state is not None:
            _SYNCED[key] = state
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
    forget_newest(kind.name)
    for start in range(0, len(gone), 1000):
        session.execute(delete(Embedding).where(Embedding.kind == kind.name,
                                                Embedding.item_id.in_(gone[start:start + 1000])))
    stored_products.forget(session, kind.name, gone)
    stored_products.fill(session, kind.name, model.name, lambda ids: _joined(session, kind, ids))
    return embedded


def _joined(session: Session, kind: StoredKind, ids: list[str]) -> dict[str, str]:
    return {item: ". ".join(texts.values()) for item, texts in kind.texts(session, ids)}


def forget_on_change(watch: Callable[[RowChanged], None], kind: str) -> None:
    """Drop an item's vectors when its row is updated or deleted (the next sync embeds it again);
    `watch` is the owning area's hook for its rows (e.g. `catalog.index_feed.on_dataset_change`)."""
    watch(_forget(kind))


@functools.cache
def _forget(kind: str) -> RowChanged:
    def drop(connection, item_id: int) -> None:
        connection.execute(delete(Embedding.__table__).where(Embedding.__table__.c.kind == kind,
                                                             Embedding.__table__.c.item_id == str(item_id)))
        connection.execute(delete(ItemProducts.__table__).where(ItemProducts.__table__.c.kind == kind,
                                                                ItemProducts.__table__.c.item_id == str(item_id)))

    return drop
