"""The Growth Lab's published Economic Complexity Index series (dataset `growth-lab-eci-2012-2024`: the
Atlas' HS92-based ECI of 145 countries, 2012-2024, from atlas-common-data 1.1.1), ranked within the
stated country set, beside nothing computed here: these are the publisher's figures, unchanged.

Rank (ANALYTICS.md): within each year, 1 + the number of countries of the set with a higher published
ECI ("55th of 122"); the set is the one complexity states (`country_sets`: by default the countries the
Growth Lab ranks, `in_complexity`, plus the population/trade rule for countries its table does not list),
cut to the countries the file has that year. The trend is the change from the first to the last year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.country_sets import CountrySetName, ordinal_rank
from scobank.analytics.service import country_set_of
from scobank.analytics.table_reads import read_columns
from scobank.errors import NotFound

ECI_DATASET = "growth-lab-eci-2012-2024"
SOURCE = "Harvard Growth Lab, Atlas of Economic Complexity (HS92), via atlas-common-data 1.1.1"


@dataclass(frozen=True)
class EciPoint:
    year: int
    eci: float
    rank: int
    of: int


def rank_series(table: pa.Table, *, iso3: str, keep) -> list[EciPoint]:
    """`iso3`'s published ECI and rank per year of `table` (year, iso3_code, eci), among the countries
    `keep(countries, year)` returns for that year (a set of ISO3 codes, or None for all)."""
    points = []
    for year in sorted(pc.unique(table["year"]).to_pylist()):
        rows = table.filter(pc.and_(pc.equal(table["year"], year), pc.is_valid(table["eci"])))
        countries = rows["iso3_code"].to_pylist()
        chosen = keep(countries, year)
        pairs = [(c, e) for c, e in zip(countries, rows["eci"].to_pylist(), strict=True)
                 if chosen is None or c in chosen]
        codes = [c for c, _ in pairs]
        if iso3 not in codes:
            continue
        values = np.array([e for _, e in pairs])
        i = codes.index(iso3)
        points.append(EciPoint(int(year), float(values[i]), ordinal_rank(values, i), len(values)))
    return points


def published_eci(session: Session, *, reader: Reader, iso3: str, dataset: str = ECI_DATASET,
                  country_set: CountrySetName = "ranked") -> tuple[pa.Table, dict]:
    """(year, eci, rank, of) of `iso3` from the published series, read through the gate (one ledger
    entry), and its facts: dataset, version, source, the set stated, years, trend (ECI and rank change
    first to last year). Raises NotFound (no such dataset, or no ECI for the country), AccessDenied."""
    table, number = read_columns(session, slug=dataset, reader=reader, analysis="eci-series",
                                 columns={"year": "int64", "iso3_code": "string", "eci": "float64"},
                                 detail={"country": iso3})

    def keep(countries: list[str], year: int):
        return country_set_of(country_set, countries=countries, years=[year]).countries

    points = rank_series(table, iso3=iso3, keep=keep)
    if not points:
        raise NotFound(f"{iso3} has no ECI in {dataset!r} v{number} within the set {country_set!r}")
    first, last = points[0], points[-1]
    stated = country_set_of(country_set, countries=[], years=[]).stated(size=last.of)
    facts = {"dataset": dataset, "version": number, "source": SOURCE, "classification": "HS92",
             "country_set": stated, "years": [first.year, last.year], "latest": last.__dict__,
             "trend": {"eci_change": last.eci - first.eci, "rank_change": first.rank - last.rank}, "notices": []}
    rows = pa.table({"year": [p.year for p in points], "eci": [p.eci for p in points],
                     "rank": [p.rank for p in points], "of": [p.of for p in points]})
    return rows, facts
