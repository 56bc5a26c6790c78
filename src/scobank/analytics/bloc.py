"""The bloc: one definition, `bloc(year)`, from the party status history (reference area), used by every
analysis and stated in each result.

B(t) = the parties with member status on 31 December of year t (IRN counts from 2023, BLR from 2024).
The default year of an analysis is the data's own year (a 2022 input-output table is read with the
2022 bloc); `bloc_year` asks for another one for every year of the data (e.g. today's bloc over 2022).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from scobank.reference.lookup import bloc_members

RULE = "parties with member status on 31 December of the year (party history)"


@dataclass(frozen=True)
class Bloc:
    """The members of one year (sorted ISO3)."""

    year: int
    members: tuple[str, ...]

    def stated(self) -> dict:
        """What a result says about the bloc it used."""
        return {"year": self.year, "members": list(self.members), "rule": RULE}


def bloc(session: Session, year: int) -> Bloc:
    """B(year): the members on 31 December of `year`."""
    return Bloc(int(year), tuple(bloc_members(session, int(year))))


def members_by_year(session: Session, *, years: Iterable[int]) -> dict[int, list[str]]:
    """{year: ISO3 of the parties with member status on 31 December of that year} (IRN from 2023,
    BLR from 2024)."""
    return {int(year): list(bloc(session, int(year)).members) for year in sorted(set(years))}


def blocs_for(session: Session, *, years: Iterable[int], bloc_year: int | None = None) -> dict[int, list[str]]:
    """`members_by_year` of `years` (each year its own bloc: the default), or, given `bloc_year`, the
    members of that year for every year (e.g. today's bloc over a 2022 input-output table)."""
    years = sorted({int(y) for y in years})
    if bloc_year is None:
        return members_by_year(session, years=years)
    members = list(bloc(session, int(bloc_year)).members)
    return {year: members for year in years}


def stated_blocs(blocs: dict[int, list[str]], *, bloc_year: int | None = None) -> list[dict]:
    """The `bloc` parameter of a result: per data year, the bloc's year, members and rule."""
    return [{"data_year": year, **Bloc(int(bloc_year or year), tuple(sorted(members))).stated()}
            for year, members in sorted(blocs.items())]
