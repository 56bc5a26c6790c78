"""A short sentence per factor, saying why it has its value for one pair (query, candidate row).

Each sentence is a `scobank.exchange.messages.Note`: an English template and its arguments, so the
portal says it in the reader's language while the API and the CLI give the English text (`str(note)`).
"""

from __future__ import annotations

import math

import numpy as np

from scobank.exchange.matching import factors as F
from scobank.exchange.messages import N_, Note


def _code(c, i) -> str | None:
    hs6, hs4, hs2 = int(c.hs6[i][0]), int(c.hs4[i][0]), int(c.hs2[i][0])
    return f"{hs6:06d}" if hs6 >= 0 else f"{hs4:04d}" if hs4 >= 0 else f"{hs2:02d}" if hs2 >= 0 else None


def note(factor: str, q, c, i: np.ndarray, ctx, value: float) -> Note:
    """Why `factor` has `value` for candidate row `i` (a one-element index array)."""
    if not math.isfinite(value):
        return _not_applicable(factor)
    return _NOTES[factor](q, c, i, ctx, value)


def _not_applicable(factor: str) -> Note:
    return Note({
        "hs": N_("no HS code on one side"),
        "text": N_("no text vector for this candidate"),
        "volume": N_("volumes missing or in different units"),
        "time": N_("no deadline or no timing on the supplier's side"),
        "distance": N_("no coordinates and no country distance"),
        "country_prior": N_("no RCA figure for the supplier's country in this chapter"),
        "import_substitution": N_("buyer's current source unknown or already inside the bloc"),
        "certifications": N_("no certification required"),
        "readiness": N_("not a technology pair"),
        "sector": N_("no ISIC sector named on one side"),
    }[factor])


def _hs(q, c, i, ctx, v) -> Note:
    theirs = _code(c, i)
    codes = {"ours": q.hs_code, "theirs": theirs}
    if v >= F.HS_SAME6:
        return Note(N_("same HS6 %(theirs)s"), {"theirs": theirs})
    if v >= F.HS_SAME4:
        return Note(N_("same HS4 heading %(heading)s (%(ours)s / %(theirs)s)"), {**codes, "heading": theirs[:4]})
    if v >= F.HS_SAME2:
        return Note(N_("same HS chapter %(chapter)s (%(ours)s / %(theirs)s)"), {**codes, "chapter": theirs[:2]})
    if v >= F.HS_RELATED:
        return Note(N_("related products: heading %(heading)s is linked to %(other)s in the product space"),
                    {"heading": theirs[:4], "other": q.hs_code[:4]})
    return Note(N_("unrelated products (%(ours)s / %(theirs)s)"), codes)


def _volume(q, c, i, ctx, v) -> Note:
    other = float(c.volume[i][0])
    supply, demand = (other, q.volume) if q.side == "request" else (q.volume, other)
    return Note(N_("supply %(supply)s %(unit)s/year covers %(share)s of demand %(demand)s %(unit)s/year"),
                {"supply": f"{supply:,.0f}", "unit": q.unit, "share": f"{min(1.0, v):.0%}", "demand": f"{demand:,.0f}"})


def _time(q, c, i, ctx, v) -> Note:
    if v >= 1.0:
        return Note(N_("supplier ready by the deadline"))
    if v <= 0.0:
        return Note(N_("supplier's window closed or ready more than 90 days late"))
    return Note(N_("supplier ready about %(days)s days after the deadline"),
                {"days": str(round((1 - v) * F.LATE_DAYS_TO_ZERO))})


def _distance(q, c, i, ctx, v) -> Note:
    km, exact = F.distance_km(q, c, i, ctx)
    if exact[0]:
        return Note(N_("%(km)s km great-circle between the sites"), {"km": f"{km[0]:,.0f}"})
    return Note(N_("%(km)s km between the countries (CEPII GeoDist)"), {"km": f"{km[0]:,.0f}"})


def _prior(q, c, i, ctx, v) -> Note:
    rca = float(F.supplier_rca(q, c, i, ctx)[0])
    party = ctx.snapshot.parties[int(c.party[i][0])] if q.side == "request" else q.party
    args = {"party": party, "rca": f"{rca:.2f}", "source": F.prior_source(q, c, i, ctx)}
    if rca >= 1:
        return Note(N_("%(party)s has RCA %(rca)s in this chapter: a revealed comparative advantage "
                       "(%(source)s)"), args)
    return Note(N_("%(party)s has RCA %(rca)s in this chapter: no comparative advantage (%(source)s)"), args)


def _substitution(q, c, i, ctx, v) -> Note:
    if q.side == "request":
        source = q.sourced_from
    else:
        source = ctx.snapshot.parties[int(c.sourced_from[i][0])]
    if v >= 1.0:
        return Note(N_("buyer imports it from %(source)s, outside the bloc; the supplier is inside"), {"source": source})
    return Note(N_("buyer imports it from %(source)s, outside the bloc; the supplier is outside too"),
                {"source": source})


def _certs(q, c, i, ctx, v) -> Note:
    if q.side == "request":
        missing = [r for r in q.requires if not (r in c.holds and c.holds[r][i][0])]
        required = q.requires
    else:
        required = [r for r, arr in c.requires.items() if arr[i][0]]
        missing = [r for r in required if r not in q.holds]
    args = {"held": str(len(required) - len(missing)), "required": str(len(required))}
    if missing:
        return Note(N_("holds %(held)s of %(required)s required; missing %(missing)s"),
                    {**args, "missing": ", ".join(missing)})
    return Note(N_("holds %(held)s of %(required)s required"), args)


def _text(q, c, i, ctx, v) -> Note:
    return Note(N_("descriptions similar at %(similarity)s (cosine, cross-lingual)"), {"similarity": f"{v:.2f}"})


def _readiness(q, c, i, ctx, v) -> Note:
    if v >= 1:
        return Note(N_("offered readiness meets the level sought"))
    return Note(N_("offered TRL is %(share)s of the TRL sought"), {"share": f"{v:.0%}"})


def _sector(q, c, i, ctx, v) -> Note:
    args = {"ours": f"{q.sector:04d}", "theirs": f"{int(c.sector[i][0]):04d}"}
    if v >= F.SECTOR_SAME4:
        return Note(N_("same ISIC class %(theirs)s"), args)
    if v > 0:
        return Note(N_("related ISIC sectors (%(ours)s / %(theirs)s)"), args)
    return Note(N_("different ISIC sectors (%(ours)s / %(theirs)s)"), args)


def relevance_note(value: float | None) -> Note | None:
    """Why a pair without declared HS codes on both sides has its score scaled (scorer's gate)."""
    if value is None:
        return None
    return Note(N_("no HS code on one side: the score is scaled by %(share)s, how surely the texts or "
                   "sectors say both are about the same goods or work"), {"share": f"{value:.0%}"})


OFF = Note(N_("off (weight 0)"))
TEXT_OFF = Note(N_("off: no embedder or text vectors"))


_NOTES = {"hs": _hs, "text": _text, "volume": _volume, "time": _time, "distance": _distance,
          "country_prior": _prior, "import_substitution": _substitution, "certifications": _certs,
          "readiness": _readiness, "sector": _sector}
