"""Access requests and agreements.

A user asks for a dataset they may see (its metadata, or only its listing when its policy is listed
for requests) for a purpose and a period, for themselves or for their whole organisation; the steward
of the owning party approves it as asked, narrows it (shorter, coarser, no export) or refuses it. An
approval creates an Agreement (who: the user or the organisation; dataset, purpose, granularity,
export, until when) that the gate honours until it expires or is revoked. Every step is a ledger
entry; the stewards hear of a new request and the requester of the decision (`stewardship.notices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import authorize
from scobank.access.grants import owner_level, party_rights
from scobank.access.models import AccessRequest, Agreement, User
from scobank.access.policies import PURPOSES
from scobank.access.reader import Action, Reader
from scobank.catalog.refs import dataset_id_of, organisation_slugs, ref_by_id, ref_by_slug, slugs_by_id
from scobank.catalog.visibility import owned_dataset_ids
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, Conflict, NotFound, Unauthenticated
from scobank.stewardship.notices import notify_decided, notify_filed

MAX_PERIOD = timedelta(days=5 * 366)
DECISIONS = ("approve", "narrow", "refuse")


@dataclass(frozen=True)
class Terms:
    """What is asked for or granted."""

    purpose: str
    valid_until: date
    valid_from: date | None = None
    aggregates_only_k: int | None = None
    export: bool = False


def _user(reader: Reader) -> None:
    if reader.user_id is None and not reader.is_operator:
        raise Unauthenticated("log in to request access")


def _check_terms(terms: Terms) -> Terms:
    start = terms.valid_from or utcnow().date()
    if terms.purpose not in PURPOSES:
        raise BadRequest(f"purpose must be one of {', '.join(PURPOSES)}; got {terms.purpose!r}")
    if terms.valid_until < start:
        raise BadRequest(f"the period ends ({terms.valid_until}) before it starts ({start})")
    if terms.valid_until - start > MAX_PERIOD:
        raise BadRequest("a period may last at most five years")
    if terms.aggregates_only_k is not None and terms.aggregates_only_k < 2:
        raise BadRequest("aggregates_only_k must be at least 2")
    if terms.export and terms.aggregates_only_k is not None:
        raise BadRequest("export means rows; it cannot go with aggregates only")
    return Terms(terms.purpose, terms.valid_until, start, terms.aggregates_only_k, terms.export)


def request_public(session: Session, row: AccessRequest) -> dict:
    user = session.get(User, row.user_id)
    return {"id": row.id, "dataset": slugs_by_id(session, [row.dataset_id]).get(row.dataset_id), "user": user.email if user else None,
            "organisation": organisation_slugs(session, [row.organisation_id]).get(row.organisation_id),
            "purpose": row.purpose, "valid_from": row.valid_from.isoformat(),
            "valid_until": row.valid_until.isoformat(), "aggregates_only_k": row.aggregates_only_k,
            "export": row.export, "message": row.message, "status": row.status, "decided_by": row.decided_by,
            "decided_at": row.decided_at.isoformat() + "Z" if row.decided_at else None,
            "decision_note": row.decision_note, "agreement_id": _agreement_of(session, row.id)}


def _agreement_of(session: Session, request_id: int) -> int | None:
    return session.scalars(select(Agreement.id).where(Agreement.request_id == request_id)).first()


def agreement_public(session: Session, row: Agreement) -> dict:
    user = session.get(User, row.user_id) if row.user_id is not None else None
    today = utcnow().date()
    state = ("revoked" if row.revoked_at else "expired" if row.valid_until < today
             else "pending" if row.valid_from > today else "active")
    return {"id": row.id, "dataset": slugs_by_id(session, [row.dataset_id]).get(row.dataset_id),
            "user": user.email if user else None,
            "organisation": organisation_slugs(session, [row.organisation_id]).get(row.organisation_id),
            "purpose": row.purpose, "aggregates_only_k": row.aggregates_only_k, "export": row.export,
            "valid_from": row.valid_from.isoformat(), "valid_until": row.valid_until.isoformat(),
            "granted_by": row.granted_by, "request_id": row.request_id, "state": state,
            "revoked_at": row.revoked_at.isoformat() + "Z" if row.revoked_at else None}


def create_request(session: Session, *, reader: Reader, slug: str, terms: Terms,
                   message: str | None = None, for_organisation: bool = False) -> dict:
    """File a request, for the reader or (`for_organisation`) for the reader's whole organisation, and
    tell the owning party's stewards. NotFound when the reader may not even see the dataset's listing;
    BadRequest for bad terms, for a dataset the reader owns, or for an organisation the reader has not;
    AccessDenied when the reader's party may not file requests."""
    if reader.user_id is None:
        raise Unauthenticated("log in to request access")
    dataset = ref_by_slug(session, slug)
    authorize(session, reader=reader, dataset=dataset, action=Action.LISTING)
    if reader.is_operator or owner_level(session, reader, dataset) is not None:
        raise BadRequest(f"you already have full access to {slug}")
    if not party_rights(session, reader).may_request:
        raise AccessDenied("users of your party may not request access; ask your steward")
    if for_organisation and reader.organisation_id is None:
        raise BadRequest("you belong to no organisation; ask for yourself")
    terms = _check_terms(terms)
    row = AccessRequest(user_id=reader.user_id, dataset_id=dataset.id, purpose=terms.purpose,
                        organisation_id=reader.organisation_id if for_organisation else None,
                        valid_from=terms.valid_from, valid_until=terms.valid_until,
                        aggregates_only_k=terms.aggregates_only_k, export=terms.export, message=message)
    session.add(row)
    session.flush()
    ledger.record(session, actor=reader, action="access-request", dataset_id=dataset.id, purpose=terms.purpose,
                  detail={"request": row.id, "until": terms.valid_until.isoformat(),
                          "for": "organisation" if for_organisation else "user"})
    notify_filed(session, row)
    return request_public(session, row)


def list_requests(session: Session, *, reader: Reader, status: str | None = None,
                  slug: str | None = None) -> list[dict]:
    """The reader's own requests and those on datasets the reader's party steward decides."""
    _user(reader)
    stmt = select(AccessRequest)
    mine = AccessRequest.user_id == reader.user_id
    if reader.is_operator:
        pass
    elif reader.role == "steward":
        stmt = stmt.where(or_(mine, AccessRequest.dataset_id.in_(owned_dataset_ids(session, reader))))
    else:
        stmt = stmt.where(mine)
    if status:
        stmt = stmt.where(AccessRequest.status == status)
    if slug:
        stmt = stmt.where(AccessRequest.dataset_id == dataset_id_of(session, slug))
    return [request_public(session, r) for r in session.scalars(stmt.order_by(AccessRequest.id.desc()))]


def _narrower(asked: AccessRequest, given: Terms) -> None:
    if given.purpose != asked.purpose:
        raise BadRequest("narrowing keeps the purpose; refuse and ask for a new request instead")
    if given.valid_until > asked.valid_until or (given.valid_from or asked.valid_from) < asked.valid_from:
        raise BadRequest("a narrowed period must lie within the requested one")
    if asked.aggregates_only_k is not None and (given.aggregates_only_k or 0) < asked.aggregates_only_k:
        raise BadRequest(f"a narrowed grant keeps at least k={asked.aggregates_only_k}")
    if given.export and not asked.export:
        raise BadRequest("export was not requested")


def narrowed_terms(session: Session, *, request_id: int, valid_until: date | None = None,
                   aggregates_only_k: int | None = None, export: bool | None = None) -> Terms:
    """The terms of request `request_id` with the given parts replaced (for `decide(..., "narrow")`)."""
    row = session.get(AccessRequest, request_id)
    if row is None:
        raise NotFound(f"no access request {request_id}")
    return Terms(row.purpose, valid_until or row.valid_until, row.valid_from,
                 aggregates_only_k if aggregates_only_k is not None else row.aggregates_only_k,
                 row.export if export is None else export)


def decide(session: Session, *, reader: Reader, request_id: int, decision: str, note: str | None = None,
           narrowed: Terms | None = None) -> dict:
    """Approve, narrow (with `narrowed` terms inside the requested ones) or refuse a pending request.
    Only the owning party's steward (or a platform administrator) decides; others get NotFound/
    AccessDenied as the gate says. Conflict when it was decided already."""
    if decision not in DECISIONS:
        raise BadRequest(f"decision must be one of {', '.join(DECISIONS)}")
    row = session.get(AccessRequest, request_id)
    if row is None:
        raise NotFound(f"no access request {request_id}")
    dataset = ref_by_id(session, row.dataset_id)
    authorize(session, reader=reader, dataset=dataset, action=Action.ADMIN)
    if row.status != "pending":
        raise Conflict(f"request {request_id} was already decided ({row.status})")
    row.status = {"approve": "approved", "narrow": "narrowed", "refuse": "refused"}[decision]
    row.decided_by, row.decided_at, row.decision_note = reader.email, utcnow(), note
    agreement_id = None
    if decision != "refuse":
        terms = Terms(row.purpose, row.valid_until, row.valid_from, row.aggregates_only_k, row.export)
        if decision == "narrow":
            if narrowed is None:
                raise BadRequest("narrowing needs the narrowed terms")
            terms = _check_terms(narrowed)
            _narrower(row, terms)
        agreement = Agreement(user_id=None if row.organisation_id else row.user_id,
                              organisation_id=row.organisation_id, dataset_id=row.dataset_id, request_id=row.id,
                              purpose=terms.purpose, aggregates_only_k=terms.aggregates_only_k,
                              export=terms.export, valid_from=terms.valid_from or row.valid_from,
                              valid_until=terms.valid_until, granted_by=reader.email)
        session.add(agreement)
        session.flush()
        agreement_id = agreement.id
    ledger.record(session, actor=reader, action=f"access-{decision}", dataset_id=dataset.id,
                  purpose=row.purpose, agreement_id=agreement_id, detail={"request": row.id})
    notify_decided(session, row)
    return request_public(session, row)


def list_agreements(session: Session, *, reader: Reader, slug: str | None = None) -> list[dict]:
    """Agreements the reader holds, and those on datasets the reader owns (stewards, org users)."""
    _user(reader)
    stmt = select(Agreement)
    if not reader.is_operator:
        stmt = stmt.where(or_(_holder(reader), Agreement.dataset_id.in_(owned_dataset_ids(session, reader))))
    if slug:
        stmt = stmt.where(Agreement.dataset_id == dataset_id_of(session, slug))
    return [agreement_public(session, a) for a in session.scalars(stmt.order_by(Agreement.id.desc()))]


def _holder(reader: Reader):
    """SQL condition on Agreement: held by the reader or by the reader's organisation."""
    if reader.organisation_id is None:
        return Agreement.user_id == reader.user_id
    return or_(Agreement.user_id == reader.user_id, and_(Agreement.organisation_id.is_not(None),
                                                         Agreement.organisation_id == reader.organisation_id))


def revoke_agreement(session: Session, *, reader: Reader, agreement_id: int) -> dict:
    """End an agreement now: its holder may renounce it, the owning steward may revoke it."""
    _user(reader)
    row = session.get(Agreement, agreement_id)
    if row is None:
        raise NotFound(f"no agreement {agreement_id}")
    holder = row.user_id == reader.user_id or (  # an organisation's agreement: its admins may renounce it
        row.organisation_id is not None and row.organisation_id == reader.organisation_id
        and reader.role in ("admin", "steward"))
    if not holder:
        dataset = ref_by_id(session, row.dataset_id)
        try:
            authorize(session, reader=reader, dataset=dataset, action=Action.ADMIN)
        except (NotFound, AccessDenied):
            raise NotFound(f"no agreement {agreement_id}") from None
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by = utcnow(), reader.email
        ledger.record(session, actor=reader, action="agreement-revoke", dataset_id=row.dataset_id,
                      agreement_id=row.id)
    return agreement_public(session, row)


def grant_agreement(session: Session, *, reader: Reader, slug: str, user_email: str, terms: Terms) -> dict:
    """A steward grants an agreement directly, without a request (e.g. after talks outside the bank)."""
    from scobank.access.users import find_user

    dataset = ref_by_slug(session, slug)
    authorize(session, reader=reader, dataset=dataset, action=Action.ADMIN)
    terms = _check_terms(terms)
    holder = find_user(session, user_email)
    row = Agreement(user_id=holder.id, dataset_id=dataset.id, purpose=terms.purpose,
                    aggregates_only_k=terms.aggregates_only_k, export=terms.export,
                    valid_from=terms.valid_from, valid_until=terms.valid_until, granted_by=reader.email)
    session.add(row)
    session.flush()
    ledger.record(session, actor=reader, action="agreement-grant", dataset_id=dataset.id, purpose=terms.purpose,
                  agreement_id=row.id, detail={"holder": holder.email})
    return agreement_public(session, row)
