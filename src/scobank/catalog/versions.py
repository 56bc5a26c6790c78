"""Immutable versions: listing versions, reading one by number or "as of" (publishing is
`scobank.catalog.publish`; withdrawing and republishing `scobank.catalog.withdrawals`).

A version is a Parquet object in the lake (addressed by the sha256 of its bytes) plus one catalog
row with its number, row count, Table Schema, validation report and provenance (who, when, source
file name and sha256). Content is never changed or deleted: a withdrawn version is marked, and the
newest version not withdrawn is what a reader gets by default.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import Grant, authorize
from scobank.access.reader import Action, Reader
from scobank.catalog.datasets import find_dataset
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.refs import ref_of
from scobank.catalog.schemas import VersionPublic
from scobank.errors import NotFound


def version_public(dataset: Dataset, version: DatasetVersion) -> VersionPublic:
    return VersionPublic(
        dataset=dataset.slug, number=version.number, content_hash=version.content_hash,
        row_count=version.row_count, byte_size=version.byte_size, table_schema=version.table_schema,
        report=version.report, source_name=version.source_name, source_sha256=version.source_hash,
        created_by=version.created_by, created_at=version.created_at, republished_from=version.republished_from,
        schema_change=version.schema_change, withdrawn=version.withdrawn_at is not None,
        withdrawn_at=version.withdrawn_at, withdrawn_by=version.withdrawn_by,
        withdrawal_reason=version.withdrawal_reason,
    )


def find_version(session: Session, dataset: Dataset, *, number: int | None = None,
                 as_of: datetime | None = None) -> DatasetVersion:
    """The version `number` (withdrawn or not: it stays readable, marked), or the newest version not
    withdrawn: now, or as it was at `as_of` (UTC; a version withdrawn later still served then)."""
    query = select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
    if number is not None:
        version = session.scalar(query.where(DatasetVersion.number == number))
        if version is None:
            raise NotFound(f"dataset {dataset.slug!r} has no version {number}")
        return version
    if as_of is not None:
        if as_of.tzinfo is not None:
            as_of = _naive_utc(as_of)
        query = query.where(DatasetVersion.created_at <= as_of,
                            or_(DatasetVersion.withdrawn_at.is_(None), DatasetVersion.withdrawn_at > as_of))
    else:
        query = query.where(DatasetVersion.withdrawn_at.is_(None))
    version = session.scalar(query.order_by(DatasetVersion.number.desc()).limit(1))
    if version is None:
        when = f" at {as_of.isoformat()}" if as_of else ""
        raise NotFound(f"dataset {dataset.slug!r} had no version{when} that is not withdrawn")
    return version


def version_of_source(session: Session, dataset: Dataset, *, source_hash: str) -> DatasetVersion | None:
    """The version of `dataset` published from a source file of sha256 `source_hash`, if there is one."""
    return session.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id,
                                                        DatasetVersion.source_hash == source_hash)).first()


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def resolve_version(session: Session, *, slug: str, reader: Reader, action: Action,
                    number: int | None = None, as_of: datetime | None = None,
                    purpose: str | None = None) -> tuple[Dataset, DatasetVersion, Grant]:
    """Dataset, version and the gate's Grant for `action`: the entry point for every data read
    (queries, exports, analytics inputs). The caller records what it returned in the ledger."""
    dataset = find_dataset(session, slug)
    grant = authorize(session, reader=reader, dataset=ref_of(session, dataset), action=action, purpose=purpose)
    return dataset, find_version(session, dataset, number=number, as_of=as_of), grant


def list_versions(session: Session, *, slug: str, reader: Reader) -> list[VersionPublic]:
    """Every version of a dataset, oldest first (METADATA)."""
    dataset = find_dataset(session, slug)
    grant = authorize(session, reader=reader, dataset=ref_of(session, dataset), action=Action.METADATA)
    versions = list(session.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
                                    .order_by(DatasetVersion.number)))
    ledger.record(session, actor=reader, action="versions", dataset_id=dataset.id, purpose=grant.purpose,
                  agreement_id=grant.agreement_id, rows=len(versions))
    return [version_public(dataset, v) for v in versions]


def get_version(session: Session, *, slug: str, reader: Reader, number: int | None = None,
                as_of: datetime | None = None) -> VersionPublic:
    """One version's description: by number, as of a moment, or the newest (METADATA)."""
    dataset, version, grant = resolve_version(session, slug=slug, reader=reader, action=Action.METADATA,
                                              number=number, as_of=as_of)
    ledger.record(session, actor=reader, action="version", dataset_id=dataset.id, version_id=version.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id)
    return version_public(dataset, version)
