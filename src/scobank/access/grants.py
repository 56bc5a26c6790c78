"""How the gate decides for one reader and one dataset: ownership, audience, agreements, party rights.

Only scobank.access.gate calls the decisions; everything else asks the gate. `Grant` is the gate's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from scobank.access.reader import Action, DatasetRef, Reader
from scobank.access.models import Agreement, PartyRights, PolicyAudience
from scobank.access.policies import EffectivePolicy, effective_policy
from scobank.db import utcnow
from scobank.errors import AccessDenied, NotFound


@dataclass(frozen=True)
class Grant:
    dataset_id: int
    action: Action
    purpose: str | None = None
    agreement_id: int | None = None
    aggregates_only_k: int | None = None  # None = full rows
    may_export: bool = True
    basis: str = "policy"  # owner | policy | agreement | operator | listing (only listed): why granted


# The scope a token needs for each action (cookie and CLI identities have every scope of their role).
NEEDED_SCOPE = {Action.LISTING: "read", Action.METADATA: "read", Action.QUERY: "read", Action.EXPORT: "read", Action.WRITE: "write",
                Action.ADMIN: "admin"}
WRITER_ROLES = ("editor", "admin", "steward")


def today() -> date:
    return utcnow().date()


@dataclass(frozen=True)
class Rights:
    """What a party's readers get on non-public data they are in the audience of."""

    may_export: bool
    min_k: int | None
    may_request: bool


# Observers and partners get narrower defaults than members; a PartyRights row overrides them.
STATUS_RIGHTS = {
    "member": Rights(may_export=True, min_k=None, may_request=True),
    "observer": Rights(may_export=False, min_k=None, may_request=True),
    "partner": Rights(may_export=False, min_k=10, may_request=True),
}
NO_PARTY = Rights(may_export=False, min_k=10, may_request=False)


def party_rights(session: Session, reader: Reader) -> Rights:
    row = session.get(PartyRights, reader.party) if reader.party else None
    if row is not None:
        return Rights(may_export=row.may_export, min_k=row.min_k, may_request=row.may_request)
    return STATUS_RIGHTS.get(reader.party_status or "", NO_PARTY)


def owner_level(session: Session, reader: Reader, dataset: DatasetRef) -> str | None:
    """"org" (a user of the publishing organisation), "party" (the party's steward) or None."""
    if reader.organisation_id is not None and reader.organisation_id == dataset.organisation_id:
        return "org"
    if reader.role == "steward" and reader.party and reader.party == dataset.party:
        return "party"
    return None


def check_owner_role(reader: Reader, owner: str, action: Action, dataset: DatasetRef) -> None:
    if action == Action.WRITE and reader.role not in WRITER_ROLES:
        raise AccessDenied(f"a {reader.role} may read {dataset.slug} but not change it")
    if action == Action.ADMIN and reader.role != "steward":
        raise AccessDenied(f"only the party's steward may change the policy of {dataset.slug} "
                           "or decide requests for it")


def in_audience(session: Session, reader: Reader, policy: EffectivePolicy) -> bool:
    doc = policy.document
    audience = doc["audience"]
    if audience == "public":
        return True
    if audience == "members":
        return reader.party_status == "member"
    if audience == "parties":
        return reader.party is not None and reader.party in doc.get("parties", [])
    if audience == "orgs" and reader.organisation_id is not None and policy.policy_id is not None:
        return session.get(PolicyAudience, (policy.policy_id, "org", str(reader.organisation_id))) is not None
    return False


def held_by(reader: Reader) -> ColumnElement[bool]:
    """SQL condition on Agreement: held by the reader, or by the reader's organisation, in force today."""
    day = today()
    holders = [Agreement.user_id == reader.user_id]
    if reader.organisation_id is not None:
        holders.append(and_(Agreement.organisation_id.is_not(None),
                            Agreement.organisation_id == reader.organisation_id))
    return and_(or_(*holders), Agreement.revoked_at.is_(None), Agreement.valid_from <= day,
                Agreement.valid_until >= day)


def active_agreements(session: Session, reader: Reader, dataset: DatasetRef) -> list[Agreement]:
    if reader.user_id is None:
        return []
    return list(session.scalars(select(Agreement).where(held_by(reader), Agreement.dataset_id == dataset.id)
                                .order_by(Agreement.id)))


def _outside_audience(reader: Reader, dataset: DatasetRef, action: Action, policy: EffectivePolicy) -> Grant:
    """A reader neither in the audience nor holding an agreement: a listed dataset shows its listing
    (to ask for access) to a logged-in reader and refuses the rest; any other is not found."""
    if not policy.document.get("listed") or reader.user_id is None:
        raise NotFound(f"no dataset {dataset.slug!r}")
    if action == Action.LISTING and not (reader.scopes and "read" not in reader.scopes):
        return Grant(dataset_id=dataset.id, action=action, basis="listing")
    raise AccessDenied(f"{dataset.slug} is listed so that you may ask for access; its owners have not "
                       "opened it to you yet (request access)")


def reader_grant(session: Session, *, reader: Reader, dataset: DatasetRef, action: Action,
                 purpose: str | None) -> Grant:
    """The grant of a reader who does not own `dataset` (see gate.authorize for the contract)."""
    policy = effective_policy(session, dataset)
    by_audience = in_audience(session, reader, policy)
    agreements = active_agreements(session, reader, dataset)
    if not by_audience and not agreements:
        return _outside_audience(reader, dataset, action, policy)
    if action in (Action.WRITE, Action.ADMIN):
        raise AccessDenied(f"only the owners of {dataset.slug} may change it")
    if reader.scopes and NEEDED_SCOPE[action] not in reader.scopes:
        raise AccessDenied(f"this token's scope does not allow {action.value}")
    if action in (Action.METADATA, Action.LISTING):
        return Grant(dataset_id=dataset.id, action=action, purpose=purpose)
    candidates: list[Grant] = []
    refusal: AccessDenied | None = None
    if by_audience:
        try:
            candidates.append(_policy_grant(session, reader, dataset, action, purpose, policy))
        except AccessDenied as exc:
            refusal = exc
    if agreements:
        try:
            candidates.append(_agreement_grant(dataset, action, purpose, agreements))
        except AccessDenied as exc:
            refusal = exc  # the agreement is what the reader holds: cite it, not the policy
    if not candidates:
        raise refusal  # type: ignore[misc]
    # The most generous of the two: full rows over aggregates, then export, then the policy.
    return min(candidates, key=lambda g: (g.aggregates_only_k is not None, not g.may_export,
                                          g.agreement_id is not None))


def _policy_grant(session: Session, reader: Reader, dataset: DatasetRef, action: Action, purpose: str | None,
                  policy: EffectivePolicy) -> Grant:
    doc, day = policy.document, today()
    if doc.get("embargo_until") and day < date.fromisoformat(doc["embargo_until"]):
        raise AccessDenied(f"{dataset.slug} is under embargo until {doc['embargo_until']}")
    if doc.get("expires") and day > date.fromisoformat(doc["expires"]):
        raise AccessDenied(f"the owner's terms for {dataset.slug} ended on {doc['expires']}")
    if doc.get("purposes"):
        allowed = ", ".join(doc["purposes"])
        if purpose is None:
            raise AccessDenied(f"{dataset.slug} may be used only for: {allowed}; state your purpose "
                               "(X-Purpose header or ?purpose=)")
        if purpose not in doc["purposes"]:
            raise AccessDenied(f"{dataset.slug} may be used only for: {allowed}; not for {purpose}")
    k, may_export = doc.get("aggregates_only_k"), bool(doc.get("export", True))
    if doc["audience"] != "public":
        rights = party_rights(session, reader)
        if rights.min_k is not None:
            k = max(k or 0, rights.min_k)
        may_export = may_export and rights.may_export
    return _finish(dataset, action, purpose, k, may_export, agreement_id=None)


def _agreement_grant(dataset: DatasetRef, action: Action, purpose: str | None,
                     agreements: list[Agreement]) -> Grant:
    chosen = next((a for a in agreements if purpose in (None, a.purpose)), None)
    if chosen is None:
        covered = ", ".join(sorted({a.purpose for a in agreements}))
        raise AccessDenied(f"your agreement for {dataset.slug} covers {covered}, not {purpose}")
    return _finish(dataset, action, chosen.purpose, chosen.aggregates_only_k, bool(chosen.export),
                   agreement_id=chosen.id)


def _finish(dataset: DatasetRef, action: Action, purpose: str | None, k: int | None, may_export: bool, *,
            agreement_id: int | None) -> Grant:
    if action == Action.EXPORT:
        if k is not None:
            raise AccessDenied(f"{dataset.slug} is available as aggregates only (at least {k} per cell); "
                               "bulk export is not allowed")
        if not may_export and agreement_id is not None:
            raise AccessDenied(f"your agreement {agreement_id} for {dataset.slug} allows queries but not bulk export; "
                               "ask the steward to widen it")
        if not may_export:
            raise AccessDenied(f"the owner allows queries of {dataset.slug} but not bulk export")
    return Grant(dataset_id=dataset.id, action=action, purpose=purpose, agreement_id=agreement_id,
                 aggregates_only_k=k, may_export=may_export and k is None,
                 basis="agreement" if agreement_id else "policy")
