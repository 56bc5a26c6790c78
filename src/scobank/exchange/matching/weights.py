"""Factor weights. Defaults below; any subset can be overridden per call (API `weights=hs:0.5,...`).

Weights are relative: for each candidate the score is Σ w·v / Σ w over the factors that apply to it
(a factor without data for a pair, or the text factor without an embedder, gives its weight to the
others, and the explanation says so).
"""

from __future__ import annotations

from scobank.errors import BadRequest

DEFAULT_WEIGHTS: dict[str, float] = {
    "hs": 0.30,  # HS hierarchy: same HS6 > HS4 > HS2 > related in the product space
    "text": 0.15,  # cross-lingual text similarity of the descriptions
    "volume": 0.10,  # volume or capacity covers the need
    "time": 0.10,  # time window and lead time meet the deadline
    "distance": 0.10,  # great-circle km, or the countries' CEPII distance
    "country_prior": 0.10,  # supplier country's revealed comparative advantage in the product
    "import_substitution": 0.05,  # buyer imports it from outside the bloc today, supplier is inside
    "certifications": 0.10,  # share of the required certifications the supplier holds
    "readiness": 0.05,  # technology: offered TRL against the TRL sought
    "sector": 0.10,  # capability: the ISIC codes the two listings name (capacity, technology, projects)
}
FACTORS = tuple(DEFAULT_WEIGHTS)


def resolve_weights(overrides: dict[str, float] | None = None) -> dict[str, float]:
    """Defaults with `overrides` applied; raise BadRequest on an unknown factor or a negative weight."""
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (overrides or {}).items():
        if name not in weights:
            raise BadRequest(f"unknown matching factor {name!r}; factors are {', '.join(FACTORS)}")
        if value < 0:
            raise BadRequest(f"weight of {name!r} is {value}; weights must be zero or more")
        weights[name] = float(value)
    if sum(weights.values()) <= 0:
        raise BadRequest("all matching weights are zero")
    return weights


def parse_weights(text: str | None) -> dict[str, float]:
    """'hs:0.5,text:0' -> {"hs": 0.5, "text": 0.0}; raise BadRequest on a malformed item."""
    out: dict[str, float] = {}
    for item in filter(None, (text or "").split(",")):
        name, _, value = item.partition(":")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise BadRequest(f"weight {item!r} must look like 'hs:0.5'") from None
    return out
