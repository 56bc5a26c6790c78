"""Where parties and enterprises are: great-circle distance between coordinates, the CEPII GeoDist
distance between countries as a fallback (the bank's dataset `cepii-geodist`, column `dist`: km between
the most populated cities; used through the gate, recorded in the ledger), and the bloc (SCO members)
for import-substitution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.reads import ColumnsUse, use_columns

GEODIST = "cepii-geodist"
EARTH_RADIUS_KM = 6371.0088

# SCO member states with the year they joined (DESIGN.md): the fallback when the reference area's
# party history is not loaded.
MEMBERS_SINCE = {"CHN": 2001, "RUS": 2001, "KAZ": 2001, "KGZ": 2001, "TJK": 2001, "UZB": 2001,
                 "IND": 2017, "PAK": 2017, "IRN": 2023, "BLR": 2024}


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km; arguments are degrees (scalars or numpy arrays); NaN in, NaN out."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@dataclass(frozen=True)
class Distances:
    """(ISO3, ISO3) -> km of one version of the GeoDist dataset (`key`: its bytes)."""

    key: tuple
    km: dict[tuple[str, str], float] = field(compare=False, hash=False)


NO_DISTANCES = Distances(("none",), {})


@lru_cache(maxsize=4)
def _read(use: ColumnsUse) -> Distances:
    table = use.read().to_pydict()
    km = {(a, b): float(d) for a, b, d in zip(table["exporter"], table["importer"], table["dist"], strict=True)
          if d is not None}
    return Distances((use.slug, use.content_hash), km)


def country_distances(session: Session, *, reader: Reader) -> Distances:
    """km between the two countries' most populated cities (CEPII GeoDist), through the gate (a ledger
    entry on every call), read once per version."""
    return _read(use_columns(session, reader=reader, slug=GEODIST, columns=("exporter", "importer", "dist"),
                             use="matching (distance between countries)",
                             absent="`scobank demo` publishes it from gravity-geodist/ of SCOBANK_DATA_DIR"))


def bloc_members(session=None, on: date | None = None) -> frozenset[str]:
    """The parties with member status on 31 December of the year of `on` (default today), from the
    reference area's party history when a session is given and it is loaded, else MEMBERS_SINCE."""
    year = (on or date.today()).year
    if session is not None:
        from scobank.reference.lookup import bloc_members as reference_members

        members = reference_members(session, year)
        if members:
            return frozenset(members)
    return frozenset(p for p, since in MEMBERS_SINCE.items() if since <= year)
