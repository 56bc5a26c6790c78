"""Converting a table of values by HS code from one revision to another with concordance weights.

A value of source code s goes to each target code t in the share w(s, t) (the weights of one source code
sum to 1), so totals are kept. Revisions without a direct table are chained (HS12 -> HS17 -> HS22).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.errors import BadRequest, NotFound
from scobank.reference.models import HsConcordance

CHAIN = ("HS12", "HS17", "HS22")  # the revisions linked by the loaded weights, in order


def _path(from_revision: str, to_revision: str) -> list[tuple[str, str]]:
    if from_revision not in CHAIN or to_revision not in CHAIN:
        raise NotFound(f"no concordance from {from_revision} to {to_revision}; "
                       f"weights exist between {', '.join(CHAIN)}")
    i, j = CHAIN.index(from_revision), CHAIN.index(to_revision)
    step = 1 if j > i else -1
    return [(CHAIN[k], CHAIN[k + step]) for k in range(i, j, step)]


def _weights(session: Session, src: str, dst: str) -> pa.Table:
    rows = session.execute(select(HsConcordance.from_code, HsConcordance.to_code, HsConcordance.weight)
                           .where(HsConcordance.from_revision == src)
                           .where(HsConcordance.to_revision == dst)).all()
    if not rows:
        raise NotFound(f"the concordance {src} -> {dst} is not loaded in this bank")
    return pa.table({"__from": pa.array([r[0] for r in rows], pa.string()),
                     "__to": pa.array([r[1] for r in rows], pa.string()),
                     "__weight": pa.array([r[2] for r in rows], pa.float64())})


def concordance_steps(session: Session, from_revision: str, to_revision: str) -> list[tuple[str, pa.Table]]:
    """The steps from one revision to another (chained through CHAIN), each (its source revision, its
    weights: __from, __to, __weight). Raises NotFound when no concordance links the revisions or a step's
    weights are not loaded."""
    src, dst = from_revision.strip().upper(), to_revision.strip().upper()
    return [(a, _weights(session, a, b)) for a, b in _path(src, dst)]


def convert_hs(session: Session, table: pa.Table, *, from_revision: str, to_revision: str,
               code_column: str = "product",
               value_columns: Sequence[str] = ("value_usd", "quantity", "value")) -> pa.Table:
    """Return `table` with `code_column` in `to_revision`: each row split over the target codes by the
    weights, value columns (those of `value_columns` present) multiplied by the weight, then rows equal
    on every other column summed. A column named `hs_revision` is set to the new revision.

    Raises NotFound when no concordance links the revisions, BadRequest naming the codes that have no
    weights (e.g. not 6-digit codes of `from_revision`)."""
    src, dst = from_revision.strip().upper(), to_revision.strip().upper()
    if code_column not in table.column_names:
        raise BadRequest(f"the table has no column {code_column!r} (columns: {', '.join(table.column_names)})")
    if src == dst:
        return table
    values = [c for c in value_columns if c in table.column_names]
    for step_src, weights in concordance_steps(session, src, dst):
        table = _convert_step(table, weights, step_src, code_column, values)
    if "hs_revision" in table.column_names:
        idx = table.column_names.index("hs_revision")
        table = table.set_column(idx, "hs_revision", pa.array([dst] * table.num_rows, pa.string()))
    return table


def _convert_step(table: pa.Table, weights: pa.Table, src: str, code_column: str, values: list[str]) -> pa.Table:
    columns = table.column_names
    codes = pc.cast(table[code_column], pa.string())
    codes = pc.utf8_lpad(codes, 6, "0")
    table = table.set_column(columns.index(code_column), code_column, codes)
    missing = pc.unique(pc.filter(codes, pc.invert(pc.is_in(codes, weights["__from"])))).to_pylist()
    if missing:
        shown = ", ".join(str(c) for c in missing[:10])
        raise BadRequest(f"{len(missing)} product code(s) have no {src} concordance weights: {shown}")
    joined = table.join(weights, keys=code_column, right_keys="__from", join_type="inner")
    for name in values:
        product = pc.multiply(pc.cast(joined[name], pa.float64()), joined["__weight"])
        joined = joined.set_column(joined.column_names.index(name), name, product)
    joined = joined.drop_columns([code_column, "__weight"]).rename_columns(
        [code_column if c == "__to" else c for c in joined.drop_columns([code_column, "__weight"]).column_names])
    keys = [c for c in columns if c not in values]
    if not values:
        return joined.select(columns)
    grouped = joined.group_by(keys, use_threads=False).aggregate([(v, "sum") for v in values])
    grouped = grouped.rename_columns([c[:-4] if c.endswith("_sum") and c[:-4] in values else c
                                      for c in grouped.column_names])
    return grouped.select(columns)
