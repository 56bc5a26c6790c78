"""A company's registry identifiers: one per enterprise and country, checked on entry (format and
check digit, see `registry_ids`), "unverified" until a steward of the company's party approves them
(or refuses or revokes them with a reason; each review ledgered as "exchange.registry"). They identify
the company, so only its owners read them; the anonymous card shows only the countries that verified
one (the "verified" badge)."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.exchange.models import RegistryId
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, Conflict, NotFound
from scobank.exchange.ownership import is_steward_of, require_owner, require_writer
from scobank.exchange.profiles import get_enterprise
from scobank.exchange.registry_ids import check


class RegistryIdPublic(BaseModel):
    party: str
    kind: str
    value: str
    status: str  # unverified | verified | refused | revoked
    reason: str | None = None


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
    row.kind, row.value, row.status, row.reason = kind.lower(), number, "unverified", None
    session.flush()
    return registry_ids(session, reader=reader, enterprise_id=enterprise_id)


def registry_ids(session: Session, *, reader: Reader, enterprise_id: int) -> list[RegistryIdPublic]:
    """The enterprise's identifiers, for its owners (AccessDenied for anyone else)."""
    enterprise = get_enterprise(session, enterprise_id=enterprise_id)
    if not is_steward_of(reader, enterprise.party):
        require_owner(reader, enterprise)
    rows = session.scalars(select(RegistryId).where(RegistryId.enterprise_id == enterprise_id)
                           .order_by(RegistryId.party))
    return [RegistryIdPublic(party=r.party, kind=r.kind, value=r.value, status=r.status, reason=r.reason)
            for r in rows]


DECISIONS = {"approve": ("unverified", "refused", "revoked"), "refuse": ("unverified",), "revoke": ("verified",)}
OUTCOME = {"approve": "verified", "refuse": "refused", "revoke": "revoked"}


def review_registry_id(session: Session, *, reader: Reader, enterprise_id: int, party: str, decision: str,
                       reason: str | None = None) -> list[RegistryIdPublic]:
    """A steward of the enterprise's party approves, refuses (with a reason) or revokes (with a reason)
    its identifier in `party`. Raises AccessDenied, NotFound, BadRequest, Conflict (wrong state)."""
    require_writer(reader)
    enterprise = get_enterprise(session, enterprise_id=enterprise_id)
    if not is_steward_of(reader, enterprise.party):
        raise AccessDenied(f"only a steward of {enterprise.party} verifies the identifiers of its enterprises")
    if decision not in DECISIONS:
        raise BadRequest(f"unknown decision {decision!r}; expected approve, refuse or revoke")
    if decision != "approve" and not (reason or "").strip():
        raise BadRequest(f"a reason is required to {decision} an identifier")
    row = session.scalar(select(RegistryId).where(RegistryId.enterprise_id == enterprise_id,
                                                  RegistryId.party == party.upper()))
    if row is None:
        raise NotFound(f"enterprise {enterprise_id} has no identifier in {party.upper()}")
    if row.status not in DECISIONS[decision]:
        raise Conflict(f"the identifier is {row.status}; it cannot be {OUTCOME[decision]}")
    row.status, row.reason = OUTCOME[decision], (reason or "").strip() or None
    row.reviewed_by_user_id, row.reviewed_at = reader.user_id, utcnow()
    session.flush()
    ledger.record(session, actor=reader, action="exchange.registry",
                  detail={"event": decision, "enterprise_id": enterprise_id, "party": row.party, "status": row.status})
    return registry_ids(session, reader=reader, enterprise_id=enterprise_id)
