"""Other spellings of country names that statistical offices publish, mapped to ISO3, each with its
source: `reference/data/country_aliases.csv` (alias, iso3, source), shipped in the package.

The India DGCI&S Export Import Data Bank writes partners as `CHINA P RP`, `PAKISTAN IR`, `U S A`,
`KYRGHYZSTAN`, ...: every EIDB spelling that is not a plain English name of the country is listed. The
ingest's country mapping (`scobank.ingest.codes.country_keys`) and `resolve_country` read this table
after the codes and the names the reference holds.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

ALIASES_FILE = Path(__file__).parent / "data" / "country_aliases.csv"


def fold(text: str) -> str:
    """The form aliases are compared in: NFKC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=1)
def alias_rows() -> tuple[tuple[str, str, str], ...]:
    """(alias, iso3, source) for every row of the alias table."""
    with ALIASES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((r["alias"], r["iso3"], r["source"]) for r in csv.DictReader(fh))


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    """Folded alias -> ISO3."""
    return {fold(alias): iso3 for alias, iso3, _ in alias_rows()}


def alias_iso3(text: str) -> str | None:
    """ISO3 of a spelling in the alias table, or None."""
    return country_aliases().get(fold(text))
