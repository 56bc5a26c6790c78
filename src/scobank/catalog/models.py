"""Tables of the catalog area."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scobank.db import Base, utcnow


class Organisation(Base):
    """A ministry, agency or institution that publishes; belongs to a party (a country)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    party: Mapped[str] = mapped_column(String(3), ForeignKey("countries.iso3"), index=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Dataset(Base):
    """A named, versioned table published by an organisation. Metadata texts are language maps."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    organisation_id: Mapped[int] = mapped_column(Integer, ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="table")  # table | trade
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    keywords: Mapped[dict] = mapped_column(JSON, default=dict)  # {"en": [...], "ru": [...]}
    themes: Mapped[list] = mapped_column(JSON, default=list)
    license: Mapped[str | None] = mapped_column(String(120))
    temporal_start: Mapped[int | None] = mapped_column(Integer)
    temporal_end: Mapped[int | None] = mapped_column(Integer)
    spatial: Mapped[list] = mapped_column(JSON, default=list)  # ISO3 codes
    classification: Mapped[str | None] = mapped_column(String(32))  # e.g. "HS22"
    contact: Mapped[str | None] = mapped_column(String(200))
    update_frequency: Mapped[str | None] = mapped_column(String(40))
    source_note: Mapped[str | None] = mapped_column(Text)  # provenance; "generated" data says so here
    # The Table Schema the steward declared (CLI --schema, API `schema` part, the wizard's editor): every
    # next version is staged with it; a different one is a stated schema change (catalog/publish.py).
    declared_schema: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DatasetVersion(Base):
    """An immutable version: Parquet in the lake under `content_hash`, with schema and report.

    The content never changes; a steward may only withdraw a version (the bytes stay, for the ledger and
    the signature; readers see it marked and the newest version not withdrawn serves) or publish an older
    content again as the newest version (`republished_from`: the number whose content it repeats)."""

    __tablename__ = "dataset_versions"
    __table_args__ = (
        UniqueConstraint("dataset_id", "number"),
        Index("ix_dataset_versions_content", "dataset_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int] = mapped_column(Integer, ForeignKey("datasets.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the Parquet bytes
    row_count: Mapped[int] = mapped_column(BigInteger)
    byte_size: Mapped[int] = mapped_column(BigInteger)
    table_schema: Mapped[dict] = mapped_column(JSON)  # Frictionless Table Schema
    report: Mapped[dict] = mapped_column(JSON)  # the validation report
    source_name: Mapped[str | None] = mapped_column(String(400))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    republished_from: Mapped[int | None] = mapped_column(Integer)
    schema_change: Mapped[str | None] = mapped_column(Text)  # the steward's note when the schema changed
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)


class DatasetSearchTerm(Base):
    """The catalog's inverted index: one normalised term of one dataset's metadata (any language),
    with a weight by field (title > keywords > description). Rebuilt whenever the metadata changes."""

    __tablename__ = "dataset_search_terms"
    # The postings of a term, covering: a query reads (term -> dataset_id, weight) from the index alone.
    # Created by the reference branch's migration reference_0003 (the search engineer owns this table).
    __table_args__ = (Index("ix_dataset_search_terms_postings", "term", "dataset_id", "weight"),)

    dataset_id: Mapped[int] = mapped_column(Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
                                            primary_key=True)
    term: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)


class SearchIndexState(Base):
    """One row: a stamp that changes whenever any dataset's search terms are rebuilt, so each process
    knows when its in-memory facet table (catalog/facets.py) is stale. Owned by catalog search."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))
