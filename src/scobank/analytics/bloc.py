"""The bloc by year, from the party status history (reference area): members on 31 December."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from scobank.reference.lookup import bloc_members


def members_by_year(session: Session, *, years: Iterable[int]) -> dict[int, list[str]]:
    """{year: ISO3 of the parties with member status on 31 December of that year} (IRN from 2023,
    BLR from 2024)."""
    return {int(year): bloc_members(session, int(year)) for year in sorted(set(years))}
