"""The country prior from the most recent trade data the bank publishes, per country.

Sources, each read through the gate and recorded in the ledger on every use (like any analytics input):
- OECD ICIO flows (`settings.icio_flows_dataset`, today `oecd-icio-2022-intermediate-flows`, year 2022):
  a country's sales of intermediates to the other 79 economies by industry; RCA per ICIO industry,
  carried to HS chapters by `HS_CHAPTER_TO_ICIO` (our own approximate table, after the ISIC rev. 4
  divisions that make each chapter's goods);
- the SITC rev. 2 exports 1998-2000 (`priors.exports_by_division`), for the countries ICIO does not
  separate (Iran, Kyrgyzstan, Tajikistan, Uzbekistan).
The year of a source is its dataset's temporal coverage (catalog), so a newer version or a newer dataset
named in the settings is taken as it comes. For each (country, chapter) the figure of the newest source
that has the country is used, and the explanation names that source. BACI is not a source yet: the bank
holds BACI only for two non-member exporters (AFG, ZAF samples), not a world panel for an RCA.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.complexity import rca_matrix
from scobank.config import get_settings
from scobank.exchange.matching.priors import Exports, positive_sums, rca_table, read_prior_panel


_ICIO_TABLE = """
01:A01 02:C10T12 03:A03 04:C10T12 05:A01 06:A01 07:A01 08:A01 09:A01 10:A01 11:C10T12 12:A01 13:A01 14:A01
15:C10T12 16:C10T12 17:C10T12 18:C10T12 19:C10T12 20:C10T12 21:C10T12 22:C10T12 23:C10T12 24:C10T12
25:B08 26:B07 27:B05,B06,C19 28:C20 29:C20 30:C21 31:C20 32:C20 33:C20 34:C20 35:C20 36:C20 37:C20 38:C20
39:C22 40:C22 41:C13T15 42:C13T15 43:C13T15 44:C16 45:C16 46:C16 47:C17_18 48:C17_18 49:C17_18
50:C13T15 51:C13T15 52:C13T15 53:C13T15 54:C13T15 55:C13T15 56:C13T15 57:C13T15 58:C13T15 59:C13T15
60:C13T15 61:C13T15 62:C13T15 63:C13T15 64:C13T15 65:C13T15 66:C13T15 67:C13T15 68:C23 69:C23 70:C23
71:C24B,C31T33 72:C24A 73:C25 74:C24B 75:C24B 76:C24B 78:C24B 79:C24B 80:C24B 81:C24B 82:C25 83:C25
84:C28,C26 85:C27,C26 86:C302T309 87:C29 88:C302T309 89:C301 90:C26 91:C26 92:C31T33 93:C25 94:C31T33
95:C31T33 96:C31T33 97:C31T33
"""
HS_CHAPTER_TO_ICIO: dict[str, tuple[str, ...]] = {
    chapter: tuple(sectors.split(",")) for chapter, sectors in (item.split(":") for item in _ICIO_TABLE.split())
}


@dataclass(frozen=True)
class PriorSource:
    """RCA by (ISO3, HS chapter) from one dataset version; `label` names it in explanations."""

    key: tuple
    label: str
    year: int
    rca: dict[tuple[str, str], float] = field(compare=False, hash=False)


def _chapter_rca(by_country: dict[str, dict[str, float]], mapping: dict[str, tuple[str, ...]]) -> dict:
    """RCA of each country in the codes of each chapter against all its other exports (analytics' RCA)."""
    countries = sorted(by_country)
    if not countries:
        return {}
    totals = np.array([sum(by_country[c].values()) for c in countries])
    out: dict[tuple[str, str], float] = {}
    for chapter, codes in mapping.items():
        inside = np.array([sum(by_country[c].get(x, 0.0) for x in codes) for c in countries])
        if inside.sum() <= 0:
            continue
        rca = rca_matrix(np.column_stack([inside, totals - inside]))[:, 0]
        out.update({(c, chapter): float(v) for c, v in zip(countries, rca, strict=True)})
    return out


_READ: dict[tuple, PriorSource] = {}


def icio_prior(session: Session, *, reader: Reader) -> PriorSource:
    """RCA by chapter from the ICIO flows between countries (gate and ledger on every call; read once per
    version). NotFound, saying what publishes it, when the bank does not hold the dataset."""
    panel = read_prior_panel(session, reader=reader, slug=get_settings().icio_flows_dataset,
                             what="recent country prior", columns=("exporter", "importer", "product", "value"))
    found = _READ.get(panel.key)
    if found is None:
        sums = positive_sums(panel, bucket=lambda sector: sector)
        year = panel.period["end"]
        found = _READ[panel.key] = PriorSource(key=panel.key, label=f"OECD ICIO {year} exports of intermediates",
                                               year=year, rca=_chapter_rca(sums, HS_CHAPTER_TO_ICIO))
    return found


def sitc_prior(exports: Exports) -> PriorSource:
    """The SITC 1998-2000 exports as a prior source (empty when the bank does not hold them)."""
    return PriorSource(key=exports.key, label="SITC exports 1998-2000", year=2000, rca=rca_table(exports))


@dataclass(frozen=True)
class CountryPrior:
    """The prior sources, newest first; `figure` takes the newest one that knows the country."""

    sources: tuple[PriorSource, ...]

    @property
    def key(self) -> tuple:
        return tuple(s.key for s in self.sources)

    def table(self) -> dict[tuple[str, str], tuple[float, int]]:
        """(ISO3, chapter) -> (RCA, index of the source in `sources`)."""
        out: dict[tuple[str, str], tuple[float, int]] = {}
        covered: set[str] = set()
        for i, source in enumerate(self.sources):
            countries = {c for c, _ in source.rca}
            for (country, chapter), value in source.rca.items():
                if country not in covered:
                    out[(country, chapter)] = (value, i)
            covered |= countries
        return out


def country_prior(sources: list[PriorSource]) -> CountryPrior:
    """The sources ordered newest first (ties: the order given)."""
    return CountryPrior(tuple(sorted((s for s in sources if s.rca), key=lambda s: -s.year)))
