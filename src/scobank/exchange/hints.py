"""The HS code a listing without one most likely names, as the AI area's suggester reads its words.

Read once when the listing is published or edited and stored with it (`Listing.hs_hints`), so that
matching shows the suggestion to the author without running the suggester on every match. A bulk
import does not read them (tens of thousands of suggestions would make it many minutes longer): an
imported listing is read at its first match and stored then.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from scobank.errors import NotFound
from scobank.exchange import text as text_model
from scobank.exchange.models import Listing
from scobank.exchange.text import listing_words

TOP = 3


class HsHint(BaseModel):
    """An HS code the AI area's suggester reads in a listing that names none (shown to its author)."""

    code: str
    heading: str
    confidence: int  # %
    names: dict[str, str]  # the heading in en/ru/zh where known


def suggest(session: Session, listing: Listing) -> list[HsHint] | None:
    """What the suggester reads in the listing's words now: [] with an HS code or no clear match, None
    when there is no suggester or no nomenclature to read with (then nothing is stored)."""
    suggest_hs = text_model.hs_suggester()
    if listing.hs_code:
        return []
    if suggest_hs is None:
        return None
    try:
        answer = suggest_hs(session, listing_words(listing), top=TOP)
    except NotFound:  # no nomenclature loaded
        return None
    if answer.status != "ok":
        return []
    return [HsHint(code=x.code, heading=x.heading, confidence=x.confidence, names=x.heading_names)
            for x in answer.suggestions]


def store_hints(session: Session, listing: Listing) -> None:
    """Read the listing's words again and keep the answer (called on publish and on edit)."""
    found = suggest(session, listing)
    listing.hs_hints = None if found is None else [h.model_dump() for h in found]


def hints(session: Session, listing: Listing) -> list[HsHint]:
    """The stored suggestion, read and stored now when there is none yet."""
    if listing.hs_code:
        return []
    if listing.hs_hints is None:
        found = suggest(session, listing)
        if found is None:
            return []
        _keep_quietly(session, listing, [h.model_dump() for h in found])
    return [HsHint(**h) for h in listing.hs_hints or []]


def _keep_quietly(session: Session, listing: Listing, value: list[dict]) -> None:
    """Store a suggestion read at match time without touching `updated_at`: what the matcher reads of
    the listing did not change, so its columnar snapshot need not be refreshed."""
    session.execute(update(Listing).where(Listing.id == listing.id)
                    .values(hs_hints=value, updated_at=Listing.updated_at))
    set_committed_value(listing, "hs_hints", value)

