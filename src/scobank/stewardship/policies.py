"""What stewards do with policies: set and show a dataset's terms (by slug), a party's default and its
readers' rights. Each call checks the gate and writes a ledger entry in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access import ledger, policies
from scobank.access.gate import authorize
from scobank.access.grants import NO_PARTY, STATUS_RIGHTS
from scobank.access.models import PartyRights
from scobank.access.parties import party_status
from scobank.access.reader import Action, Reader
from scobank.catalog.refs import organisation_ids, ref_by_slug
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest


def _org_ids(session: Session, document: dict) -> dict[str, int]:
    """The ids of the organisations a policy document names (its `orgs` audience), from the catalog."""
    return organisation_ids(session, [str(o).strip() for o in document.get("orgs") or []])


def policy_view(session: Session, *, reader: Reader, slug: str) -> dict:
    """The effective policy of dataset `slug` (anyone who may see the dataset may read its terms)."""
    dataset = ref_by_slug(session, slug)
    authorize(session, reader=reader, dataset=dataset, action=Action.METADATA)
    effective = policies.effective_policy(session, dataset)
    owner = dataset.party
    return {"dataset": slug, "source": effective.source, "version": effective.version,
            "policy": effective.document, "odrl": policies.to_odrl(effective.document, target=slug,
                                                                   assigner=owner)}


def set_policy(session: Session, *, reader: Reader, slug: str, document: dict) -> dict:
    """Replace dataset `slug`'s policy (steward of the owning party or platform administrator)."""
    dataset = ref_by_slug(session, slug)
    authorize(session, reader=reader, dataset=dataset, action=Action.ADMIN)
    row = policies.set_dataset_policy(session, dataset=dataset, document=document, actor=reader.email,
                                      org_ids=_org_ids(session, document))
    ledger.record(session, actor=reader, action="policy-set", dataset_id=dataset.id,
                  detail={"version": row.version, "policy": row.document})
    return policy_view(session, reader=reader, slug=slug)


def policy_history(session: Session, *, reader: Reader, slug: str) -> list[dict]:
    dataset = ref_by_slug(session, slug)
    authorize(session, reader=reader, dataset=dataset, action=Action.ADMIN)
    return policies.history(session, dataset=dataset)


def _check_party_admin(reader: Reader, party: str) -> None:
    if reader.is_operator and (not reader.scopes or "admin" in reader.scopes):
        return
    if reader.role == "steward" and reader.party == party and (not reader.scopes or "admin" in reader.scopes):
        return
    raise AccessDenied(f"only {party}'s steward or a platform administrator may change its defaults")


def set_party_default(session: Session, *, reader: Reader, party: str, document: dict) -> dict:
    """Replace party `party`'s default policy (its steward or a platform administrator)."""
    party = party.strip().upper()
    _check_party_admin(reader, party)
    row = policies.set_party_default(session, party=party, document=document, actor=reader.email,
                                     org_ids=_org_ids(session, document))
    ledger.record(session, actor=reader, action="policy-default-set",
                  detail={"party": party, "version": row.version, "policy": row.document})
    return {"party": party, "version": row.version, "policy": row.document}


def set_party_rights(session: Session, *, reader: Reader, party: str, may_export: bool | None = None,
                     min_k: int | None = None, may_request: bool | None = None) -> dict:
    """Override what readers of `party` get by default (platform administrators only)."""
    party = party.strip().upper()
    if not reader.is_operator:
        raise AccessDenied("only a platform administrator may change a party's reader rights")
    if min_k is not None and min_k < 0:
        raise BadRequest("--min-k must be 0 (full rows) or more")
    row = session.get(PartyRights, party)
    if row is None:
        base = STATUS_RIGHTS.get(party_status(session, party) or "", NO_PARTY)
        row = PartyRights(party=party, may_export=base.may_export, min_k=base.min_k, may_request=base.may_request)
        session.add(row)
    if may_export is not None:
        row.may_export = may_export
    if min_k is not None:
        row.min_k = min_k or None
    if may_request is not None:
        row.may_request = may_request
    row.updated_at = utcnow()
    session.flush()
    ledger.record(session, actor=reader, action="party-rights-set",
                  detail={"party": party, "may_export": row.may_export, "min_k": row.min_k,
                          "may_request": row.may_request})
    return {"party": party, "may_export": row.may_export, "min_k": row.min_k, "may_request": row.may_request}
