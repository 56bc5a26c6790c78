"""A steward takes back a wrong version, or makes older content the newest again.

Withdraw: the version is marked (who, when, why); its bytes stay in the lake, its signature and ledger
entries stay valid, and it can still be read by its number (marked withdrawn everywhere it is shown);
the newest version not withdrawn is what every default read serves. Republish (rollback): an older
version's content becomes a new, newest version (same content hash, signed again, `republished_from`
names the source), so the history only grows.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import authorize
from scobank.access.reader import Action, Reader
from scobank.catalog.datasets import find_dataset
from scobank.catalog.publish import add_version
from scobank.catalog.refs import ref_of
from scobank.catalog.schemas import VersionPublic
from scobank.catalog.versions import find_version, version_public
from scobank.db import utcnow
from scobank.errors import BadRequest, Conflict


def withdraw_version(session: Session, *, slug: str, number: int, reason: str, actor: Reader) -> VersionPublic:
    """Mark version `number` of `slug` withdrawn with `reason` (WRITE: the dataset's steward).

    Raises BadRequest (no reason), Conflict (already withdrawn), NotFound, AccessDenied."""
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise BadRequest("say why the version is withdrawn (--reason); its readers see it")
    dataset = find_dataset(session, slug)
    grant = authorize(session, reader=actor, dataset=ref_of(session, dataset), action=Action.WRITE)
    version = find_version(session, dataset, number=number)
    if version.withdrawn_at is not None:
        raise Conflict(f"version {number} of {slug!r} was already withdrawn on "
                       f"{version.withdrawn_at.isoformat(' ', 'seconds')} UTC: {version.withdrawal_reason}")
    version.withdrawn_at, version.withdrawn_by, version.withdrawal_reason = utcnow(), actor.email or actor.role, reason
    session.flush()
    ledger.record(session, actor=actor, action="withdraw", dataset_id=dataset.id, version_id=version.id,
                  purpose=grant.purpose, detail={"number": number, "reason": reason,
                                                 "content_hash": version.content_hash})
    return version_public(dataset, version)


def republish_version(session: Session, *, slug: str, number: int, actor: Reader,
                      reason: str | None = None) -> VersionPublic:
    """Publish the content of version `number` of `slug` again as its newest version (a rollback;
    WRITE). The new version repeats the old one's content, schema and report, and is signed again."""
    dataset = find_dataset(session, slug)
    grant = authorize(session, reader=actor, dataset=ref_of(session, dataset), action=Action.WRITE)
    old = find_version(session, dataset, number=number)
    version = add_version(session, dataset, actor=actor, content_hash=old.content_hash, byte_size=old.byte_size,
                          row_count=old.row_count, table_schema=old.table_schema, report=old.report,
                          source_name=old.source_name, source_hash=old.source_hash, republished_from=old.number)
    ledger.record(session, actor=actor, action="republish", dataset_id=dataset.id, version_id=version.id,
                  purpose=grant.purpose, rows=version.row_count,
                  detail={"republished_from": old.number, "content_hash": old.content_hash,
                          **({"reason": reason.strip()} if reason and reason.strip() else {})})
    return version_public(dataset, version)
