"""Queries over a dataset version, through the gate, onto the engine, into the ledger."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Action, Reader
from scobank.catalog.schemas import ColumnPublic, QueryResult
from scobank.catalog.versions import resolve_version
from scobank.lake.engine import get_engine
from scobank.lake.disclosure import Disclosure
from scobank.errors import AccessDenied
from scobank.lake.query import QuerySpec, cursor_version, decode_cursor, rows_for_json, run_query


def primary_key_of(table_schema: dict) -> list[str]:
    """The Table Schema's primaryKey as a list (Frictionless allows a string or a list)."""
    key = (table_schema or {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def record_key_salt(content_hash: str) -> str:
    """The secret that keys the records' noise factors (scobank.lake.disclosure, rule 3) of one version:
    derived from the installation's secret key, so no reader can compute a record's factor."""
    from scobank.access.secret_key import secret_key

    return hmac.new(secret_key(), content_hash.encode(), hashlib.sha256).hexdigest()


# Under a grant without bulk export, a query may page through at most this many rows: paging 10,000
# rows at a time through a whole version is an export by other means.
NO_EXPORT_ROWS = 10_000


def _refuse_paging_past_the_limit(spec: QuerySpec, grant, *, version_key: str) -> None:
    if grant.may_export or spec.grouped:
        return
    offset = decode_cursor(spec.cursor, spec.fingerprint(version_key)) if spec.cursor else 0
    if offset + spec.limit > NO_EXPORT_ROWS:
        basis = f"your agreement {grant.agreement_id}" if grant.agreement_id else "the owner"
        raise AccessDenied(f"{basis} allows queries but not bulk export: one query may read at most "
                           f"{NO_EXPORT_ROWS:,} rows; narrow it with filters or group_by")


def query_dataset(session: Session, *, slug: str, reader: Reader, spec: QuerySpec,
                  version: int | None = None, as_of: datetime | None = None,
                  purpose: str | None = None) -> QueryResult:
    """One page of `spec` over a version (default: the newest) of dataset `slug`.

    The gate's Grant decides full rows or aggregates only (k); see scobank.lake.query for how
    aggregates-only answers are suppressed and rounded. Each page is one ledger entry with the
    query's fingerprint and the rows and cells returned. Raises NotFound / AccessDenied (gate),
    BadRequest (a column, value or cursor that does not fit)."""
    if spec.cursor and version is None and as_of is None:
        version = cursor_version(spec.cursor)  # later pages read the version the first page read
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                          number=version, as_of=as_of, purpose=purpose)
    _refuse_paging_past_the_limit(spec, grant, version_key=ver.content_hash)
    engine = get_engine()
    rules = None
    if grant.aggregates_only_k is not None:
        rules = Disclosure(k=grant.aggregates_only_k, salt=record_key_salt(ver.content_hash))
    out = run_query(engine, engine.table(ver.content_hash), spec, version_key=ver.content_hash,
                    primary_key=primary_key_of(ver.table_schema), version_number=ver.number, disclosure=rules)
    table = out.table
    ledger.record(session, actor=reader, action="query", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id, query_fingerprint=out.fingerprint,
                  rows=table.num_rows, cells=table.num_rows * table.num_columns,
                  detail={"query": spec.model_dump(mode="json", exclude={"cursor"})})  # owners see what was asked
    return QueryResult(
        dataset=dataset.slug, version=ver.number,
        columns=[ColumnPublic(name=f.name, type=str(f.type)) for f in table.schema],
        rows=rows_for_json(table), total=out.total, next_cursor=out.next_cursor,
        aggregates_only=grant.aggregates_only_k is not None,
        suppressed_groups=out.suppressed_groups, rounded=out.rounded,
    )
