"""Publishing: the one service the CLI (`scobank ingest`), the API (`POST /datasets/{slug}/versions`) and
the web wizard call to put a file into the bank as a dataset's next version.

    file -> stage (read, validate, normalise; nothing written) -> lake (content hash)
         -> in one savepoint: the dataset (when new) + its policy + the version + signature + ledger

Everything after staging happens in one savepoint of the caller's transaction: a failure anywhere
(a taken slug, a refused policy, an access check, a race for the version number) rolls all of it back
together, so no empty dataset, policy without data, or ledger entry of something that did not happen is
left, and the caller's session stays usable (the wizard shows the problem on its form).

A dataset keeps the Table Schema its steward declared; each next version is staged with it. Another
schema is a stated change (`schema_change=True`), recorded on the version and in the ledger; without
it the upload is refused (Conflict) and nothing is written. Identical content returns the existing
version, unless `as_new` asks for the older content to become the newest version again (a rollback).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scobank.access import ledger, policies
from scobank.access.gate import authorize
from scobank.access.reader import Action, Reader
from scobank.access.signatures import sign_version
from scobank.catalog.datasets import create_dataset, find_dataset
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.refs import organisation_ids, ref_of
from scobank.catalog.schemas import DatasetCreate, PublishResult
from scobank.catalog.versions import version_public
from scobank.db import savepoint
from scobank.errors import BadRequest, Conflict
from scobank.ingest.declared_schema import describe_change
from scobank.ingest.options import ReadOptions
from scobank.lake import store


def publish_version(session: Session, *, dataset: str, source: Path, actor: Reader,
                    kind: Literal["table", "trade"] | None = None,
                    on_error: Literal["abort", "skip-rows"] = "abort", hs_revision: str | None = None,
                    source_name: str | None = None, progress: Callable | None = None,
                    new_dataset: DatasetCreate | None = None, policy: dict | None = None,
                    schema: dict | None = None, schema_change: bool = False, as_new: bool = False,
                    options: ReadOptions | None = None) -> PublishResult:
    """Ingest `source` as the next immutable version of `dataset`, in the caller's transaction.

    `new_dataset` describes the dataset when it does not exist yet (created with `policy`, an access
    policy document, in the same savepoint). `schema` is a declared Table Schema in the ingest form
    (`scobank.ingest.declared_schema.read_table_schema`), tables only; `options` overrides what reading
    would detect. Identical content returns the existing version (created=False), unless `as_new`.

    Raises NotFound (no such dataset, or not visible), AccessDenied (actor may not write), Conflict (a
    schema other than the declared one without `schema_change`; a taken slug; a concurrent publish),
    BadRequest, IngestRejected with the full report (nothing written), TooLarge / UnsupportedFormat /
    BadFile from the reader. On any error nothing of this call stays in the session.
    """
    from scobank.ingest.pipeline import stage_file

    ds = _target(session, dataset, new_dataset, actor, kind)
    ds_kind = ds.kind if ds is not None else new_dataset.kind
    applied, change = _schema_to_apply(ds, schema, schema_change=schema_change, kind=ds_kind)
    classification = ds.classification if ds is not None else new_dataset.classification
    staged = stage_file(session, source=Path(source), kind=ds_kind, on_error=on_error, schema=applied,
                        hs_revision=hs_revision or (classification if ds_kind == "trade" else None),
                        source_name=source_name, progress=progress, options=options or ReadOptions())
    obj = store.put(Path(staged.parquet_path))
    with savepoint(session):
        if ds is None:
            ds = _create(session, new_dataset, policy, actor)
        grant = authorize(session, reader=actor, dataset=ref_of(session, ds), action=Action.WRITE)
        report = staged.report.to_dict()
        existing = _same_content(session, ds, obj.content_hash)
        if existing is not None and not as_new:
            return PublishResult(version=version_public(ds, existing), created=False, report=report,
                                 note=_existing_note(session, ds, existing))
        version = add_version(session, ds, actor=actor, content_hash=obj.content_hash, byte_size=obj.byte_size,
                              row_count=staged.row_count, table_schema=staged.table_schema, report=report,
                              source_name=staged.source_name, source_hash=staged.source_sha256,
                              republished_from=existing.number if existing is not None else None,
                              schema_change=change)
        ledger.record(session, actor=actor, action="publish", dataset_id=ds.id, version_id=version.id,
                      purpose=grant.purpose, rows=version.row_count,
                      detail={"content_hash": version.content_hash, "source": version.source_name,
                              **({"republished_from": existing.number} if existing is not None else {})})
        _keep_schema(session, ds, schema, change, version, actor)
    return PublishResult(version=version_public(ds, version), created=True, report=report)


def _target(session: Session, slug: str, new_dataset: DatasetCreate | None, actor: Reader,
            kind: str | None) -> Dataset | None:
    """The existing dataset (after the gate's WRITE check), or None when `new_dataset` will create it."""
    ds = session.scalar(select(Dataset).where(Dataset.slug == slug))
    if ds is None and new_dataset is None:
        ds = find_dataset(session, slug)  # raises NotFound
    if ds is not None:
        authorize(session, reader=actor, dataset=ref_of(session, ds), action=Action.WRITE)
    ds_kind = ds.kind if ds is not None else new_dataset.kind
    if (kind or ds_kind) != ds_kind:
        raise BadRequest(f"dataset {slug!r} holds {ds_kind} data; this upload says {kind}")
    return ds


def _schema_to_apply(ds: Dataset | None, schema: dict | None, *, schema_change: bool,
                     kind: str) -> tuple[dict | None, str | None]:
    """The schema to stage with, and the stated change (None when the schema stays)."""
    if schema is not None and kind != "table":
        raise BadRequest("a trade dataset has the fixed trade-flow schema; a declared schema is for tables")
    declared = ds.declared_schema if ds is not None else None
    if schema is None or declared is None:
        return (schema if schema is not None else declared), None
    change = describe_change(declared, schema)
    if not change:
        return declared, None
    if not schema_change:
        raise Conflict(f"dataset {ds.slug!r} keeps a declared schema and this upload declares another "
                       f"({change}); a schema change must be stated: --schema-change on the command line, "
                       "schema_change=true in the API")
    return schema, change


def _keep_schema(session: Session, ds: Dataset, schema: dict | None, change: str | None,
                 version: DatasetVersion, actor: Reader) -> None:
    if schema is None or ds.declared_schema == schema:
        return
    first = ds.declared_schema is None
    ds.declared_schema = schema
    session.flush()
    ledger.record(session, actor=actor, action="schema-declared" if first else "schema-change",
                  dataset_id=ds.id, version_id=version.id,
                  detail={"change": change or "schema declared", "primaryKey": schema.get("primaryKey") or []})


def _create(session: Session, data: DatasetCreate, policy: dict | None, actor: Reader) -> Dataset:
    ds = create_dataset(session, data=data, actor=actor)
    if policy is not None:
        _set_policy(session, ds, policy, actor)
    return ds


def _set_policy(session: Session, ds: Dataset, document: dict, actor: Reader) -> None:
    """The new dataset's policy, as the steward's policy command sets it (ADMIN; a policy version and a
    ledger entry); the access kernel validates the document (BadRequest)."""
    ref = ref_of(session, ds)
    authorize(session, reader=actor, dataset=ref, action=Action.ADMIN)
    orgs = organisation_ids(session, [str(o).strip() for o in document.get("orgs") or []])
    row = policies.set_dataset_policy(session, dataset=ref, document=document, actor=actor.email, org_ids=orgs)
    ledger.record(session, actor=actor, action="policy-set", dataset_id=ds.id,
                  detail={"version": row.version, "policy": row.document})


def _same_content(session: Session, ds: Dataset, content_hash: str) -> DatasetVersion | None:
    """The newest version with these bytes."""
    return session.scalar(select(DatasetVersion).where(
        DatasetVersion.dataset_id == ds.id, DatasetVersion.content_hash == content_hash)
        .order_by(DatasetVersion.number.desc()).limit(1))


def _existing_note(session: Session, ds: Dataset, existing: DatasetVersion) -> str | None:
    """Why identical content did not become a version, when the existing one is not what serves."""
    newest = session.scalar(select(func.max(DatasetVersion.number)).where(DatasetVersion.dataset_id == ds.id))
    if existing.withdrawn_at is not None:
        return (f"version {existing.number} with these bytes was withdrawn; publish with --as-new "
                "(as_new=true) to make this content the newest version again")
    if existing.number != newest:
        return (f"version {existing.number} has these bytes, but version {newest} is the newest; publish with "
                "--as-new (as_new=true) to make this content the newest version again")
    return None


def add_version(session: Session, ds: Dataset, *, actor: Reader, content_hash: str, byte_size: int,
                row_count: int, table_schema: dict, report: dict, source_name: str | None,
                source_hash: str | None, republished_from: int | None = None,
                schema_change: str | None = None) -> DatasetVersion:
    """The next numbered version row of `ds`, signed by its party (Conflict when a concurrent publish
    took the number)."""
    number = (session.scalar(select(func.max(DatasetVersion.number))
                             .where(DatasetVersion.dataset_id == ds.id)) or 0) + 1
    version = DatasetVersion(
        dataset_id=ds.id, number=number, content_hash=content_hash, row_count=row_count, byte_size=byte_size,
        table_schema=table_schema, report=report, source_name=source_name, source_hash=source_hash,
        created_by=actor.email or actor.role, republished_from=republished_from, schema_change=schema_change,
    )
    try:
        with session.begin_nested():
            session.add(version)
            session.flush()
    except IntegrityError:
        raise Conflict(f"dataset {ds.slug!r} got another version at the same moment; publish again") from None
    # the publishing party's Ed25519 signature of the content hash
    sign_version(session, version_id=version.id, content_hash=version.content_hash, party=ref_of(session, ds).party)
    return version
