"""A declared Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/), as a steward
writes it for `scobank ingest --schema schema.json` or the `schema` part of an API upload, read into the
schema form `scobank.ingest.table` applies.

Read: per field `name`, `type` (integer, number, string, date, boolean; `year` is read as an integer
between 1000 and 2999), `format` (a date's strptime pattern such as "%d.%m.%Y", or "default"/"any"),
`title`, `description`, `unit`, `decimalChar`/`groupChar` (numbers as "1 234,5"), `constraints`
(`required`, `minimum`, `maximum`, `enum`), the bank's own `codes` ("country" | "hs"); and
`primaryKey`, `missingValues` for the table. Anything else the standard has (datetime, geopoint, foreign
keys, ...) is named in a BadRequest rather than silently ignored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from scobank.errors import BadRequest

TYPES = {"integer", "number", "string", "date", "boolean", "year"}
UNSUPPORTED_TYPES = {"datetime", "time", "yearmonth", "duration", "geopoint", "geojson", "object", "array", "any"}
FIELD_KEYS = {"name", "type", "format", "title", "description", "unit", "constraints", "decimalChar",
              "groupChar", "codes", "bareNumber", "example", "rdfType", "column", "drop"}
CONSTRAINTS = {"required", "minimum", "maximum", "enum"}
# A date pattern: strptime directives and separators only (it is compiled into the reading query).
DATE_FORMAT = re.compile(r"^(%[dmyYbBjHMS]|[ .\-/:T年月日])+$")
TABLE_KEYS = {"fields", "primaryKey", "missingValues", "$schema", "name", "title", "description"}


def load_table_schema(source: str | bytes | Path, *, name: str = "schema") -> dict:
    """Parse a schema file's bytes or path; BadRequest naming `name` when it is not JSON."""
    try:
        text = source.read_bytes() if isinstance(source, Path) else source
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise BadRequest(f"{name}: not a readable JSON Table Schema ({exc})") from None
    return read_table_schema(data, name=name)


def read_table_schema(data: Any, *, name: str = "schema") -> dict:
    """The ingest schema of a Frictionless Table Schema descriptor (dict); BadRequest naming the field
    and the property that is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list) or not data["fields"]:
        raise BadRequest(f"{name}: a Table Schema is a JSON object with a non-empty list of fields")
    unknown = sorted(set(data) - TABLE_KEYS - {"foreignKeys"})
    if "foreignKeys" in data:
        raise BadRequest(f"{name}: foreignKeys are not supported; declare codes (country, hs) on the field")
    if unknown:
        raise BadRequest(f"{name}: unknown propert{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}")
    fields = [_field(f, index, name) for index, f in enumerate(data["fields"], start=1)]
    names = [f["name"] for f in fields]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise BadRequest(f"{name}: field {repeated[0]!r} is declared twice")
    key = data.get("primaryKey") or []
    key = [key] if isinstance(key, str) else key
    if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
        raise BadRequest(f"{name}: primaryKey is a field name or a list of field names")
    missing = [k for k in key if k not in names]
    if missing:
        raise BadRequest(f"{name}: primaryKey names {missing[0]!r}, which is not a field")
    out: dict = {"fields": fields, "primaryKey": list(key)}
    markers = data.get("missingValues")
    if markers is not None:
        if not isinstance(markers, list) or not all(isinstance(m, str) for m in markers):
            raise BadRequest(f"{name}: missingValues is a list of strings, e.g. [\"\", \"-\", \"н/д\"]")
        out["missingValues"] = list(markers)
    return out


def _field(raw: Any, index: int, name: str) -> dict:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise BadRequest(f"{name}: field {index} needs a name")
    where = f"{name}: field {raw['name']!r}"
    unknown = sorted(set(raw) - FIELD_KEYS)
    if unknown:
        raise BadRequest(f"{where}: unknown propert{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}")
    kind = raw.get("type", "string")
    if kind in UNSUPPORTED_TYPES:
        raise BadRequest(f"{where}: type {kind!r} is not supported; use string, or date for dates")
    if kind not in TYPES:
        raise BadRequest(f"{where}: type {kind!r} is not a Table Schema type ({', '.join(sorted(TYPES))})")
    field = {k: v for k, v in raw.items() if k not in ("constraints",)}
    constraints = _constraints(raw.get("constraints") or {}, where, kind)
    if kind == "year":
        field["type"] = "integer"
        constraints.setdefault("minimum", 1000)
        constraints.setdefault("maximum", 2999)
    if constraints:
        field["constraints"] = constraints
    fmt = raw.get("format")
    if fmt in ("default", "any"):
        field.pop("format")
    elif fmt is not None and (kind != "date" or not isinstance(fmt, str) or not DATE_FORMAT.match(fmt)):
        raise BadRequest(f"{where}: format {fmt!r} is not understood; dates take a pattern such as "
                         "%d.%m.%Y or %Y-%m-%d (directives %d %m %y %Y %b %B %j %H %M %S)")
    for char in ("decimalChar", "groupChar"):
        if char in raw and (kind != "number" or not isinstance(raw[char], str) or len(raw[char]) > 1):
            raise BadRequest(f"{where}: {char} is one character, for a number field")
    return field


def _constraints(raw: Any, where: str, kind: str) -> dict:
    if not isinstance(raw, dict):
        raise BadRequest(f"{where}: constraints is an object")
    unknown = sorted(set(raw) - CONSTRAINTS)
    if unknown:
        raise BadRequest(f"{where}: constraint {unknown[0]!r} is not supported "
                         f"({', '.join(sorted(CONSTRAINTS))})")
    out = dict(raw)
    for bound in ("minimum", "maximum"):
        if bound in out and (kind not in ("integer", "number", "year") or isinstance(out[bound], bool)
                             or not isinstance(out[bound], int | float)):
            raise BadRequest(f"{where}: {bound} is a number, for a numeric field")
    if "enum" in out:
        values = out["enum"]
        if not isinstance(values, list) or not values or not all(isinstance(v, str | int | float) for v in values):
            raise BadRequest(f"{where}: enum is a non-empty list of allowed values")
        out["enum"] = [str(v) for v in values]
    return out


def describe_change(old: dict | None, new: dict) -> str:
    """What differs between two declared schemas, in a line a steward reads ("" when nothing does)."""
    before = {f["name"]: f for f in (old or {}).get("fields", [])}
    after = {f["name"]: f for f in new.get("fields", [])}
    parts = [f"new field {n!r}" for n in after if n not in before]
    parts += [f"field {n!r} removed" for n in before if n not in after]
    for n in (n for n in after if n in before):
        for prop in ("type", "format", "constraints", "codes", "unit", "decimalChar", "groupChar"):
            if before[n].get(prop) != after[n].get(prop):
                parts.append(f"{prop} of {n!r}: {before[n].get(prop)!r} -> {after[n].get(prop)!r}")
    for prop in ("primaryKey", "missingValues"):
        if (old or {}).get(prop) != new.get(prop):
            parts.append(f"{prop}: {(old or {}).get(prop)!r} -> {new.get(prop)!r}")
    return "; ".join(parts)
