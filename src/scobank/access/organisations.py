"""The organisations users belong to, as access sees them: id, slug and party (`OrganisationRef`).

The catalog owns the organisations table. At start-up it hands access its lookup (`use_lookup`, called
by `scobank.bank.start`), so access reads no catalog table and imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from scobank.errors import NotFound


@dataclass(frozen=True)
class OrganisationRef:
    id: int
    slug: str
    party: str


@dataclass(frozen=True)
class OrganisationLookup:
    """What access asks of the organisations: one by id or by slug (None when there is none), and the ids
    of a party's organisations."""

    by_id: Callable[[Session, int], OrganisationRef | None]
    by_slug: Callable[[Session, str], OrganisationRef | None]
    ids_of_party: Callable[[Session, str], list[int]]


_lookup: OrganisationLookup | None = None


def use_lookup(lookup: OrganisationLookup) -> None:
    """Register the organisations' owner's lookup (once, at start-up)."""
    global _lookup
    _lookup = lookup


def _registered() -> OrganisationLookup:
    if _lookup is None:
        raise RuntimeError("no organisation lookup is registered: call scobank.bank.start() at start-up "
                           "(create_app and the CLI do)")
    return _lookup


def organisation_by_id(session: Session, organisation_id: int | None) -> OrganisationRef | None:
    """The organisation `organisation_id`, or None (no id, or no such organisation)."""
    return _registered().by_id(session, organisation_id) if organisation_id else None


def organisation_by_slug(session: Session, slug: str) -> OrganisationRef:
    """The organisation `slug`. Raises NotFound."""
    org = _registered().by_slug(session, slug)
    if org is None:
        raise NotFound(f"no organisation {slug!r}")
    return org


def organisation_ids_of_party(session: Session, party: str) -> list[int]:
    """The ids of the organisations of `party` (ISO3)."""
    return _registered().ids_of_party(session, party)
