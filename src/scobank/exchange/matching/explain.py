"""A short sentence per factor, saying why it has its value for one pair (query, candidate row)."""

from __future__ import annotations

import math

import numpy as np

from scobank.exchange.matching import factors as F


def _code(c, i) -> str | None:
    hs6, hs4, hs2 = int(c.hs6[i][0]), int(c.hs4[i][0]), int(c.hs2[i][0])
    return f"{hs6:06d}" if hs6 >= 0 else f"{hs4:04d}" if hs4 >= 0 else f"{hs2:02d}" if hs2 >= 0 else None


def note(factor: str, q, c, i: np.ndarray, ctx, value: float) -> str:
    """Why `factor` has `value` for candidate row `i` (a one-element index array)."""
    if not math.isfinite(value):
        return _not_applicable(factor)
    return _NOTES[factor](q, c, i, ctx, value)


def _not_applicable(factor: str) -> str:
    return {
        "hs": "no HS code on one side",
        "text": "no text vector for this candidate",
        "volume": "volumes missing or in different units",
        "time": "no deadline or no timing on the supplier's side",
        "distance": "no coordinates and no country distance",
        "country_prior": "no RCA figure for the supplier's country in this chapter",
        "import_substitution": "buyer's current source unknown or already inside the bloc",
        "certifications": "no certification required",
        "readiness": "not a technology pair",
    }[factor]


def _hs(q, c, i, ctx, v) -> str:
    theirs = _code(c, i)
    if v >= F.HS_SAME6:
        return f"same HS6 {theirs}"
    if v >= F.HS_SAME4:
        return f"same HS4 heading {theirs[:4]} ({q.hs_code} / {theirs})"
    if v >= F.HS_SAME2:
        return f"same HS chapter {theirs[:2]} ({q.hs_code} / {theirs})"
    if v >= F.HS_RELATED:
        return f"related products: heading {theirs[:4]} is linked to {q.hs_code[:4]} in the product space"
    return f"unrelated products ({q.hs_code} / {theirs})"


def _volume(q, c, i, ctx, v) -> str:
    other = float(c.volume[i][0])
    supply, demand = (other, q.volume) if q.side == "request" else (q.volume, other)
    return f"supply {supply:,.0f} {q.unit}/year covers {min(1.0, v):.0%} of demand {demand:,.0f} {q.unit}/year"


def _time(q, c, i, ctx, v) -> str:
    if v >= 1.0:
        return "supplier ready by the deadline"
    if v <= 0.0:
        return "supplier's window closed or ready more than 90 days late"
    return f"supplier ready about {round((1 - v) * F.LATE_DAYS_TO_ZERO)} days after the deadline"


def _distance(q, c, i, ctx, v) -> str:
    km, exact = F.distance_km(q, c, i, ctx)
    how = "great-circle between the sites" if exact[0] else "between the countries (CEPII GeoDist)"
    return f"{km[0]:,.0f} km {how}"


def _prior(q, c, i, ctx, v) -> str:
    rca = float(F.supplier_rca(q, c, i, ctx)[0])
    party = ctx.snapshot.parties[int(c.party[i][0])] if q.side == "request" else q.party
    strength = "a revealed comparative advantage" if rca >= 1 else "no comparative advantage"
    return f"{party} has RCA {rca:.2f} in this chapter: {strength} (SITC exports 1998-2000)"


def _substitution(q, c, i, ctx, v) -> str:
    if q.side == "request":
        source = q.sourced_from
    else:
        source = ctx.snapshot.parties[int(c.sourced_from[i][0])]
    if v >= 1.0:
        return f"buyer imports it from {source}, outside the bloc; the supplier is inside"
    return f"buyer imports it from {source}, outside the bloc; the supplier is outside too"


def _certs(q, c, i, ctx, v) -> str:
    if q.side == "request":
        missing = [r for r in q.requires if not (r in c.holds and c.holds[r][i][0])]
        required = q.requires
    else:
        required = [r for r, arr in c.requires.items() if arr[i][0]]
        missing = [r for r in required if r not in q.holds]
    return f"holds {len(required) - len(missing)} of {len(required)} required" + (
        f"; missing {', '.join(missing)}" if missing else "")


def _text(q, c, i, ctx, v) -> str:
    return f"descriptions similar at {v:.2f} (cosine, cross-lingual)"


def _readiness(q, c, i, ctx, v) -> str:
    return "offered readiness meets the level sought" if v >= 1 else f"offered TRL is {v:.0%} of the TRL sought"


_NOTES = {"hs": _hs, "text": _text, "volume": _volume, "time": _time, "distance": _distance,
          "country_prior": _prior, "import_substitution": _substitution, "certifications": _certs,
          "readiness": _readiness}
