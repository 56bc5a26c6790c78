"""The difference between two versions of a dataset, by primary key, computed by the engine.

Rows added (key only in the newer), removed (key only in the older), changed (key in both, some
other column different; nulls compare equal to nulls), with per-column change counts and a few
sample rows of each kind. Columns present in only one version are not compared.
"""

from __future__ import annotations

import ibis
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import authorize
from scobank.access.reader import Action, Reader
from scobank.catalog.datasets import find_dataset
from scobank.catalog.query import primary_key_of
from scobank.catalog.refs import ref_of
from scobank.catalog.schemas import ChangedRow, DiffResult
from scobank.catalog.versions import find_version
from scobank.errors import AccessDenied, BadRequest
from scobank.lake.engine import get_engine
from scobank.lake.query import rows_for_json


def diff_versions(session: Session, *, slug: str, reader: Reader, from_version: int, to_version: int,
                  sample: int = 10, purpose: str | None = None) -> DiffResult:
    """Compare version `from_version` with `to_version` of `slug` (QUERY: a diff shows rows).

    Raises BadRequest when the versions have no common primary key, AccessDenied on an
    aggregates-only dataset, NotFound for a missing version."""
    dataset = find_dataset(session, slug)
    grant = authorize(session, reader=reader, dataset=ref_of(session, dataset), action=Action.QUERY, purpose=purpose)
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r} is available as aggregates only; a diff would show rows")
    old, new = (find_version(session, dataset, number=n) for n in (from_version, to_version))
    key = _common_key(slug, old, new)
    engine = get_engine()
    a, b = engine.table(old.content_hash), engine.table(new.content_hash)
    compared = [c for c in b.columns if c in a.columns and c not in key]
    added, removed = b.anti_join(a, key), a.anti_join(b, key)
    changed = _changed_rows(a, b, key, compared)
    counts = engine.to_arrow(changed.aggregate(
        n=ibis._.count(), **{f"d_{c}": changed[f"d_{c}"].cast("int64").sum() for c in compared})).to_pylist()[0]
    count = lambda t: int(engine.to_arrow(t.count().as_table()).column(0)[0].as_py())  # noqa: E731
    result = DiffResult(
        dataset=slug, from_version=from_version, to_version=to_version, primary_key=key,
        added=count(added), removed=count(removed), changed=int(counts["n"]),
        changed_columns={c: int(counts[f"d_{c}"] or 0) for c in compared if counts[f"d_{c}"]},
        added_sample=rows_for_json(engine.to_arrow(added.order_by(key).limit(sample))),
        removed_sample=rows_for_json(engine.to_arrow(removed.order_by(key).limit(sample))),
        changed_sample=_changed_sample(engine, changed, key, compared, sample),
    )
    ledger.record(session, actor=reader, action="diff", dataset_id=dataset.id, version_id=new.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id,
                  rows=result.added + result.removed + result.changed, detail={"from": from_version})
    return result


def _common_key(slug: str, old, new) -> list[str]:
    """The primary key both versions declare; BadRequest saying plainly when there is none."""
    key, old_key = primary_key_of(new.table_schema), primary_key_of(old.table_schema)
    if not key and not old_key:
        raise BadRequest(f"dataset {slug!r} has no primary key, so the rows of two versions cannot be paired; "
                         "declare one in a Table Schema (primaryKey) and publish with it: scobank ingest FILE "
                         "--schema schema.json, or the API's schema part")
    if key != old_key:
        raise BadRequest(f"versions {old.number} and {new.number} of {slug!r} have different primary keys "
                         f"({', '.join(old_key) or 'none'} / {', '.join(key) or 'none'}); a diff pairs rows by "
                         "one key")
    return key


def _changed_rows(a: ibis.Table, b: ibis.Table, key: list[str], compared: list[str]) -> ibis.Table:
    old = a.select(*key, **{f"old_{c}": a[c] for c in compared})
    new = b.select(*[b[k].name(f"new_key_{k}") for k in key], **{f"new_{c}": b[c] for c in compared})
    both = old.inner_join(new, [old[k] == new[f"new_key_{k}"] for k in key])
    flags = {f"d_{c}": ~both[f"old_{c}"].identical_to(both[f"new_{c}"]) for c in compared}
    both = both.mutate(**flags)
    if not flags:
        return both.filter(ibis.literal(False))
    return both.filter(ibis.or_(*[both[f] for f in flags]))


def _changed_sample(engine, changed: ibis.Table, key: list[str], compared: list[str],
                    sample: int) -> list[ChangedRow]:
    rows = engine.to_arrow(changed.order_by(key).limit(sample)).to_pylist()
    return [ChangedRow(key={k: row[k] for k in key},
                       changes={c: [row[f"old_{c}"], row[f"new_{c}"]] for c in compared if row[f"d_{c}"]})
            for row in rows]
