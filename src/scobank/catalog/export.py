"""Bulk export of a whole version, streamed, through the gate and into the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Action, Reader
from scobank.catalog.models import DatasetVersion
from scobank.errors import AccessDenied
from scobank.lake import export as writers
from scobank.lake.engine import open_engine
from scobank.lake.store import path_for


@dataclass
class ExportStream:
    filename: str
    media_type: str
    rows: int
    chunks: Iterator[bytes]  # consume once; the engine it uses closes at the end


def export_dataset(session: Session, *, slug: str, reader: Reader, fmt: str, version: int | None = None,
                   as_of: datetime | None = None, purpose: str | None = None) -> ExportStream:
    """Every row of one version (default: newest) as csv, parquet, json (array) or ndjson.

    Needs Action.EXPORT and a Grant with may_export and full rows; an aggregates-only or
    "no re-export" dataset raises AccessDenied saying so. The ledger entry is written before the
    first byte. Parquet is the lake object itself (its sha256 is the version's content hash)."""
    fmt = writers.check_format(fmt)
    from scobank.catalog.versions import resolve_version

    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.EXPORT,
                                          number=version, as_of=as_of, purpose=purpose)
    if not grant.may_export:
        raise AccessDenied(f"dataset {slug!r} may be queried but not exported (no re-export)")
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r} is available as aggregates only; use the query with group_by")
    columns = len((ver.table_schema or {}).get("fields") or []) or None
    ledger.record(session, actor=reader, action="export", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id, rows=ver.row_count,
                  cells=ver.row_count * columns if columns else None, detail={"format": fmt})
    media_type, ext = writers.FORMATS[fmt]
    chunks = writers.file_chunks(path_for(ver.content_hash)) if fmt == "parquet" else _rows(ver, fmt)
    return ExportStream(f"{dataset.slug}-v{ver.number}.{ext}", media_type, ver.row_count, chunks)


def _rows(version: DatasetVersion, fmt: str) -> Iterator[bytes]:
    with open_engine() as engine:
        yield from writers.stream(fmt, engine.to_batches(engine.table(version.content_hash)))
