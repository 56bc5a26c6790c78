"""Ranking: score every candidate in one pass of numpy, explain the top few factor by factor.

score = Σ_f w_f·v_f / Σ_f w_f over the factors f that apply to the pair (value not NaN). Each factor of
an explained match is reported with its value, its configured weight, the weight it actually carried
for that pair, and its contribution (effective weight × value; the contributions add up to the score).

Candidates: for a request, the offers of the kinds that answer it (kinds.ANSWERS) and the enterprise
profiles; for an offer, the requests and projects it answers. Never the querying enterprise itself,
never an expired listing.

Relevance gate: when the pair cannot be compared by declared HS codes (one side has none: capacity,
technology, a profile without products), nothing else says the two are about the same goods or work, so
the score is multiplied by the evidence that they are: the larger of the text factor's evidence
(`factors.text_evidence`) and the sector factor. Without any evidence (text off and no shared ISIC code)
the pair is not a match at all. Prefilter: a candidate must share the query's HS chapter, sit in a heading the
product space links to the query's, or have no HS code (then the other factors decide).
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from scobank.errors import InvalidParameters, Problem
from scobank.exchange.kinds import ANSWERS, KINDS, SIZE_BANDS
from scobank.exchange.matching.explain import OFF, TEXT_OFF, note
from scobank.exchange.matching.factors import FACTOR_FUNCTIONS, Context, Query, text_evidence
from scobank.exchange.matching.snapshot import Columns, Snapshot


@dataclass(frozen=True)
class Filters:
    parties: tuple[str, ...] = ()  # candidate's party must be one of these (empty: any)
    certifications: tuple[str, ...] = ()  # candidate's enterprise must hold all of these
    sizes: tuple[str, ...] = ()  # candidate's size band must be one of these
    other_parties_only: bool = False

    def __post_init__(self) -> None:
        unknown = [s for s in self.sizes if s not in SIZE_BANDS]
        if unknown:
            bands = ", ".join(SIZE_BANDS)
            raise InvalidParameters(f"size: {unknown[0]!r} is not a size band; use one of {bands}",
                                    problems=[Problem(code="invalid-parameter", file="query", column="size",
                                                      value=unknown[0], message=f"size: one of {bands}")])


@dataclass
class FactorScore:
    factor: str
    value: float | None  # None: does not apply to this pair
    weight: float  # configured
    effective_weight: float  # share of the score this factor carried for this pair
    contribution: float
    note: str  # English
    note_template: str = ""  # the same as a msgid with %(name)s fields, for the portal to translate
    note_args: dict[str, str] = field(default_factory=dict)


@dataclass
class Match:
    target: str  # listing | enterprise
    id: int
    enterprise_id: int
    party: str
    kind: str | None
    hs_code: str | None
    size_band: str | None
    score: float
    generated: bool
    factors: list[FactorScore] = field(default_factory=list)
    relevance: float | None = None  # the gate's multiplier, None when the pair was compared by HS codes


@dataclass
class Ranking:
    weights: dict[str, float]
    text_enabled: bool
    notes: list[str]
    considered: int
    matches: list[Match]
    enterprises: list[Match]
    elapsed_ms: float


def _mask(q: Query, c: Columns, snap: Snapshot, filters: Filters, now: float, kinds: tuple[int, ...]):
    mask = np.isin(c.kind, np.array(kinds, dtype=np.int8)) & (c.expires > now) & c.alive
    if q.enterprise_id is not None:
        mask &= c.enterprise_id != q.enterprise_id
    if q.kin:
        mask &= ~np.isin(c.enterprise_id, np.fromiter(q.kin, dtype=np.int64))
    q6, q4, q2 = q.hs_ints()
    if q2 >= 0:
        related = np.fromiter((int(h) for h in q.related_hs4), dtype=np.int64)
        mask &= (c.hs2 == q2) | (c.hs2 < 0) | np.isin(c.hs4, related)
    if filters.parties:
        wanted = [snap.party_index[p] for p in filters.parties if p in snap.party_index]
        mask &= np.isin(c.party, np.array(wanted, dtype=np.int16))
    if filters.other_parties_only and q.party in snap.party_index:
        mask &= c.party != snap.party_index[q.party]
    if filters.sizes:
        mask &= np.isin(c.size, np.array([SIZE_BANDS.index(s) for s in filters.sizes], dtype=np.int8))
    for cert in filters.certifications:
        mask &= c.holds.get(cert, np.zeros(len(c), dtype=bool))
    return mask


def _score(q: Query, c: Columns, idx: np.ndarray, ctx: Context, weights: dict[str, float]):
    names = [f for f, w in weights.items() if w > 0]
    values = np.vstack([FACTOR_FUNCTIONS[f](q, c, idx, ctx) for f in names]) if names else np.zeros((0, len(idx)))
    w = np.array([weights[f] for f in names])[:, None]
    applies = np.isfinite(values)
    total_w = (w * applies).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(total_w > 0, (w * np.nan_to_num(values)).sum(axis=0) / total_w, 0.0)
    relevance = _relevance(q, c, idx, ctx, names, values)
    return names, values, total_w, scores * np.nan_to_num(relevance, nan=1.0), relevance


def _relevance(q: Query, c: Columns, idx: np.ndarray, ctx: Context, names: list[str], values: np.ndarray):
    """The gate of the module docstring: NaN where declared HS codes compare the pair, else 0..1."""
    def value(f):
        return values[names.index(f)] if f in names else FACTOR_FUNCTIONS[f](q, c, idx, ctx)

    compared = np.isfinite(value("hs"))
    evidence = np.vstack([text_evidence(value("text")), value("sector")])
    known = np.isfinite(evidence).any(axis=0)
    best = np.where(known, np.nanmax(np.where(np.isfinite(evidence), evidence, -1.0), axis=0), 0.0)
    return np.where(compared, np.nan, np.clip(best, 0.0, 1.0))


def _best_per_entity(ids: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the best row of each entity, best first, at most `limit`."""
    order = np.argsort(-scores, kind="stable")
    _, first = np.unique(ids[order], return_index=True)
    return order[np.sort(first)][:limit]


def rank(snapshot: Snapshot, query: Query, *, weights: dict[str, float], filters: Filters = Filters(),
         limit: int = 20, explain: int = 10, bloc: frozenset[str] = frozenset(),
         include_enterprises: bool = True, min_score: float = 0.0, now: datetime | None = None) -> Ranking:
    """Rank the snapshot's candidates for `query` (see module docstring)."""
    started = _time.perf_counter()
    ctx = Context(snapshot=snapshot, bloc=bloc)
    now = now or datetime.now(UTC)
    now_s = (now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp()
    weights = dict(weights)
    notes: list[str] = []
    text_enabled = query.vector is not None and snapshot.listings.vectors is not None
    if weights.get("text", 0) > 0 and not text_enabled:
        notes.append(f"text similarity is off (no embedder or no stored text vectors): its weight "
                     f"{weights['text']:g} is shared among the other factors")
        weights["text"] = 0.0
    kinds = tuple(KINDS.index(k) for k in ANSWERS[query.kind])
    groups = [("listing", snapshot.listings, kinds)]
    if include_enterprises and query.side == "request":
        groups.append(("enterprise", snapshot.enterprises, (-1,)))
    results: dict[str, list[Match]] = {"listing": [], "enterprise": []}
    considered = 0
    for target, cols, group_kinds in groups:
        idx = np.flatnonzero(_mask(query, cols, snapshot, filters, now_s, group_kinds))
        considered += len(idx)
        names, values, total_w, scores, relevance = _score(query, cols, idx, ctx, weights)
        keep = (scores >= min_score) & ~(relevance <= 0)
        best = _best_per_entity(cols.ids[idx][keep], scores[keep], limit)
        positions = np.flatnonzero(keep)[best]
        for rank_no, pos in enumerate(positions):
            match = _match(target, cols, idx[pos], float(scores[pos]), snapshot)
            match.relevance = None if np.isnan(relevance[pos]) else round(float(relevance[pos]), 4)
            if rank_no < explain:
                match.factors = _explain(query, cols, idx[pos], ctx, names, values[:, pos], total_w[pos], weights)
            results[target].append(match)
    return Ranking(weights=weights, text_enabled=text_enabled, notes=notes, considered=considered,
                   matches=results["listing"], enterprises=results["enterprise"],
                   elapsed_ms=(_time.perf_counter() - started) * 1000)


def _match(target: str, c: Columns, i: int, score: float, snap: Snapshot) -> Match:
    hs6, hs4, hs2 = int(c.hs6[i]), int(c.hs4[i]), int(c.hs2[i])
    code = f"{hs6:06d}" if hs6 >= 0 else f"{hs4:04d}" if hs4 >= 0 else f"{hs2:02d}" if hs2 >= 0 else None
    return Match(target=target, id=int(c.ids[i]), enterprise_id=int(c.enterprise_id[i]),
                 party=snap.parties[int(c.party[i])], kind=KINDS[int(c.kind[i])] if c.kind[i] >= 0 else None,
                 hs_code=code, size_band=SIZE_BANDS[int(c.size[i])] if c.size[i] >= 0 else None,
                 score=round(score, 4), generated=bool(c.generated[i]))


def _explain(q, c, i, ctx, names, values, total_w, weights) -> list[FactorScore]:
    out = []
    single = np.array([i])
    for f, v in zip(names, values, strict=True):
        applies = bool(np.isfinite(v))
        eff = weights[f] / total_w if applies and total_w > 0 else 0.0
        said = note(f, q, c, single, ctx, v)
        out.append(FactorScore(factor=f, value=round(float(v), 4) if applies else None, weight=weights[f],
                               effective_weight=round(eff, 4), contribution=round(eff * v, 4) if applies else 0.0,
                               note=str(said), note_template=said.template, note_args=said.args))
    for f, w in weights.items():
        if f not in names:
            said = OFF if f != "text" else TEXT_OFF
            out.append(FactorScore(factor=f, value=None, weight=w, effective_weight=0.0, contribution=0.0,
                                   note=str(said), note_template=said.template))
    return out
