"""Observation status beside values: the marker an office printed where a value is missing, kept in a
`<column>_status` column (like SDMX OBS_STATUS), described in the schema with what each marker means."""

from __future__ import annotations

import duckdb

from scobank.ingest.inference import ColumnProfile
from scobank.ingest.markers import MISSING
from scobank.ingest.problems import ProblemLog
from scobank.problem_kinds import Kind

STATUS_SUFFIX = "_status"


def status_name(column: str) -> str:
    return column + STATUS_SUFFIX


def status_field(column: str, found: list[str], markers: dict[str, str]) -> dict:
    """The schema field of `column`'s status: the markers found, each with its meaning."""
    return {
        "name": status_name(column),
        "type": "string",
        "description": f"Observation status of {column}: the marker printed where the value is missing",
        "categories": [{"value": m, "label": markers.get(m, MISSING)} for m in found],
    }


def marker_values(conn: duckdb.DuckDBPyConnection, indexes: list[int]) -> dict[int, list[str]]:
    """The distinct markers in each status column s<i> of `work` (names are generated, not the user's)."""
    if not indexes:
        return {}
    parts = " UNION ALL ".join(f"SELECT {i} AS i, s{i} AS m FROM work WHERE s{i} IS NOT NULL" for i in indexes)  # noqa: S608
    rows = conn.execute(f"SELECT DISTINCT i, m FROM ({parts}) ORDER BY i, m").fetchall()  # noqa: S608
    out: dict[int, list[str]] = {i: [] for i in indexes}
    for i, marker in rows:
        out[i].append(marker)
    return {i: found for i, found in out.items() if found}


def column_report(fields: list[dict], profiles: list[ColumnProfile], log: ProblemLog) -> list[dict]:
    """Per stored column: name, type, values read, values that did not fit its type, markers."""
    out = []
    for field, profile in zip(fields, profiles, strict=True):
        if field.get("drop"):
            continue
        item = profile.to_dict()
        item["name"], item["type"] = field["name"], field.get("type", "string")
        item["not_fitting"] = log.count(Kind.BAD_TYPE, profile.name)
        item["missing_markers"] = profile.marker_cells(item["type"], code=bool(field.get("codes")))
        if field.get("type") != "number":
            item.pop("decimal", None)
        if field.get("type") not in ("integer", "number") or not item.get("thousands"):
            item.pop("thousands", None)
        out.append(item)
    return out
