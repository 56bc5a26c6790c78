"""What search indexes outside the exchange (ai's semantic and lexical index) read of its listings and
enterprises, without its tables: their texts and anonymous card fields by id, how many there are, which
listings are public now, and hooks called when a row changes. Never an enterprise's identity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from scobank.db import RowChanged, on_row_change
from scobank.exchange.models import Enterprise, Listing
from scobank.exchange.public_listings import public_ids


@dataclass(frozen=True)
class ListingCard:
    id: int
    title: dict
    description: dict
    kind: str
    side: str
    hs_code: str | None
    party: str
    size_band: str


@dataclass(frozen=True)
class EnterpriseCard:
    id: int
    party: str
    sectors: list
    products: list
    size_band: str


def _ids(column, ids: Iterable[int] | None):
    return column.in_(list(ids)) if ids is not None else true()


def listing_texts(session: Session, ids: Iterable[int] | None = None) -> list[tuple[int, dict, dict]]:
    """(id, title, description) of the listings `ids` (every listing when None), by id."""
    return [(i, title or {}, description or {}) for i, title, description in session.execute(
        select(Listing.id, Listing.title, Listing.description).where(_ids(Listing.id, ids)).order_by(Listing.id))]


def listing_cards(session: Session, ids: Iterable[int]) -> list[ListingCard]:
    """The listings `ids`, with their enterprise's party and size."""
    rows = session.execute(select(Listing.id, Listing.title, Listing.description, Listing.kind, Listing.side,
                                  Listing.hs_code, Enterprise.party, Enterprise.size_band)
                           .join(Enterprise, Enterprise.id == Listing.enterprise_id).where(Listing.id.in_(list(ids))))
    return [ListingCard(id=r.id, title=dict(r.title or {}), description=dict(r.description or {}), kind=r.kind,
                        side=r.side, hs_code=r.hs_code, party=r.party, size_band=r.size_band) for r in rows]


def public_listing_ids(session: Session, ids: Iterable[int], *, stamp: tuple | None = None) -> set[int]:
    """Those of `ids` that anyone may see now: published and not expired (the exchange's public rule).
    Judged from each listing's state kept in memory while the listings' stamp (`stamp`: just read by the
    caller, else read now) is unchanged (`scobank.exchange.public_listings`); read by primary key when not
    kept: with the rule in the WHERE clause SQLite walks the status index of every listing (70 ms per call
    at 100,000 listings)."""
    return public_ids(session, ids, stamp if stamp is not None else listings_stamp(session))


def enterprise_cards(session: Session, ids: Iterable[int] | None = None) -> list[EnterpriseCard]:
    """The anonymous fields of the enterprises `ids` (every enterprise when None), by id."""
    rows = session.execute(select(Enterprise.id, Enterprise.party, Enterprise.sectors, Enterprise.products,
                                  Enterprise.size_band).where(_ids(Enterprise.id, ids)).order_by(Enterprise.id))
    return [EnterpriseCard(id=r.id, party=r.party, sectors=list(r.sectors or []), products=list(r.products or []),
                           size_band=r.size_band) for r in rows]


def count_listings(session: Session) -> int:
    return session.scalar(select(func.count(Listing.id))) or 0


def count_enterprises(session: Session) -> int:
    return session.scalar(select(func.count(Enterprise.id))) or 0


def _stamp(session: Session, model: type) -> tuple:
    """The newest id and edit time of `model`'s rows: changes when one is added or edited. Two scalar
    subqueries, so each is one index read (in one SELECT the two aggregates scan the table)."""
    return tuple(session.execute(select(select(func.max(model.id)).scalar_subquery(),
                                        select(func.max(model.updated_at)).scalar_subquery())).one())


def listings_stamp(session: Session) -> tuple:
    return _stamp(session, Listing)


def enterprises_stamp(session: Session) -> tuple:
    return _stamp(session, Enterprise)


def on_listing_change(callback: RowChanged) -> None:
    """Call `callback(connection, listing id)` after a listing row is updated or deleted."""
    on_row_change(Listing, callback)


def on_enterprise_change(callback: RowChanged) -> None:
    """Call `callback(connection, enterprise id)` after an enterprise row is updated or deleted."""
    on_row_change(Enterprise, callback)
