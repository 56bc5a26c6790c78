"""The outcome funnel: match -> interest -> mutual interest -> meeting -> agreement, counted by party
(of the enterprise whose listing it is about) or by sector (the listing's HS chapter).

- match: a (listing, candidate) pair shown as a match (exchange_matches_served), counted once;
- interest: an expression of interest made; mutual: accepted by both (even if withdrawn later);
- meeting / agreement: recorded by either side of a mutual interest.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.errors import BadRequest
from scobank.exchange.models import Enterprise, Interest, Listing, MatchServed

STAGES = ("match", "interest", "mutual", "meeting", "agreement")


class FunnelRow(BaseModel):
    key: str
    match: int = 0
    interest: int = 0
    mutual: int = 0
    meeting: int = 0
    agreement: int = 0


class FunnelReport(BaseModel):
    by: str  # party | sector
    rows: list[FunnelRow]
    total: FunnelRow


def funnel(session: Session, *, by: str = "party") -> FunnelReport:
    """Counts per stage, grouped `by` "party" or "sector" (HS chapter), with a total row."""
    if by not in ("party", "sector"):
        raise BadRequest(f"funnel by {by!r}; expected 'party' or 'sector'")
    key = Enterprise.party if by == "party" else func.coalesce(Listing.hs2, "--")
    rows: dict[str, FunnelRow] = {}

    def row(k) -> FunnelRow:
        return rows.setdefault(str(k), FunnelRow(key=str(k)))

    matches = (select(key, func.count(MatchServed.id)).join(Listing, Listing.id == MatchServed.listing_id)
               .join(Enterprise, Enterprise.id == Listing.enterprise_id).group_by(key))
    for k, n in session.execute(matches):
        row(k).match = n
    interests = (select(key, func.count(Interest.id), func.count(Interest.mutual_at), func.count(Interest.meeting_at),
                        func.count(Interest.agreement_at))
                 .join(Listing, Listing.id == Interest.listing_id)
                 .join(Enterprise, Enterprise.id == Listing.enterprise_id).group_by(key))
    for k, n, mutual, meeting, agreement in session.execute(interests):
        r = row(k)
        r.interest, r.mutual, r.meeting, r.agreement = n, mutual, meeting, agreement
    ordered = sorted(rows.values(), key=lambda r: r.key)
    total = FunnelRow(key="total", **{s: sum(getattr(r, s) for r in ordered) for s in STAGES})
    return FunnelReport(by=by, rows=ordered, total=total)
