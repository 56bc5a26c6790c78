"""Repairs made while reading, each reported: words mixing Latin and Cyrillic look-alike letters
('Аktobе') are written in their majority script, so that joins on names do not fail silently."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from scobank.ingest.inference import ColumnProfile
from scobank.ingest.scripts import fix_mixed_script, mixed_script


def repair_mixed_script(conn: duckdb.DuckDBPyConnection, fields: list[dict],
                        profiles: list[ColumnProfile]) -> list[str]:
    """Rewrite mixed-script values of the text columns of `work`; one line per column repaired."""
    notes = []
    for i, (field, profile) in enumerate(zip(fields, profiles, strict=True)):
        if not profile.mixed_script or field.get("type", "string") != "string" or field.get("codes"):
            continue
        values = [v for (v,) in conn.execute(f"SELECT DISTINCT v{i} FROM work WHERE v{i} IS NOT NULL").fetchall()  # noqa: S608
                  if mixed_script(v)]
        fixed = {v: fix_mixed_script(v) for v in values}
        fixed = {v: f for v, f in fixed.items() if f != v}
        if not fixed:
            continue
        conn.register("script_map", pa.table({"value": list(fixed), "fixed": list(fixed.values())}))
        count = conn.execute(f"SELECT count(*) FROM work WHERE v{i} IN (SELECT value FROM script_map)").fetchall()[0][0]  # noqa: S608
        conn.execute(f"UPDATE work SET v{i} = script_map.fixed FROM script_map WHERE work.v{i} = script_map.value")  # noqa: S608
        conn.unregister("script_map")
        first = next(iter(fixed.items()))
        notes.append(f"column {field['name']!r}: {count:,} value{'s' if count != 1 else ''} mixing Latin and "
                     f"Cyrillic letters read in one script (e.g. {first[0]!r} as {first[1]!r})")
    return notes
