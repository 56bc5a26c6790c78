"""The bloc by year, from the party status history (reference area): members on 31 December."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from scobank.reference.lookup import bloc_members


def members_by_year(session: Session, *, years: Iterable[int]) -> dict[int, list[str]]:
    """{year: ISO3 of the parties with member status on 31 December of that year} (IRN from 2023,
    BLR from 2024)."""
    return {int(year): bloc_members(session, int(year)) for year in sorted(set(years))}


def blocs_for(session: Session, *, years: Iterable[int], bloc_year: int | None = None) -> dict[int, list[str]]:
    """`members_by_year` of `years`, or, given `bloc_year`, the members of that year for every year
    (e.g. today's bloc over a 2022 input-output table)."""
    years = sorted({int(y) for y in years})
    if bloc_year is None:
        return members_by_year(session, years=years)
    members = bloc_members(session, int(bloc_year))
    return {year: members for year in years}
