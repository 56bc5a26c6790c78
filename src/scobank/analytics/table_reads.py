"""Columns of a table dataset (a macro table, a published index) read through the gate for an analysis:
QUERY with the caller's stated purpose ("statistics" by default), rows not aggregates, one ledger entry
naming the analysis. Filters are equality conditions built as Ibis expressions (no SQL text)."""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Action, Reader
from scobank.analytics.inputs import stated_purpose
from scobank.catalog.versions import resolve_version
from scobank.errors import AccessDenied, BadRequest
from scobank.lake.engine import get_engine


def read_columns(session: Session, *, slug: str, reader: Reader, columns: Mapping[str, str], analysis: str,
                 version: int | None = None, where: Mapping[str, object] | None = None,
                 detail: Mapping[str, object] | None = None) -> tuple[pa.Table, int]:
    """(`columns` {name: type} of the dataset's version, optionally only rows whose column equals the
    value in `where`, and the version number). Raises NotFound, AccessDenied (also for a grant to
    aggregates only), BadRequest naming the missing columns."""
    ds, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY, number=version,
                                     purpose=stated_purpose(reader))
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r}: your access gives aggregates only; {analysis} needs the rows "
                           "(ask the steward for row access for statistics)")
    engine = get_engine()
    t = engine.table(ver.content_hash)
    missing = [c for c in (*columns, *(where or {})) if c not in t.columns]
    if missing:
        raise BadRequest(f"dataset {slug!r} has no column {', '.join(missing)} (columns: {', '.join(t.columns)})")
    for column, value in (where or {}).items():
        t = t.filter(t[column] == value)
    table = engine.to_arrow(t.select(**{name: t[name].cast(kind) for name, kind in columns.items()}))
    ledger.record(session, actor=reader, action="analytics", dataset_id=ds.id, version_id=ver.id,
                  purpose=grant.purpose or stated_purpose(reader), agreement_id=grant.agreement_id,
                  rows=table.num_rows, cells=table.num_rows * table.num_columns,
                  detail={"analysis": analysis, **(detail or {})})
    return table, ver.number

