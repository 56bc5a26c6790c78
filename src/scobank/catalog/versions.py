"""Immutable versions: publishing a file as a new version, listing versions, reading "as of".

A version is a Parquet object in the lake (addressed by the sha256 of its bytes) plus one catalog
row with its number, row count, Table Schema, validation report and provenance (who, when, source
file name and sha256). Versions are never changed or deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import Grant, authorize
from scobank.access.reader import Action, Reader
from scobank.access.signatures import sign_version
from scobank.catalog.datasets import create_dataset, find_dataset
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.refs import ref_of
from scobank.catalog.schemas import DatasetCreate, PublishResult, VersionPublic
from scobank.errors import BadRequest, Conflict, NotFound
from scobank.ingest.options import ReadOptions
from scobank.lake import store


def version_public(dataset: Dataset, version: DatasetVersion) -> VersionPublic:
    return VersionPublic(
        dataset=dataset.slug, number=version.number, content_hash=version.content_hash,
        row_count=version.row_count, byte_size=version.byte_size, table_schema=version.table_schema,
        report=version.report, source_name=version.source_name, source_sha256=version.source_hash,
        created_by=version.created_by, created_at=version.created_at,
    )


def publish_version(session: Session, *, dataset: str, source: Path, actor: Reader,
                    kind: Literal["table", "trade"] | None = None,
                    on_error: Literal["abort", "skip-rows"] = "abort", hs_revision: str | None = None,
                    source_name: str | None = None, progress: Callable | None = None,
                    new_dataset: DatasetCreate | None = None, schema: dict | None = None,
                    options: ReadOptions | None = None) -> PublishResult:
    """Ingest `source` as the next immutable version of `dataset`, in the caller's transaction.

    Stages the file first (read, validate, normalise: scobank.ingest; nothing written to the store,
    so no lock is held during a long file), moves the Parquet into the lake under its content hash,
    then adds the version row and a ledger entry. When `dataset` does not exist and `new_dataset`
    describes it, it is created in the same transaction (so a rejected file leaves no empty dataset).
    `options` (scobank.ingest.options.ReadOptions) overrides what reading would detect (encoding,
    delimiter, decimal mark, sheet, header rows, missing-value markers). `schema` (Table Schema, tables only) declares the columns' types, names, key and dropped columns.
    Identical content returns the existing version (created=False) and adds nothing. A crash after
    the lake move and before the commit leaves at most an orphan file that no version refers to.

    Raises NotFound (no such dataset, or not visible), AccessDenied (actor may not write),
    IngestRejected with the full report (nothing written), TooLarge / UnsupportedFormat / BadFile
    from the reader, Conflict when another publish took the same number at the same time.
    """
    from scobank.ingest.pipeline import stage_file

    ds = session.scalar(select(Dataset).where(Dataset.slug == dataset))
    if ds is None and new_dataset is None:
        ds = find_dataset(session, dataset)  # raises NotFound
    if ds is not None:
        authorize(session, reader=actor, dataset=ref_of(session, ds), action=Action.WRITE)
    ds_kind = ds.kind if ds is not None else new_dataset.kind
    if (kind or ds_kind) != ds_kind:
        raise BadRequest(f"dataset {dataset!r} holds {ds_kind} data; this upload says {kind}")
    classification = ds.classification if ds is not None else new_dataset.classification
    staged = stage_file(session, source=Path(source), kind=ds_kind, on_error=on_error,
                        schema=schema if ds_kind == "table" else None,
                        hs_revision=hs_revision or (classification if ds_kind == "trade" else None),
                        source_name=source_name, progress=progress, options=options)
    obj = store.put(Path(staged.parquet_path))
    if ds is None:
        ds = create_dataset(session, data=new_dataset, actor=actor)
    ref = ref_of(session, ds)
    grant = authorize(session, reader=actor, dataset=ref, action=Action.WRITE)
    report = _report_dict(staged.report)
    existing = session.scalar(select(DatasetVersion).where(
        DatasetVersion.dataset_id == ds.id, DatasetVersion.content_hash == obj.content_hash))
    if existing is not None:
        return PublishResult(version=version_public(ds, existing), created=False, report=report)
    version = _add_version(session, ds, staged, obj, report, actor)
    # the publishing party's Ed25519 signature of the content hash
    sign_version(session, version_id=version.id, content_hash=version.content_hash, party=ref.party)
    ledger.record(session, actor=actor, action="publish", dataset_id=ds.id, version_id=version.id,
                  purpose=grant.purpose, rows=version.row_count,
                  detail={"content_hash": version.content_hash, "source": version.source_name})
    return PublishResult(version=version_public(ds, version), created=True, report=report)


def _report_dict(report) -> dict:
    return report.to_dict() if hasattr(report, "to_dict") else dict(report)


def _add_version(session: Session, ds: Dataset, staged, obj: store.LakeObject, report: dict,
                 actor: Reader) -> DatasetVersion:
    number = (session.scalar(select(func.max(DatasetVersion.number))
                             .where(DatasetVersion.dataset_id == ds.id)) or 0) + 1
    version = DatasetVersion(
        dataset_id=ds.id, number=number, content_hash=obj.content_hash, row_count=staged.row_count,
        byte_size=obj.byte_size, table_schema=staged.table_schema, report=report,
        source_name=staged.source_name, source_hash=staged.source_sha256,
        created_by=actor.email or actor.role,
    )
    try:
        with session.begin_nested():
            session.add(version)
            session.flush()
    except IntegrityError:
        raise Conflict(f"dataset {ds.slug!r} got another version at the same moment; publish again") from None
    return version


def find_version(session: Session, dataset: Dataset, *, number: int | None = None,
                 as_of: datetime | None = None) -> DatasetVersion:
    """The version `number`, or the newest published at or before `as_of` (UTC), or the newest."""
    query = select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
    if number is not None:
        version = session.scalar(query.where(DatasetVersion.number == number))
        if version is None:
            raise NotFound(f"dataset {dataset.slug!r} has no version {number}")
        return version
    if as_of is not None:
        if as_of.tzinfo is not None:
            as_of = _naive_utc(as_of)
        query = query.where(DatasetVersion.created_at <= as_of)
    version = session.scalar(query.order_by(DatasetVersion.number.desc()).limit(1))
    if version is None:
        when = f" at {as_of.isoformat()}" if as_of else ""
        raise NotFound(f"dataset {dataset.slug!r} had no version{when}")
    return version


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
