"""Tables of the ai area: the embedding cache of searchable items, and the products each item names.

One row per (kind, item, text part, model): `part` is the language of the text ("en", "ru", ...), so
an item is found through whichever of its languages is nearest to the query. `text_hash` lets a
rebuild skip texts that did not change. Rows of an item are dropped when its metadata changes or it is
deleted (scobank.ai.kinds.register_listeners, called at start-up); the next search or `scobank ai reindex` embeds it
again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from scobank.db import Base, utcnow


class Embedding(Base):
    __tablename__ = "ai_embeddings"
    # a kind's newest vectors, read by an index range: the in-memory indexes ask for what changed since
    # they were loaded (scobank.ai.index), never count the whole kind
    __table_args__ = (Index("ix_ai_embeddings_kind_model_updated_at", "kind", "model", "updated_at"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # dataset | listing | enterprise
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    part: Mapped[str] = mapped_column(String(16), primary_key=True)  # language of the text
    model: Mapped[str] = mapped_column(String(80), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, unit norm
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class ItemProducts(Base):
    """An item's likeliest HS headings ({heading: probability}, `scobank.ai.item_products`), read when its
    vectors are written, so a search never reads an item's text with the HS model. `nomenclature` is the
    digest of the HS texts read with: rows of another nomenclature are read again. Dropped with the
    item's vectors (its text changed, or it was deleted)."""

    __tablename__ = "ai_item_products"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(80), primary_key=True)
    nomenclature: Mapped[str] = mapped_column(String(64))
    products: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
