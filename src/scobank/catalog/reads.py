"""Whole columns of a published dataset for another area's use (exchange matching's distances, product
space and export figures; the portal's product-space layout): through the gate (QUERY, rows not
aggregates), and into the ledger on every use, naming the use.

`use_columns` authorises and records; the rows are read only when asked (`ColumnsUse.read()`), so a
caller that keeps what it derived by the version's content hash reads the lake once per version.
`resolve_rows` is the gate's part of it, which SQL over datasets (`catalog.sql`) shares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.grants import Grant
from scobank.access.reader import Action, Reader
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.versions import resolve_version
from scobank.errors import AccessDenied, BadRequest, NotFound
from scobank.lake.engine import get_engine

PURPOSE = "statistics"


@dataclass(frozen=True)
class ColumnsUse:
    slug: str
    number: int
    content_hash: str  # what a derived result is kept by
    read: Callable[[], pa.Table] = field(compare=False, hash=False)  # the columns, read from the lake now


def resolve_rows(session: Session, *, slug: str, reader: Reader, purpose: str | None, absent: str,
                 aggregates_only: Callable[[int], str]) -> tuple[Dataset, DatasetVersion, Grant]:
    """Dataset, newest version and grant of `slug`, which `reader` may read row by row (QUERY) for
    `purpose`. Raises NotFound(`absent`) when the dataset is not in the bank or hidden from the reader,
    AccessDenied(`aggregates_only(k)`) when the grant gives aggregates of at least k rows only."""
    try:
        dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                              purpose=purpose)
    except NotFound:
        raise NotFound(absent) from None
    if grant.aggregates_only_k is not None:
        raise AccessDenied(aggregates_only(grant.aggregates_only_k))
    return dataset, ver, grant


def use_columns(session: Session, *, reader: Reader, slug: str, columns: tuple[str, ...], use: str,
                absent: str) -> ColumnsUse:
    """The newest version of dataset `slug` for `use`, its `columns` to be read. Raises NotFound naming
    `absent` (what publishes it) when the dataset is not in the bank or the reader may not know it,
    AccessDenied when the grant gives aggregates only, BadRequest when a column is missing."""
    purpose = reader.purpose or PURPOSE
    dataset, ver, grant = resolve_rows(
        session, slug=slug, reader=reader, purpose=purpose,
        absent=f"{use} reads the dataset {slug!r}, which is not in this bank: {absent}",
        aggregates_only=lambda _k: f"dataset {slug!r}: your access gives aggregates only; {use} needs its rows")
    names = {f["name"] for f in (ver.table_schema or {}).get("fields", [])}
    missing = [c for c in columns if c not in names]
    if missing:
        raise BadRequest(f"dataset {slug!r} v{ver.number} has no column {', '.join(missing)} ({use} needs them)")
    ledger.record(session, actor=reader, action="query", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose or purpose, agreement_id=grant.agreement_id, rows=ver.row_count,
                  cells=(ver.row_count or 0) * len(columns), detail={"use": use, "columns": list(columns)})
    content_hash = ver.content_hash

    def read() -> pa.Table:
        engine = get_engine()
        return engine.to_arrow(engine.table(content_hash).select(*columns))

    return ColumnsUse(slug=slug, number=ver.number, content_hash=content_hash, read=read)
