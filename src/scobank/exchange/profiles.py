"""Enterprise profiles: create, read, update and delete one's own; the anonymous card for others."""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from scobank.access.reader import Reader
from scobank.errors import AccessDenied, BadRequest, Conflict, NotFound
from scobank.exchange import history
from scobank.exchange.models import Enterprise, RegistryId
from scobank.exchange.ownership import require_owner, require_user, require_writer
from scobank.exchange.vectors import store_enterprise_vector
from scobank.exchange.schemas import EnterpriseCard, EnterpriseCreate, EnterprisePrivate, EnterpriseUpdate


def get_enterprise(session: Session, *, enterprise_id: int) -> Enterprise:
    """The row, or NotFound."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound(f"no enterprise {enterprise_id}")
    return enterprise


def verified_in(session: Session, enterprise_id: int) -> list[str]:
    """The countries whose steward verified the enterprise's registry identifier."""
    return list(session.scalars(select(RegistryId.party).where(RegistryId.enterprise_id == enterprise_id,
                                                               RegistryId.status == "verified")
                                .order_by(RegistryId.party)))


def card(enterprise: Enterprise) -> EnterpriseCard:
    """What anyone sees of an enterprise, with the countries that verified its registry identifier (read
    through the session the enterprise was loaded in)."""
    session = object_session(enterprise)
    return EnterpriseCard(party=enterprise.party, sectors=list(enterprise.sectors or []),
                          size_band=enterprise.size_band, certifications=list(enterprise.certifications or []),
                          generated=enterprise.generated,
                          verified_in=verified_in(session, enterprise.id) if session is not None else [])


def private(enterprise: Enterprise) -> EnterprisePrivate:
    shown = EnterprisePrivate.model_validate(enterprise, from_attributes=True)
    session = object_session(enterprise)
    shown.verified_in = verified_in(session, enterprise.id) if session is not None else []
    return shown


def create_enterprise(session: Session, *, reader: Reader, data: EnterpriseCreate,
                      generated: bool = False) -> Enterprise:
    """A profile owned by the reader (and the reader's organisation) in the reader's party.

    Raises Unauthenticated (anonymous), AccessDenied (another party than the reader's, unless operator),
    BadRequest (no party known)."""
    require_writer(reader)
    party = (data.party or reader.party or "").upper()
    if not re.fullmatch(r"[A-Z]{3}", party):
        raise BadRequest("an enterprise needs its party as an ISO3 code such as 'KAZ'")
    if reader.party and party != reader.party and not reader.is_operator:
        raise AccessDenied(f"you act for {reader.party}; an enterprise of {party} must be created there")
    values = data.model_dump(exclude={"party"})
    enterprise = Enterprise(**values, party=party, owner_user_id=reader.user_id,
                            organisation_id=reader.organisation_id, generated=generated)
    session.add(enterprise)
    session.flush()
    store_enterprise_vector(session, enterprise=enterprise)
    return enterprise


def update_enterprise(session: Session, *, reader: Reader, enterprise_id: int,
                      data: EnterpriseUpdate) -> Enterprise:
    """Change the given fields of one's own profile. Raises NotFound, AccessDenied, BadRequest."""
    enterprise = get_enterprise(session, enterprise_id=enterprise_id)
    require_owner(reader, enterprise)
    changes = data.model_dump(exclude_unset=True)
    checked = EnterpriseCreate.model_validate({**private(enterprise).model_dump(), **changes})
    for name in changes:
        setattr(enterprise, name, getattr(checked, name))
    session.flush()
    store_enterprise_vector(session, enterprise=enterprise)
    return enterprise


def delete_enterprise(session: Session, *, reader: Reader, enterprise_id: int) -> None:
    """Remove one's own profile. Refused (Conflict) while it has published or pending listings; a
    profile with history (listings, expressions of interest) is anonymised instead of deleted."""
    enterprise = get_enterprise(session, enterprise_id=enterprise_id)
    require_owner(reader, enterprise)
    live = history.live_listings(session, enterprise_id)
    if live:
        raise Conflict(f"enterprise {enterprise_id} still has published or pending listings "
                       f"{', '.join(map(str, live))}; expire them first")
    if history.enterprise_has_history(session, enterprise_id):
        history.anonymise(session, enterprise)
        return
    history.forget_identity(session, enterprise_id)
    session.delete(enterprise)
    session.flush()


def kin_enterprises(session: Session, enterprise: Enterprise) -> frozenset[int]:
    """The ids of the enterprise's own profiles: same owner user or same organisation (itself included)."""
    conditions = [Enterprise.id == enterprise.id]
    if enterprise.owner_user_id is not None:
        conditions.append(Enterprise.owner_user_id == enterprise.owner_user_id)
    if enterprise.organisation_id is not None:
        conditions.append(Enterprise.organisation_id == enterprise.organisation_id)
    return frozenset(session.scalars(select(Enterprise.id).where(or_(*conditions))))


def my_enterprises(session: Session, *, reader: Reader) -> list[Enterprise]:
    """The profiles the reader may act for (all of them for the operator)."""
    require_user(reader)
    query = select(Enterprise).order_by(Enterprise.id)
    if not reader.is_operator:
        conditions = [Enterprise.owner_user_id == reader.user_id] if reader.user_id is not None else []
        if reader.organisation_id is not None:
            conditions.append(Enterprise.organisation_id == reader.organisation_id)
        if not conditions:
            return []
        query = query.where(or_(*conditions))
    return list(session.scalars(query))
