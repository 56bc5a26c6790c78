"""Organisations: the ministries, agencies and institutions that publish; each belongs to a party.

`LOOKUP` is what access asks of them (a user's organisation and party); `scobank.bank.start` hands it to
access at start-up."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.organisations import OrganisationLookup, OrganisationRef
from scobank.access.reader import Reader
from scobank.catalog.models import Organisation
from scobank.catalog.schemas import OrganisationCreate, OrganisationPublic
from scobank.errors import AccessDenied, Conflict, NotFound
from scobank.reference.texts import country_texts


def organisation_public(org: Organisation) -> OrganisationPublic:
    return OrganisationPublic(slug=org.slug, party=org.party, names=org.names, created_at=org.created_at)


def create_organisation(session: Session, *, data: OrganisationCreate, actor: Reader) -> Organisation:
    """Add an organisation of party `data.party` (ISO3, must be a known country).

    Only the operator or a platform admin may add organisations (AccessDenied otherwise).
    Raises Conflict when the slug is taken, NotFound when the party is not a known country."""
    if not actor.is_operator:
        raise AccessDenied("only a platform administrator can add organisations")
    party = data.party.upper()
    if party not in country_texts(session, [party]):
        raise NotFound(f"party {party!r} is not a known country (ISO 3166 alpha-3, e.g. KAZ)")
    if session.scalar(select(Organisation.id).where(Organisation.slug == data.slug)) is not None:
        raise Conflict(f"organisation {data.slug!r} already exists")
    org = Organisation(slug=data.slug, party=party, names=dict(data.names))
    session.add(org)
    session.flush()
    ledger.record(session, actor=actor, action="create-organisation", detail={"organisation": org.slug})
    return org


def find_organisation(session: Session, slug: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(f"organisation {slug!r} does not exist")
    return org


def list_organisations(session: Session, *, party: str | None = None) -> list[OrganisationPublic]:
    """Every organisation (organisations are public: who publishes is not secret), by slug."""
    query = select(Organisation).order_by(Organisation.slug)
    if party:
        query = query.where(Organisation.party == party.upper())
    return [organisation_public(o) for o in session.scalars(query)]


def _ref(org: Organisation | None) -> OrganisationRef | None:
    return OrganisationRef(id=org.id, slug=org.slug, party=org.party) if org else None


def _ids_of_party(session: Session, party: str) -> list[int]:
    return list(session.scalars(select(Organisation.id).where(Organisation.party == party)))


LOOKUP = OrganisationLookup(
    by_id=lambda session, organisation_id: _ref(session.get(Organisation, organisation_id)),
    by_slug=lambda session, slug: _ref(session.scalars(select(Organisation).where(Organisation.slug == slug)).first()),
    ids_of_party=_ids_of_party,
)
