"""Stored text vectors of listings and enterprises (for the text factor). Written when a listing is
published or a profile changes, only when the AI area's embedder is present; otherwise nothing is
stored and matching runs with the text factor off."""

from __future__ import annotations

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from scobank.exchange import text as text_model
from scobank.exchange.text import embed, listing_text, listing_words, model_name, text_hash
from scobank.exchange.models import Enterprise, Listing, TextVector


def _store(session: Session, *, owner: str, owner_id: int, text: str, model) -> None:
    digest = text_hash(text)
    row = session.get(TextVector, (owner, owner_id))
    if row is not None and row.text_hash == digest and row.model == model_name(model):
        return
    vector = embed(model, [text])[0]
    row = row or TextVector(owner=owner, owner_id=owner_id)
    row.model, row.text_hash, row.vector = model_name(model), digest, vector.astype(np.float32).tobytes()
    session.add(row)
    session.flush()


def store_listing_vector(session: Session, *, listing: Listing, model=None) -> bool:
    """Embed the listing's original text; False when there is no embedder."""
    model = model or text_model.embedder()
    if model is None:
        return False
    _store(session, owner="listing", owner_id=listing.id, model=model, text=listing_words(listing))
    return True


def store_enterprise_vector(session: Session, *, enterprise: Enterprise, model=None) -> bool:
    model = model or text_model.embedder()
    if model is None:
        return False
    _store(session, owner="enterprise", owner_id=enterprise.id, model=model,
           text=listing_text(enterprise.name, enterprise.description, enterprise.original_language))
    return True


def store_many(session: Session, *, owner: str, items: list[tuple[int, str]], model, batch: int = 256) -> int:
    """Embed many (id, text) pairs at once (demo, bulk import); identical texts are embedded once."""
    distinct = sorted({t for _, t in items})
    vectors: dict[str, bytes] = {}
    for start in range(0, len(distinct), batch):
        chunk = distinct[start: start + batch]
        for text, vector in zip(chunk, embed(model, chunk), strict=True):
            vectors[text] = vector.astype(np.float32).tobytes()
    name = model_name(model)
    ids = [owner_id for owner_id, _ in items]
    for start in range(0, len(ids), 5000):
        session.execute(delete(TextVector).where(TextVector.owner == owner,
                                                 TextVector.owner_id.in_(ids[start: start + 5000])))
    rows = [{"owner": owner, "owner_id": owner_id, "model": name, "text_hash": text_hash(text),
             "vector": vectors[text]} for owner_id, text in items]
    for start in range(0, len(rows), 5000):
        session.execute(insert(TextVector), rows[start: start + 5000])
    session.flush()
    return len(items)


def query_vector(session: Session, *, owner: str, owner_id: int, text: str) -> np.ndarray | None:
    """The stored vector, or one embedded now; None without an embedder."""
    row = session.get(TextVector, (owner, owner_id))
    if row is not None:
        return np.frombuffer(row.vector, dtype=np.float32)
    model = text_model.embedder()
    return None if model is None else embed(model, [text])[0]
