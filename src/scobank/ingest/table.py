"""Staging a generic table: a Table Schema (given, or inferred from the whole column), typed columns,
and the checks the schema declares.

Schema fields: {"name", "type": integer|number|string|date|boolean, "unit"?, "period"?, "description"?,
"decimalChar"?, "groupChar"? (numbers: "," and " " for `1 234,5`; detected when not given),
"format"? (a date's strptime pattern, e.g. "%d.%m.%Y"), "title"?,
"constraints"?: {"required", "minimum", "maximum", "enum"}, "codes"?: "country"|"hs", "column"?, "drop"?};
"primaryKey": [...] (names as stored). "column" is the file's column the field reads when the field
renames it (default: its name); "drop": true leaves the column out of the stored table (not checked).
A field with "codes": "country" accepts ISO3, ISO2, ISO numeric or a country name and stores ISO3; one
with "codes": "hs" must exist in the revision given as `hs_revision` (leading zeros restored).
The schema's "missingValues" and --na add to the standard missing-value markers (`scobank.ingest.markers`);
a column holding markers gets a `<name>_status` column beside it with the marker of each missing cell.
Inside SQL, columns are v0, v1, ... (typed), t0, t1, ... (raw text, markers removed) and s0, s1, ...
(the marker); user names appear only as aliases. Patterns and markers are bound parameters.
"""

from __future__ import annotations


import duckdb
from sqlalchemy.orm import Session

from scobank.errors import BadRequest
from scobank.ingest.checks import RowCheck, check_duplicates, drop_bad_rows, run_checks
from scobank.ingest.codes import register_country_map, register_hs, revision_label
from scobank.ingest.duck import ident, used
from scobank.ingest.outcome import Staged, finish, reject_missing_columns
from scobank.ingest.problems import ProblemLog
from scobank.ingest.readers import RawTable
from scobank.ingest.inference import CODE_NAME, ColumnProfile, marker_params, profile_columns
from scobank.ingest.markers import markers_for
from scobank.ingest.options import ReadOptions
from scobank.ingest.repair import repair_mixed_script
from scobank.ingest.status import column_report, marker_values, status_field, status_name
from scobank.ingest.numbers import PLAIN, SPACES, NumberFormat, format_for
from scobank.ingest.trade import YEAR_MIN, year_max
from scobank.problem_kinds import Kind

YEAR_NAMES = {"year", "год", "годы", "жыл", "жылы", "yil", "sal", "年", "年份", "年度", "time_period"}


def is_year_name(name: str) -> bool:
    return name.strip().casefold() in YEAR_NAMES

SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "string": "VARCHAR", "date": "DATE", "boolean": "BOOLEAN"}
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


def _generated_status(field: dict, declared: list[dict], columns: list[str]) -> bool:
    """A `<name>_status` field that reading made (a schema kept from an earlier version lists it): it
    is made again from this file's markers, not read from a column."""
    if source_column(field) in columns:
        return False
    return any(status_name(f["name"]) == field["name"] for f in declared if f is not field)


def resolve_fields(columns: list[str], schema: dict | None, log: ProblemLog,
                   profiles: dict[str, ColumnProfile]) -> tuple[list[dict], list[str]]:
    """Declared fields (every one must read a column of the file) plus inferred ones for undeclared
    columns, in file order, each with its "column"; the primary key. IngestRejected listing the missing
    columns; BadRequest when names collide, every column is dropped or the key is."""
    declared, key = _declared_fields(schema)
    declared = [f for f in declared if not _generated_status(f, declared, columns)]
    by_column = {source_column(f): f for f in declared}
    missing = [c for c in by_column if c not in columns]
    names = _stored_names(columns, {c: f for c, f in by_column.items() if c in columns}, key)
    missing += [k for k in key if k not in names and k not in missing]
    if missing:
        reject_missing_columns(log, missing, what="the schema")
    undeclared = [c for c in columns if c not in by_column]
    inferred = {c: inferred_field(profiles[c]) for c in undeclared}
    fields = []
    for c in columns:
        field = dict(by_column.get(c) or inferred[c], column=c)
        fields.append({"name": field["name"], "type": "string", "column": c, "drop": True}
                      if field.get("drop") else field)
    return fields, key


def inferred_field(profile: ColumnProfile) -> dict:
    """The schema field of an undeclared column, from its profile."""
    field: dict = {"name": profile.name, "type": profile.type}
    if profile.year_suffix:
        field["bareNumber"] = False
    fmt = profile.number_format
    if fmt is not None and fmt is not PLAIN:
        if profile.type == "number":
            field["decimalChar"] = fmt.decimal
        if fmt.thousands:
            field["groupChar"] = fmt.thousands
    return field


def number_format(field: dict, profile: ColumnProfile | None) -> NumberFormat:
    """The format a number field is read in: as declared (decimalChar, groupChar), else as detected."""
    if "decimalChar" in field or "groupChar" in field:
        group = field.get("groupChar", "")
        found = format_for(field.get("decimalChar", "."), " " if group and group in SPACES else group)
        if not found:
            raise BadRequest(f"field {field['name']!r}: decimalChar {field.get('decimalChar')!r} with groupChar "
                             f"{group!r} is not a number format the bank reads")
        return found[0]
    if profile is not None and profile.number_format is not None:
        return profile.number_format
    return PLAIN


def _value_expr(field: dict, index: int, params: dict, fmt: NumberFormat) -> str:
    raw = f"trim(t{index})"
    if field.get("codes") == "country":
        return f"cm{index}.iso3"
    if field.get("codes") == "hs":
        return (f"CASE WHEN regexp_full_match({raw}, '[0-9]+') AND length({raw}) % 2 = 1 "
                f"THEN '0' || {raw} ELSE {raw} END")
    if field.get("type") == "date" and field.get("format"):
        return f"TRY_CAST(TRY_STRPTIME({raw}, {date_format_literal(field['format'])}) AS DATE)"
    if field.get("type") == "integer" and field.get("bareNumber") is False:  # "2023年" -> 2023
        return f"TRY_CAST(nullif(regexp_extract({raw}, '^[-+]?[0-9]+'), '') AS BIGINT)"
    if field.get("type") in ("integer", "number"):
        params[f"np{index}"], params[f"nf{index}"] = fmt.pattern, fmt.translate_from()
        params[f"nt{index}"] = "." if fmt.decimal == "," else ""
        d = (f"CASE WHEN regexp_full_match({raw}, $np{index}) "
             f"THEN TRY_CAST(translate({raw}, $nf{index}, $nt{index}) AS DOUBLE) END")
        if field["type"] == "number":
            return d
        return f"CASE WHEN {d} = trunc({d}) THEN TRY_CAST({d} AS BIGINT) END"
    return f"TRY_CAST({raw} AS {SQL_TYPES[field.get('type', 'string')]})"


def date_format_literal(fmt: str) -> str:
    """A declared date pattern as a SQL literal (DuckDB wants a constant): only strptime directives and
    separators pass (`scobank.ingest.declared_schema.DATE_FORMAT`)."""
    from scobank.ingest.declared_schema import DATE_FORMAT

    if not DATE_FORMAT.match(fmt):
        raise BadRequest(f"date format {fmt!r} is not understood")
    return f"'{fmt}'"


def register_enums(conn: duckdb.DuckDBPyConnection, fields: list[dict]) -> None:
    """Each field's allowed values (constraints.enum) as table enum<i>, bound, for its check."""
    for i, field in enumerate(fields):
        enum = (field.get("constraints") or {}).get("enum")
        if enum and not field.get("drop"):
            conn.execute(f"CREATE OR REPLACE TEMP TABLE enum{i} AS SELECT unnest($v::VARCHAR[]) AS v",  # noqa: S608
                         {"v": [str(v) for v in enum]})


def status_columns(columns: list[str], fields: list[dict], profiles: dict[str, ColumnProfile]) -> dict[int, str]:
    """Column index -> which markers it reads as missing ("all", or "given" for text and code columns),
    for the columns holding any."""
    out = {}
    for i, (c, f) in enumerate(zip(columns, fields, strict=True)):
        kind = f.get("type", "string")
        code = bool(f.get("codes")) or CODE_NAME.match(c) is not None
        if profiles[c].marker_cells(kind, code=code):
            out[i] = "given" if kind == "string" or code else "all"
    return out


def build_work(conn: duckdb.DuckDBPyConnection, session: Session, columns: list[str], fields: list[dict], *,
               profiles: dict[str, ColumnProfile], markers: dict[str, str], given: tuple[str, ...] = ()) -> None:
    """`work` with v<i> (typed), t<i> (raw text, markers removed) and s<i> (the marker, for columns
    that hold any) per column, in file order."""
    params: dict = marker_params(markers, given)
    status = status_columns(columns, fields, profiles)
    texts = []
    for i, c in enumerate(columns):
        if i in status:
            x = f"trim({ident(c)})"
            found = (f"list_contains($markers, {x})" if status[i] == "all"
                     else f"list_contains(CAST($given AS VARCHAR[]), {x})")
            texts.append(f"CASE WHEN {found} THEN NULL ELSE {ident(c)} END AS t{i}, "
                         f"CASE WHEN {found} THEN {x} END AS s{i}")
        else:
            texts.append(f"{ident(c)} AS t{i}")
    joins = []
    for index, field in enumerate(fields):
        if field.get("codes") == "country":
            values = conn.execute(f"SELECT DISTINCT {ident(columns[index])} FROM raw "  # noqa: S608
                              f"WHERE {ident(columns[index])} IS NOT NULL").fetchall()
            register_country_map(conn, session, [v[0] for v in values], table=f"country_map{index}")
            joins.append(f"LEFT JOIN country_map{index} cm{index} ON cm{index}.value = r.t{index}")
    values = ", ".join(
        f"{_value_expr(f, i, params, number_format(f, profiles.get(columns[i])))} AS v{i}, r.t{i}"
        + (f", r.s{i}" if i in status else "")
        for i, f in enumerate(fields))
    if not joins:  # a plain projection keeps the file's order; joins do not, so they sort by row
        sql = f"CREATE OR REPLACE TEMP TABLE work AS SELECT {values} FROM (SELECT {', '.join(texts)} FROM raw) r"  # noqa: S608
    else:
        sql = (f"CREATE OR REPLACE TEMP TABLE work AS SELECT {values} "  # noqa: S608
               f"FROM (SELECT row_number() OVER () AS _r, {', '.join(texts)} FROM raw) r {' '.join(joins)} ORDER BY r._r")
    conn.execute(sql, used(sql, params))
    register_enums(conn, fields)


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
            checks.append(RowCheck(Kind.MISSING_VALUE, name, f"t{i} IS NULL", "''", "a value is required"))
        if codes == "country":
            checks.append(RowCheck(Kind.BAD_COUNTRY_CODE, name, f"v{i} IS NULL AND t{i} IS NOT NULL", f"t{i}",
                                   "{value!r} is not a known country (ISO3, ISO2, ISO numeric or a name)"))
        elif codes == "hs":
            checks.append(RowCheck(Kind.BAD_HS_CODE, name, f"t{i} IS NOT NULL AND v{i} NOT IN (SELECT code FROM hs_codes)",  # noqa: S608
                                   f"v{i}", f"HS code {{value!r}} does not exist in {revision}"))
        elif field.get("type", "string") != "string":
            fmt = f" in the format {field['format']}" if field.get("format") else ""
            checks.append(RowCheck(Kind.BAD_TYPE, name, f"v{i} IS NULL AND t{i} IS NOT NULL", f"t{i}",
                                   f"{{value!r}} is not a{'n' if field['type'] == 'integer' else ''} "
                                   f"{field['type']}{fmt.replace('{', '{{').replace('}', '}}')}"))
        if constraints.get("enum"):
            allowed = ", ".join(str(v) for v in constraints["enum"][:12]).replace("{", "{{").replace("}", "}}")
            outside = f"t{i} IS NOT NULL AND trim(t{i}) NOT IN (SELECT v FROM enum{i})"  # noqa: S608
            checks.append(RowCheck(Kind.BAD_VALUE, name, outside, f"t{i}",
                                   f"{{value!r}} is not one of the allowed values ({allowed})"))
        if is_year_name(field["name"]) and field.get("type") == "integer":
            checks.append(RowCheck(Kind.BAD_YEAR, name, f"v{i} NOT BETWEEN {YEAR_MIN} AND {year_max()}", f"t{i}",
                                   f"year {{value}} is outside {YEAR_MIN}-{year_max()}"))
        for bound, op, code in (("minimum", "<", Kind.BELOW_MINIMUM), ("maximum", ">", Kind.ABOVE_MAXIMUM)):
            if bound in constraints and field.get("type") in ("integer", "number"):
                limit = _number(constraints[bound], f"{name}: {bound}")
                slug = Kind.NEGATIVE_VALUE if bound == "minimum" and limit == 0 else code
                checks.append(RowCheck(slug, name, f"v{i} {op} {limit!r}", f"t{i}",
                                       f"{{value}} is {'below the minimum' if op == '<' else 'above the maximum'} "
                                       f"{limit:g}"))
    return checks


def table_schema(fields: list[dict], key: list[str], revision: str | None, *,
                 statuses: dict[int, list[str]] | None = None, markers: dict[str, str] | None = None) -> dict:
    """Frictionless Table Schema of the stored table; a status field follows each column with markers."""
    out = []
    for index, field in enumerate(fields):
        if field.get("drop"):
            continue
        item = {"name": field["name"], "type": field.get("type", "string")}
        for extra in ("title", "unit", "period", "description", "constraints", "codes", "decimalChar", "groupChar",
                      "bareNumber"):
            if field.get(extra) is not None:
                item[extra] = field[extra]
        if field.get("codes") == "hs" and revision:
            item["hsRevision"] = revision
        out.append(item)
        if statuses and index in statuses:
            out.append(status_field(field["name"], statuses[index], markers or {}))
    schema: dict = {"fields": out, "primaryKey": list(key)}
    if statuses:
        schema["missingValues"] = sorted({m for found in statuses.values() for m in found} | {""})
    return schema


def stage_table(conn: duckdb.DuckDBPyConnection, session: Session, *, raw: RawTable, name: str,
                log: ProblemLog, on_error: str, schema: dict | None, hs_revision: str | None,
                options: ReadOptions | None = None) -> Staged:
    """Type and check a generic table (see the module docstring)."""
    options = options or ReadOptions()
    given = tuple(options.na) + tuple(_missing_values(schema))
    markers = markers_for(given)
    detection = raw.detection
    semicolon = bool(detection and detection.delimiter and detection.delimiter.value == ";")
    profiles = {p.name: p for p in profile_columns(conn, raw.columns, markers=markers, given=given, semicolon=semicolon,
                                                    decimal=options.decimal, thousands=options.thousands)}
    fields, key = resolve_fields(raw.columns, schema, log, profiles)
    revision = revision_label(hs_revision) if hs_revision else None
    if any(f.get("codes") == "hs" for f in fields):
        if revision is None:
            raise BadRequest("the schema declares HS codes: state their revision (e.g. HS17)")
        register_hs(conn, session, revision=revision)
    build_work(conn, session, raw.columns, fields, profiles=profiles, markers=markers, given=given)
    if detection is not None:
        detection.repaired += repair_mixed_script(conn, fields, [profiles[c] for c in raw.columns])
    rows_read = conn.execute("SELECT count(*) FROM work").fetchall()[0][0]
    failing = run_checks(conn, field_checks(fields, key, revision), log)
    index = {f["name"]: i for i, f in enumerate(fields) if not f.get("drop")}
    duplicates = bool(key) and check_duplicates(conn, key=[f"v{index[k]}" for k in key], shown=key, log=log)
    dropped = drop_bad_rows(conn, failing, duplicates=duplicates) if log.total and on_error != "abort" else 0
    columns = column_report(fields, [profiles[c] for c in raw.columns], log)
    if detection is not None:
        detection.columns = columns
    report = finish(log, rows_read=rows_read, rows_accepted=rows_read - dropped, columns=raw.columns,
                    on_error=on_error, detection=detection)
    statuses = marker_values(conn, [i for i in status_columns(raw.columns, fields, profiles)
                                    if not fields[i].get("drop")])
    relation = conn.table("work").project(*_outputs(fields, statuses))
    return Staged(relation, table_schema(fields, key, revision, statuses=statuses, markers=markers), report,
                  rows_read - dropped)


def _missing_values(schema: dict | None) -> list[str]:
    values = (schema or {}).get("missingValues") or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise BadRequest("the schema's missingValues must be a list of strings")
    return values


def _outputs(fields: list[dict], statuses: dict[int, list[str]]) -> list:
    out = []
    for i, field in enumerate(fields):
        if field.get("drop"):
            continue
        out.append(duckdb.ColumnExpression(f"v{i}").alias(field["name"]))
        if i in statuses:
            out.append(duckdb.ColumnExpression(f"s{i}").alias(status_name(field["name"])))
    return out
