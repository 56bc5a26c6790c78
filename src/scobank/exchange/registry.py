"""A company's registry identifiers: one per enterprise and country, checked on entry (format and
check digit, see `registry_ids`), "unverified" until a steward verifies them (not built yet). They
identify the company, so only its owners read them; the anonymous card never shows them."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.exchange.models import RegistryId
from scobank.exchange.ownership import require_owner
from scobank.exchange.profiles import get_enterprise
from scobank.exchange.registry_ids import check


class RegistryIdPublic(BaseModel):
    party: str
    kind: str
    value: str
    status: str  # unverified


def set_registry_id(session: Session, *, reader: Reader, enterprise_id: int, kind: str, value: str,
                    party: str | None = None) -> list[RegistryIdPublic]:
    """Record (or replace) the enterprise's identifier in `party` (default: its own country). Raises
    BadRequest (wrong format or check digit, unknown kind), AccessDenied, NotFound."""
    enterprise = get_enterprise(session, enterprise_id=enterprise_id)
    require_owner(reader, enterprise)
    country = (party or enterprise.party).upper()
    number = check(country, kind, value)
    row = session.scalar(select(RegistryId).where(RegistryId.enterprise_id == enterprise_id,
                                                  RegistryId.party == country))
    if row is None:
        row = RegistryId(enterprise_id=enterprise_id, party=country)
        session.add(row)
    row.kind, row.value, row.status = kind.lower(), number, "unverified"
    session.flush()
    return registry_ids(session, reader=reader, enterprise_id=enterprise_id)


def registry_ids(session: Session, *, reader: Reader, enterprise_id: int) -> list[RegistryIdPublic]:
    """The enterprise's identifiers, for its owners (AccessDenied for anyone else)."""
    require_owner(reader, get_enterprise(session, enterprise_id=enterprise_id))
    rows = session.scalars(select(RegistryId).where(RegistryId.enterprise_id == enterprise_id)
                           .order_by(RegistryId.party))
    return [RegistryIdPublic(party=r.party, kind=r.kind, value=r.value, status=r.status) for r in rows]
