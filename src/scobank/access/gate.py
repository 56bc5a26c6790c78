"""The one gate. Every read or write of data or metadata asks `authorize` (one dataset) or
`visible_condition` (listings, search, counts, facets) first, and records what it did in the ledger.

`Reader` (who is asking), `Action` and `DatasetRef` (which dataset: id, owning organisation and party)
live in `scobank.access.reader`. The gate never reads the catalog's tables: the catalog hands it a
DatasetRef, or the columns a listing condition is built on (`DatasetColumns`;
`scobank.catalog.visibility` wraps both for the catalog's own `Dataset`).

Contract:
- authorize(...) returns a Grant saying what the reader may do (full rows, or aggregates with k,
  export allowed, under which agreement and purpose); it raises NotFound when the reader may not know
  the dataset exists, AccessDenied when it may know but not do `action`.
- visible_condition(reader, columns) is a SQL condition for listings; it must agree with authorize
  for Action.METADATA. listed_condition(reader, columns) adds the datasets listed for requests, whose
  title, publisher and description (Action.LISTING) a logged-in reader outside the audience may see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from scobank.access import grants, refusals
from scobank.access.grants import NEEDED_SCOPE, WRITER_ROLES, Grant
from scobank.access.reader import Action, DatasetRef, Reader
from scobank.errors import AccessDenied, NotFound


def _check_scope(reader: Reader, action: Action) -> None:
    if reader.scopes and NEEDED_SCOPE[action] not in reader.scopes:
        raise AccessDenied(f"this token's scope does not allow {action.value}; create one with "
                           f"--scope {NEEDED_SCOPE[action]}")


def _with_status(session: Session, reader: Reader) -> Reader:
    if reader.party and reader.party_status is None and reader.user_id is not None:
        from scobank.access.parties import party_status

        return replace(reader, party_status=party_status(session, reader.party) or "none")
    return reader


def authorize(session: Session, *, reader: Reader, dataset: DatasetRef, action: Action,
              purpose: str | None = None) -> Grant:
    """What `reader` may do with `dataset` for `action`, or why not.

    Owners (the publishing organisation's users; the party's steward; platform administrators) may read
    everything of theirs; editors, admins and stewards write; stewards administer. Others are judged
    by the effective policy (scobank.access.policies) and their active agreements. Raises NotFound when
    neither the audience nor an agreement lets the reader know the dataset exists; AccessDenied when it
    may know of it but not do `action` (embargo, expiry, purpose, no export, aggregates only, role,
    token scope).
    """
    purpose = purpose or reader.purpose
    action = Action(action)
    try:
        return _decide(session, reader, dataset, action, purpose)
    except (AccessDenied, NotFound) as exc:  # recorded in the ledger after the caller's rollback
        refusals.mark(exc, reader=reader, dataset_id=dataset.id, action=action, purpose=purpose)
        raise


def _decide(session: Session, reader: Reader, dataset: DatasetRef, action: Action, purpose: str | None) -> Grant:
    if reader.is_operator:
        _check_scope(reader, action)
        return Grant(dataset_id=dataset.id, action=action, purpose=purpose, basis="operator")
    reader = _with_status(session, reader)
    owner = grants.owner_level(session, reader, dataset)
    if owner is not None:
        grants.check_owner_role(reader, owner, action, dataset)
        _check_scope(reader, action)
        return Grant(dataset_id=dataset.id, action=action, purpose=purpose, basis="owner")
    return grants.reader_grant(session, reader=reader, dataset=dataset, action=action, purpose=purpose)


def _audience_condition(session: Session, reader: Reader) -> ColumnElement[bool]:
    from scobank.access.models import Policy, PolicyAudience

    conds = [Policy.audience == "public"]
    if reader.party_status == "member":
        conds.append(Policy.audience == "members")
    if reader.party:
        conds.append(and_(Policy.audience == "parties", Policy.id.in_(
            select(PolicyAudience.policy_id).where(PolicyAudience.kind == "party",
                                                   PolicyAudience.value == reader.party))))
    if reader.organisation_id is not None:
        conds.append(and_(Policy.audience == "orgs", Policy.id.in_(
            select(PolicyAudience.policy_id).where(PolicyAudience.kind == "org",
                                                   PolicyAudience.value == str(reader.organisation_id)))))
    return or_(*conds)


@dataclass(frozen=True)
class DatasetColumns:
    """The columns a listing condition is built on: the dataset's id and organisation, and the
    organisations' id and party (the catalog passes its own tables' columns)."""

    id: ColumnElement
    organisation_id: ColumnElement
    org_id: ColumnElement
    org_party: ColumnElement


def visible_condition(session: Session, reader: Reader, cols: DatasetColumns) -> ColumnElement[bool]:
    """SQL condition on the datasets `cols` name: those `reader` may know exist (agrees with
    authorize(METADATA)).

    One expression with uncorrelated subqueries over small tables (policies, audiences, agreements),
    so listings, counts and facets filter in the database.
    """
    from scobank.access.models import Agreement, Policy

    if reader.is_operator:
        return true()
    reader = _with_status(session, reader)
    audience = _audience_condition(session, reader)
    party_orgs = select(cols.org_id)
    conds = [
        cols.id.in_(select(Policy.dataset_id).where(Policy.dataset_id.is_not(None), audience)),
        and_(cols.id.not_in(select(Policy.dataset_id).where(Policy.dataset_id.is_not(None))), or_(
            cols.organisation_id.in_(party_orgs.where(cols.org_party.in_(
                select(Policy.party).where(Policy.party.is_not(None), audience)))),
            cols.organisation_id.in_(party_orgs.where(cols.org_party.not_in(
                select(Policy.party).where(Policy.party.is_not(None))))) if reader.party_status == "member"
            else false(),
        )),
    ]
    conds.append(owned_condition(reader, cols))
    if reader.user_id is not None:
        conds.append(cols.id.in_(select(Agreement.dataset_id).where(grants.held_by(reader))))
    return or_(*conds)


def listed_condition(session: Session, reader: Reader, cols: DatasetColumns) -> ColumnElement[bool]:
    """SQL condition on the datasets `cols` name: those whose policy (their own, else their party's
    default) is listed, which a logged-in reader may see the listing of (agrees with
    authorize(LISTING) for a reader outside the audience)."""
    from scobank.access.models import Policy

    if reader.user_id is None and not reader.is_operator:
        return false()
    own = select(Policy.dataset_id).where(Policy.dataset_id.is_not(None))
    return or_(
        cols.id.in_(own.where(Policy.listed.is_(True))),
        and_(cols.id.not_in(own), cols.organisation_id.in_(select(cols.org_id).where(cols.org_party.in_(
            select(Policy.party).where(Policy.party.is_not(None), Policy.listed.is_(True)))))),
    )


def owned_condition(reader: Reader, cols: DatasetColumns) -> ColumnElement[bool]:
    """SQL condition on the datasets `cols` name: those `reader` owns (their organisation's; a steward:
    their party's; the operator and platform administrators: all)."""
    if reader.is_operator:
        return true()
    conds = []
    if reader.organisation_id is not None:
        conds.append(cols.organisation_id == reader.organisation_id)
    if reader.role == "steward" and reader.party:
        conds.append(cols.organisation_id.in_(select(cols.org_id).where(cols.org_party == reader.party)))
    return or_(*conds) if conds else false()


__all__ = ["DatasetColumns", "Grant", "NEEDED_SCOPE", "WRITER_ROLES", "authorize", "visible_condition",
           "listed_condition", "owned_condition", "NotFound", "AccessDenied"]
