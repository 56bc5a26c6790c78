"""Staging a generic table: a Table Schema (given, or inferred from the whole column), typed columns,
and the checks the schema declares.

Schema fields: {"name", "type": integer|number|string|date|boolean, "unit"?, "description"?,
"constraints"?: {"required", "minimum", "maximum"}, "codes"?: "country"|"hs", "column"?, "drop"?};
"primaryKey": [...] (names as stored). "column" is the file's column the field reads when the field
renames it (default: its name); "drop": true leaves the column out of the stored table (not checked).
A field with "codes": "country" accepts ISO3, ISO2, ISO numeric or a country name and stores ISO3; one
with "codes": "hs" must exist in the revision given as `hs_revision` (leading zeros restored).
Inside SQL, columns are v0, v1, ... (typed) and t0, t1, ... (raw text); user names appear only as aliases.
"""

from __future__ import annotations

import re

import duckdb
from sqlalchemy.orm import Session

from scobank.errors import BadRequest
from scobank.ingest.checks import RowCheck, check_duplicates, drop_bad_rows, run_checks
from scobank.ingest.codes import register_country_map, register_hs, revision_label
from scobank.ingest.duck import ident
from scobank.ingest.outcome import Staged, finish, reject_missing_columns
from scobank.ingest.problems import ProblemLog
from scobank.ingest.readers import RawTable
from scobank.ingest.trade import YEAR_MIN, year_max

SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "string": "VARCHAR", "date": "DATE", "boolean": "BOOLEAN"}
# Columns named like codes stay text even when every value looks like a number (HS 010121, ISO 004).
CODE_NAME = re.compile(r"(?i)^(k|i|j|hs\d*|hs_?code|product(_?code)?|cmd_?code|commodity(_?code)?|code|"
                       r".*_code|.*code$|iso\w*|country|exporter|importer|reporter\w*|partner\w*)$")


def infer_fields(conn: duckdb.DuckDBPyConnection, columns: list[str]) -> list[dict]:
    """A field per column with the narrowest type every non-empty value fits (one scan)."""
    probes = []
    for column in columns:
        c = f"trim({ident(column)})"
        probes += [f"count({c})", f"count(*) FILTER (WHERE regexp_full_match({c}, '[-+]?[0-9]{{1,18}}'))", f"count(TRY_CAST({c} AS DOUBLE))",
                   f"count(TRY_CAST({c} AS DATE))", f"count(*) FILTER (WHERE lower({c}) IN ('true', 'false'))",
                   f"coalesce(bool_or(regexp_full_match({c}, '[-+]?0[0-9]+')), false)"]
    row = conn.execute("SELECT " + ", ".join(probes) + " FROM raw").fetchall()[0]  # noqa: S608
    fields = []
    for index, column in enumerate(columns):
        filled, ints, nums, dates, bools, padded = row[index * 6: index * 6 + 6]
        kind = "string"
        if filled and not CODE_NAME.match(column) and not padded:
            kind = next((k for k, n in (("integer", ints), ("number", nums), ("date", dates),
                                        ("boolean", bools)) if n == filled), "string")
        fields.append({"name": column, "type": kind})
    return fields


def _declared_fields(schema: dict | None) -> tuple[list[dict], list[str]]:
    if schema is None:
        return [], []
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str)
                                               for f in fields):
        raise BadRequest("the schema needs a list of fields, each with a name")
    for field in fields:
        if field.get("type", "string") not in SQL_TYPES:
            raise BadRequest(f"field {field['name']!r}: type {field.get('type')!r} is not one of "
                             f"{', '.join(SQL_TYPES)}")
        if field.get("codes") not in (None, "country", "hs"):
            raise BadRequest(f"field {field['name']!r}: codes must be 'country' or 'hs'")
        if not isinstance(field.get("column", ""), str) or not isinstance(field.get("drop", False), bool):
            raise BadRequest(f"field {field['name']!r}: column must be a column name and drop true or false")
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    return fields, key


def source_column(field: dict) -> str:
    """The file's column a field reads (a field that renames a column names it in "column")."""
    return field.get("column") or field["name"]


def _stored_names(columns: list[str], by_column: dict[str, dict], key: list[str]) -> list[str]:
    """The names the kept columns will have; BadRequest when two coincide or the key is dropped."""
    dropped = {by_column[c]["name"] for c in columns if c in by_column and by_column[c].get("drop")}
    names = [by_column[c]["name"] if c in by_column else c for c in columns
             if not (c in by_column and by_column[c].get("drop"))]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise BadRequest(f"two columns would be stored as {repeated[0]!r}; give each column its own name")
    if not names:
        raise BadRequest("the schema drops every column; keep at least one")
    for part in key:
        if part in dropped and part not in names:
            raise BadRequest(f"column {part!r} is part of the key, so it cannot be dropped")
    return names


def resolve_fields(conn: duckdb.DuckDBPyConnection, columns: list[str], schema: dict | None,
                   log: ProblemLog) -> tuple[list[dict], list[str]]:
    """Declared fields (every one must read a column of the file) plus inferred ones for undeclared
    columns, in file order, each with its "column"; the primary key. IngestRejected listing the missing
    columns; BadRequest when names collide, every column is dropped or the key is."""
    declared, key = _declared_fields(schema)
    by_column = {source_column(f): f for f in declared}
    missing = [c for c in by_column if c not in columns]
    names = _stored_names(columns, {c: f for c, f in by_column.items() if c in columns}, key)
    missing += [k for k in key if k not in names and k not in missing]
    if missing:
        reject_missing_columns(log, missing, what="the schema")
    undeclared = [c for c in columns if c not in by_column]
    inferred = {f["name"]: f for f in infer_fields(conn, undeclared)} if undeclared else {}
    fields = []
    for c in columns:
        field = dict(by_column.get(c) or inferred[c], column=c)
        fields.append({"name": field["name"], "type": "string", "column": c, "drop": True}
                      if field.get("drop") else field)
    return fields, key


def _value_expr(field: dict, index: int) -> str:
    raw = f"trim(t{index})"
    if field.get("codes") == "country":
        return f"cm{index}.iso3"
    if field.get("codes") == "hs":
        return (f"CASE WHEN regexp_full_match({raw}, '[0-9]+') AND length({raw}) % 2 = 1 "
                f"THEN '0' || {raw} ELSE {raw} END")
    if field.get("type") == "integer":
        d = f"TRY_CAST({raw} AS DOUBLE)"
        return f"CASE WHEN {d} = trunc({d}) THEN TRY_CAST({d} AS BIGINT) END"
    return f"TRY_CAST({raw} AS {SQL_TYPES[field.get('type', 'string')]})"


def build_work(conn: duckdb.DuckDBPyConnection, session: Session, columns: list[str], fields: list[dict]) -> None:
    """`work` with v<i> (typed) and t<i> (raw text) per column, in file order."""
    texts = ", ".join(f"{ident(c)} AS t{i}" for i, c in enumerate(columns))
    joins = []
    for index, field in enumerate(fields):
        if field.get("codes") == "country":
            values = conn.execute(f"SELECT DISTINCT {ident(columns[index])} FROM raw "  # noqa: S608
                              f"WHERE {ident(columns[index])} IS NOT NULL").fetchall()
            register_country_map(conn, session, [v[0] for v in values], table=f"country_map{index}")
            joins.append(f"LEFT JOIN country_map{index} cm{index} ON cm{index}.value = r.t{index}")
    values = ", ".join(f"{_value_expr(f, i)} AS v{i}, r.t{i}" for i, f in enumerate(fields))
    if not joins:  # a plain projection keeps the file's order; joins do not, so they sort by row
        conn.execute(f"CREATE OR REPLACE TEMP TABLE work AS SELECT {values} FROM (SELECT {texts} FROM raw) r")  # noqa: S608
        return
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE work AS SELECT {values} "  # noqa: S608
        f"FROM (SELECT row_number() OVER () AS _r, {texts} FROM raw) r {' '.join(joins)} ORDER BY r._r"
    )


def _number(value: object, what: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise BadRequest(f"{what} must be a number, not {value!r}") from exc


def field_checks(fields: list[dict], key: list[str], revision: str | None) -> list[RowCheck]:
    """The checks a field's type, codes and constraints ask for."""
    checks = []
    for i, field in enumerate(fields):
        if field.get("drop"):
            continue
        name, codes, constraints = source_column(field), field.get("codes"), field.get("constraints") or {}
        if constraints.get("required") or field["name"] in key:
            checks.append(RowCheck("missing-value", name, f"t{i} IS NULL", "''", "a value is required"))
        if codes == "country":
            checks.append(RowCheck("bad-country-code", name, f"v{i} IS NULL AND t{i} IS NOT NULL", f"t{i}",
                                   "{value!r} is not a known country (ISO3, ISO2, ISO numeric or a name)"))
        elif codes == "hs":
            checks.append(RowCheck("bad-hs-code", name, f"t{i} IS NOT NULL AND v{i} NOT IN (SELECT code FROM hs_codes)",  # noqa: S608
                                   f"v{i}", f"HS code {{value!r}} does not exist in {revision}"))
        elif field.get("type", "string") != "string":
            checks.append(RowCheck("bad-type", name, f"v{i} IS NULL AND t{i} IS NOT NULL", f"t{i}",
                                   f"{{value!r}} is not a{'n' if field['type'] == 'integer' else ''} {field['type']}"))
        if field["name"].lower() == "year" and field.get("type") == "integer":
            checks.append(RowCheck("bad-year", name, f"v{i} NOT BETWEEN {YEAR_MIN} AND {year_max()}", f"t{i}",
                                   f"year {{value}} is outside {YEAR_MIN}-{year_max()}"))
        for bound, op, code in (("minimum", "<", "below-minimum"), ("maximum", ">", "above-maximum")):
            if bound in constraints and field.get("type") in ("integer", "number"):
                limit = _number(constraints[bound], f"{name}: {bound}")
                slug = "negative-value" if bound == "minimum" and limit == 0 else code
                checks.append(RowCheck(slug, name, f"v{i} {op} {limit!r}", f"t{i}",
                                       f"{{value}} is {'below the minimum' if op == '<' else 'above the maximum'} "
                                       f"{limit:g}"))
    return checks


def table_schema(fields: list[dict], key: list[str], revision: str | None) -> dict:
    out = []
    for field in (f for f in fields if not f.get("drop")):
        item = {"name": field["name"], "type": field.get("type", "string")}
        for extra in ("unit", "description", "constraints", "codes"):
            if field.get(extra) is not None:
                item[extra] = field[extra]
        if field.get("codes") == "hs" and revision:
            item["hsRevision"] = revision
        out.append(item)
    return {"fields": out, "primaryKey": list(key)}


def stage_table(conn: duckdb.DuckDBPyConnection, session: Session, *, raw: RawTable, name: str,
                log: ProblemLog, on_error: str, schema: dict | None, hs_revision: str | None) -> Staged:
    """Type and check a generic table (see the module docstring)."""
    fields, key = resolve_fields(conn, raw.columns, schema, log)
    revision = revision_label(hs_revision) if hs_revision else None
    if any(f.get("codes") == "hs" for f in fields):
        if revision is None:
            raise BadRequest("the schema declares HS codes: state their revision (e.g. HS17)")
        register_hs(conn, session, revision=revision)
    build_work(conn, session, raw.columns, fields)
    rows_read = conn.execute("SELECT count(*) FROM work").fetchall()[0][0]
    failing = run_checks(conn, field_checks(fields, key, revision), log)
    index = {f["name"]: i for i, f in enumerate(fields) if not f.get("drop")}
    duplicates = bool(key) and check_duplicates(conn, key=[f"v{index[k]}" for k in key], shown=key, log=log)
    dropped = drop_bad_rows(conn, failing, duplicates=duplicates) if log.total and on_error != "abort" else 0
    report = finish(log, rows_read=rows_read, rows_accepted=rows_read - dropped, columns=raw.columns,
                    on_error=on_error)
    relation = conn.table("work").project(
        *[duckdb.ColumnExpression(f"v{i}").alias(f["name"]) for i, f in enumerate(fields) if not f.get("drop")]
    )
    return Staged(relation, table_schema(fields, key, revision), report, rows_read - dropped)
