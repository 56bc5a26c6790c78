"""Ordering list-of-struct cells after the engine ran (Spark cannot order `collect`; Arrow can, once)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


def sort_struct_lists(table: pa.Table, column: str, *, by: list[tuple[str, str]]) -> pa.Table:
    """Sort the structs inside every list cell of `column` by struct fields `by` ([(field, "ascending" |
    "descending")]); null cells become empty lists. Vectorised: one sort over all cells' elements."""
    col = table[column].combine_chunks()
    if pa.types.is_large_list(col.type) or not pa.types.is_list(col.type):
        col = col.cast(pa.list_(col.type.value_type))
    col = pc.if_else(pc.is_null(col), pa.scalar([], type=col.type), col)
    values = pc.list_flatten(col)
    parents = pc.list_parent_indices(col)
    keys = pa.table({"__parent": parents, **{name: pc.struct_field(values, name) for name, _ in by}})
    order = pc.sort_indices(keys, [("__parent", "ascending"), *by])
    ordered = pa.ListArray.from_arrays(col.offsets, values.take(order))
    return table.set_column(table.schema.get_field_index(column), column, ordered)
