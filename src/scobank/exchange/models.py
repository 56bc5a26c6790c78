"""Tables of the exchange area: enterprise profiles, listings, expressions of interest, matches served,
saved searches and notifications (their e-mail goes through `scobank.mail`).

Listings keep their kind-specific fields in `details` (validated by the pydantic model of the kind, see
`kinds.py`); the fields the matcher reads (HS code, volume, time window, ...) are derived from `details`
into plain columns when a listing is saved, so matching never parses JSON.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from scobank.db import Base, utcnow


class Enterprise(Base):
    """An enterprise profile. Everything but `contacts` is visible, anonymised, to other parties."""

    __tablename__ = "exchange_enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    party: Mapped[str] = mapped_column(String(3), index=True)  # ISO3
    name: Mapped[dict] = mapped_column(JSON, default=dict)  # {"en": ..., "ru": ...}
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    original_language: Mapped[str] = mapped_column(String(8), default="en")
    region: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    sectors: Mapped[list] = mapped_column(JSON, default=list)  # ISIC rev. 4 codes
    products: Mapped[list] = mapped_column(JSON, default=list)  # HS codes (2, 4 or 6 digits)
    certifications: Mapped[list] = mapped_column(JSON, default=list)
    size_band: Mapped[str] = mapped_column(String(16), default="small")  # micro|small|medium|large
    languages: Mapped[list] = mapped_column(JSON, default=list)
    contacts: Mapped[dict] = mapped_column(JSON, default=dict)  # private: shown after mutual interest
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)


class Listing(Base):
    """An offer, a request or a joint project proposal of one enterprise."""

    __tablename__ = "exchange_listings"
    __table_args__ = (Index("ix_exchange_listings_match", "status", "side", "hs2", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("exchange_enterprises.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    side: Mapped[str] = mapped_column(String(8))  # offer | request
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft|pending|published|expired
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    original_language: Mapped[str] = mapped_column(String(8), default="en")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # Derived from `details` on save, for matching and search.
    hs_code: Mapped[str | None] = mapped_column(String(6))
    hs4: Mapped[str | None] = mapped_column(String(4), index=True)
    hs2: Mapped[str | None] = mapped_column(String(2))
    volume: Mapped[float | None] = mapped_column(Float)  # per year, in `unit`
    unit: Mapped[str | None] = mapped_column(String(12))
    available_from: Mapped[date | None] = mapped_column(Date)
    available_to: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    sourced_from: Mapped[str | None] = mapped_column(String(3))
    trl: Mapped[int | None] = mapped_column(Integer)
    sector: Mapped[str | None] = mapped_column(String(4))  # ISIC rev. 4 the listing names (capability)
    # A listing without an HS code: what the HS suggester read in its words when it was published or
    # edited ([{code, heading, confidence, names}], [] nothing clear; NULL not read yet), shown with matches.
    hs_hints: Mapped[list | None] = mapped_column(JSON)
    certifications_required: Mapped[list] = mapped_column(JSON, default=list)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    renewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    created_by_user_id: Mapped[int | None] = mapped_column(Integer)
    moderated_by_user_id: Mapped[int | None] = mapped_column(Integer)
    moderation_reason: Mapped[str | None] = mapped_column(String(1000))  # why an operator refused or withdrew it
    generated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)


class TextVector(Base):
    """The embedding of a listing's or enterprise's original text (float32 bytes), for text similarity."""

    __tablename__ = "exchange_text_vectors"

    owner: Mapped[str] = mapped_column(String(12), primary_key=True)  # listing | enterprise
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(80))
    text_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class ModerationRule(Base):
    """A party whose steward reviews listings before they are published."""

    __tablename__ = "exchange_moderation_rules"

    party: Mapped[str] = mapped_column(String(3), primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    scope: Mapped[str] = mapped_column(String(12), default="all")  # all | unverified (enterprises)
    set_by_user_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Interest(Base):
    """An expression of interest from one enterprise in another's listing (double opt-in).

    The initiator accepts by expressing; contacts are revealed to both only while both accepted and
    neither withdrew (status "mutual").
    """

    __tablename__ = "exchange_interests"
    __table_args__ = (UniqueConstraint("listing_id", "from_enterprise_id", name="uq_exchange_interest_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listings.id"), index=True)
    from_enterprise_id: Mapped[int] = mapped_column(ForeignKey("exchange_enterprises.id"), index=True)
    to_enterprise_id: Mapped[int] = mapped_column(ForeignKey("exchange_enterprises.id"), index=True)
    source_listing_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_listings.id"))
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|mutual|withdrawn
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    mutual_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by_enterprise_id: Mapped[int | None] = mapped_column(Integer)
    meeting_at: Mapped[datetime | None] = mapped_column(DateTime)
    agreement_at: Mapped[datetime | None] = mapped_column(DateTime)
    generated: Mapped[bool] = mapped_column(Boolean, default=False)


class MatchServed(Base):
    """A (listing, candidate) pair shown to a user as a match: the first stage of the funnel."""

    __tablename__ = "exchange_matches_served"
    __table_args__ = (UniqueConstraint("listing_id", "candidate_listing_id", name="uq_exchange_match_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listings.id"), index=True)
    candidate_listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listings.id"))
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SavedSearch(Base):
    """A user's standing query; a newly published listing that satisfies it raises a notification."""

    __tablename__ = "exchange_saved_searches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The criteria a publish can test in SQL, copied out of `criteria` (NULL: any), so that a publish reads
    # only the searches it may satisfy; the parties are rows of SavedSearchParty unless `any_party`.
    kind: Mapped[str | None] = mapped_column(String(24), index=True)
    side: Mapped[str | None] = mapped_column(String(8))
    hs: Mapped[str | None] = mapped_column(String(6), index=True)
    any_party: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class SavedSearchParty(Base):
    """One party a saved search asks for (the index of the alert fan-out by country)."""

    __tablename__ = "exchange_saved_search_parties"

    search_id: Mapped[int] = mapped_column(ForeignKey("exchange_saved_searches.id", ondelete="CASCADE"),
                                           primary_key=True)
    party: Mapped[str] = mapped_column(String(3), primary_key=True, index=True)


class Notification(Base):
    """An in-app message for one user."""

    __tablename__ = "exchange_notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    topic: Mapped[str] = mapped_column(String(40))  # listing-matches-search | interest | mutual | ...
    message: Mapped[str] = mapped_column(Text)
    listing_id: Mapped[int | None] = mapped_column(Integer)
    interest_id: Mapped[int | None] = mapped_column(Integer)
    saved_search_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)


class ThreadMessage(Base):
    """A message between the two sides of an expression of interest: text and an optional attachment,
    stored in the bank and seen only by the two enterprises."""

    __tablename__ = "exchange_thread_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interest_id: Mapped[int] = mapped_column(ForeignKey("exchange_interests.id"), index=True)
    from_enterprise_id: Mapped[int] = mapped_column(ForeignKey("exchange_enterprises.id"))
    author_user_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)  # its enterprise closed: text and file dropped


class OutcomeConfirmation(Base):
    """One side's confirmation of a meeting or an agreement; the stage counts once both sides confirmed."""

    __tablename__ = "exchange_outcome_confirmations"
    __table_args__ = (UniqueConstraint("interest_id", "stage", "enterprise_id", name="uq_exchange_outcome_side"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interest_id: Mapped[int] = mapped_column(ForeignKey("exchange_interests.id"), index=True)
    stage: Mapped[str] = mapped_column(String(12))  # meeting | agreement
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("exchange_enterprises.id"))
    user_id: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RegistryId(Base):
    """A company's registry identifier in one country (INN, BIN, USCC, ...): one per enterprise and
    country, checked for format and check digit on entry; `status` stays "unverified" until a
    steward of the party verifies it."""

    __tablename__ = "exchange_registry_ids"
    __table_args__ = (UniqueConstraint("enterprise_id", "party", name="uq_exchange_registry_id_country"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("exchange_enterprises.id"), index=True)
    party: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), default="unverified")  # unverified|verified|refused|revoked
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)  # a steward's reason for refusing or revoking
    reviewed_by_user_id: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)


class ListingReport(Base):
    """A user's report that a listing breaks the rules, until an operator decides on the listing."""

    __tablename__ = "exchange_listing_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listings.id"), index=True)
    reporter_user_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(String(12))  # kept | withdrawn
