"""`find_matches`: the explained ranking for one listing, as the API and CLI show it."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, Unauthenticated
from scobank.exchange.hints import HsHint, hints
from scobank.exchange.kinds import matching_fields, validate_details
from scobank.exchange.listings import listing_enterprise, visible_listing
from scobank.exchange.matching.explain import relevance_note
from scobank.exchange.matching.factors import Query
from scobank.exchange.matching.geography import bloc_members
from scobank.exchange.matching.inputs import MatchingInputs, matching_inputs
from scobank.exchange.matching.scorer import Filters, Ranking, rank
from scobank.exchange.matching.snapshot import current_snapshot, sector_int
from scobank.exchange import text as text_model
from scobank.exchange.text import listing_words
from scobank.exchange.matching.weights import resolve_weights
from scobank.exchange.models import Listing, MatchServed
from scobank.exchange.ownership import owns
from scobank.exchange.profiles import kin_enterprises


class FactorPublic(BaseModel):
    factor: str
    value: float | None
    weight: float
    effective_weight: float
    contribution: float
    note: str  # English
    note_template: str = ""  # the English note as a msgid with %(name)s fields (the portal translates it)
    note_args: dict[str, str] = {}


class MatchPublic(BaseModel):
    target: str  # listing | enterprise
    id: int
    party: str
    size_band: str | None
    kind: str | None
    hs_code: str | None
    title: dict[str, str] | None
    score: float
    generated: bool
    factors: list[FactorPublic]
    relevance: float | None = None  # no HS code on one side: the score was scaled by this (see note)
    relevance_note: str = ""  # English
    relevance_template: str = ""  # as a msgid, for the portal
    relevance_args: dict[str, str] = {}


class MatchReport(BaseModel):
    listing_id: int
    item: int | None
    hs_suggestions: list[HsHint] = []  # the listing has no HS code: what its text suggests
    weights: dict[str, float]
    text_enabled: bool
    notes: list[str]
    considered: int
    elapsed_ms: float
    matches: list[MatchPublic]
    enterprises: list[MatchPublic]


def _ordinal(d) -> float:
    return float(d.toordinal()) if d is not None else np.nan


def build_query(session: Session, *, listing: Listing, item: int | None, with_text: bool,
                inputs: MatchingInputs) -> Query:
    """The matcher's view of a listing (for a project: of its missing input number `item`)."""
    enterprise = listing_enterprise(session, listing)
    model = validate_details(listing.kind, listing.details)
    if item is not None and (listing.kind != "project" or not 0 <= item < len(model.missing)):
        raise BadRequest(f"listing {listing.id} has no missing input number {item}")
    f = matching_fields(listing.kind, model, item=item)
    vector = None
    if with_text:
        from scobank.exchange.vectors import query_vector

        vector = query_vector(session, owner="listing", owner_id=listing.id, text=listing_words(listing))
    return Query(
        side=listing.side, kind=listing.kind, listing_id=listing.id, enterprise_id=enterprise.id,
        party=enterprise.party, hs_code=f["hs_code"], volume=f["volume"], unit=f["unit"],
        available_from=_ordinal(f["available_from"]), available_to=_ordinal(f["available_to"]),
        deadline=_ordinal(f["deadline"]),
        lead_time=float(f["lead_time_days"]) if f["lead_time_days"] is not None else np.nan,
        sourced_from=f["sourced_from"], trl=float(f["trl"]) if f["trl"] is not None else np.nan,
        sector=sector_int(f["sector"]),
        lat=enterprise.lat if enterprise.lat is not None else np.nan,
        lon=enterprise.lon if enterprise.lon is not None else np.nan,
        holds=list(enterprise.certifications or []), requires=list(f["certifications_required"]),
        vector=vector, related_hs4=inputs.related.get(f["hs4"] or "", frozenset()),
        kin=kin_enterprises(session, enterprise),
        today=float(utcnow().date().toordinal()))


def find_matches(session: Session, *, reader: Reader, listing_id: int, item: int | None = None,
                 weights: dict[str, float] | None = None, filters: Filters = Filters(), limit: int = 20,
                 explain: int = 10, record: bool = True, now: datetime | None = None) -> MatchReport:
    """Rank the counterparts of a listing the reader may see, each explained factor by factor.

    Matches shown to the listing's owner are recorded as the funnel's first stage; every call is
    in the ledger. Raises Unauthenticated (anonymous: matches name enterprises), AccessDenied (not
    the listing's enterprise), NotFound (listing not visible), BadRequest (bad weights or item)."""
    if reader.is_anonymous:
        raise Unauthenticated("log in to see the matches of a listing (they name enterprises)")
    listing = visible_listing(session, reader=reader, listing_id=listing_id)
    if not owns(reader, listing_enterprise(session, listing)):
        raise AccessDenied(f"the matches of listing {listing_id} are shown only to its enterprise")
    resolved = resolve_weights(weights)
    with_text = resolved.get("text", 0) > 0 and text_model.embedder() is not None
    inputs = matching_inputs(session, reader=reader)
    query = build_query(session, listing=listing, item=item, with_text=with_text, inputs=inputs)
    snapshot = current_snapshot(session, inputs=inputs, with_vectors=with_text)
    ranking = rank(snapshot, query, weights=resolved, filters=filters, limit=limit, explain=explain,
                   bloc=bloc_members(session), now=now)
    report = _report(session, listing_id, item, ranking)
    report.hs_suggestions = hints(session, listing) if with_text else []
    if record and listing.status == "published":
        _record_served(session, listing, report)
    ledger.record(session, actor=reader, action="exchange.match",
                  detail={"listing_id": listing_id, "item": item, "matches": len(report.matches)})
    return report


def _report(session: Session, listing_id: int, item: int | None, ranking: Ranking) -> MatchReport:
    ids = [m.id for m in ranking.matches]
    titles = dict(session.execute(select(Listing.id, Listing.title).where(Listing.id.in_(ids))).all()) if ids else {}

    def public(m, title):
        said = relevance_note(m.relevance)
        return MatchPublic(target=m.target, id=m.id, party=m.party, size_band=m.size_band, kind=m.kind,
                           hs_code=m.hs_code, title=title, score=m.score, generated=m.generated,
                           factors=[FactorPublic(**vars(f)) for f in m.factors], relevance=m.relevance,
                           relevance_note=str(said or ""), relevance_template=said.template if said else "",
                           relevance_args=said.args if said else {})

    return MatchReport(listing_id=listing_id, item=item, weights=ranking.weights, text_enabled=ranking.text_enabled,
                       notes=ranking.notes, considered=ranking.considered, elapsed_ms=round(ranking.elapsed_ms, 2),
                       matches=[public(m, titles.get(m.id)) for m in ranking.matches],
                       enterprises=[public(m, None) for m in ranking.enterprises])


def _record_served(session: Session, listing: Listing, report: MatchReport) -> None:
    known = set(session.scalars(select(MatchServed.candidate_listing_id)
                                .where(MatchServed.listing_id == listing.id)))
    for m in report.matches:
        if m.id not in known:
            session.add(MatchServed(listing_id=listing.id, candidate_listing_id=m.id, score=m.score))
    session.flush()
