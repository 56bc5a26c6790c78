"""Where parties and enterprises are: great-circle distance between coordinates, the CEPII GeoDist
distance between countries as a fallback (`gravity-geodist/geo_dist.csv.gz`, column `dist`: km between
the most populated cities), and the bloc (SCO members) for import-substitution.
"""

from __future__ import annotations

import csv
import gzip
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

GEODIST = Path("gravity-geodist") / "geo_dist.csv.gz"
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


@lru_cache(maxsize=4)
def country_distances(data_dir: Path | None) -> dict[tuple[str, str], float]:
    """(ISO3, ISO3) -> km between the two countries' most populated cities (CEPII GeoDist)."""
    if data_dir is None or not (data_dir / GEODIST).is_file():
        return {}
    out: dict[tuple[str, str], float] = {}
    with gzip.open(data_dir / GEODIST, "rt", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                out[(row["exporter"], row["importer"])] = float(row["dist"])
            except ValueError:
                continue
    return out


def distance_matrix(parties: list[str], data_dir: Path | None) -> np.ndarray:
    """km between every pair of `parties` (NaN where GeoDist has no figure)."""
    known = country_distances(data_dir)
    n = len(parties)
    matrix = np.full((n, n), np.nan)
    for i, a in enumerate(parties):
        for j, b in enumerate(parties):
            matrix[i, j] = known.get((a, b), np.nan)
    return matrix


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
