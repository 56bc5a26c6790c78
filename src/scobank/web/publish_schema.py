"""The schema step of the publish wizard: the detected schema as an editable form (per column: its
stored name, type, key, required, dropped) and back.

The schema travels between the steps as JSON in the hidden field `schema`, in the ingest layer's
Table Schema form (`scobank.ingest.table`: a renamed field names its file column in "column", a left
out one carries "drop"), so the schema the steward checked is the one the real ingest applies when
the version is published. Every submitted schema is checked here first; problems come back as
sentences for the form (in the reader's language) and nothing is staged or written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.requests import Request

from scobank.errors import BadRequest
from scobank.ingest.table import SQL_TYPES, source_column
from scobank.web.render import translate

MAX_COLUMNS = 1000
MAX_NAME = 120


@dataclass
class EditedSchema:
    """What the editor form said: the schema (None when the form had no editor) and its problems."""

    schema: dict | None
    rows: list[dict] = field(default_factory=list)  # the editor's rows as submitted, to show again
    problems: list[str] = field(default_factory=list)


def editor_rows(schema: dict) -> list[dict]:
    """One editor row per file column: {column, name, type, key, required, drop}."""
    key = set(schema.get("primaryKey") or [])
    return [{"column": source_column(f), "name": f["name"], "type": f.get("type", "string"),
             "key": f["name"] in key, "required": bool((f.get("constraints") or {}).get("required")),
             "drop": bool(f.get("drop"))} for f in schema.get("fields", [])]


def editable(schema: dict) -> dict:
    """A detected or stored schema as the editor's schema: every column declared, by its file name."""
    return rows_schema(editor_rows(schema))


def rows_schema(rows: list[dict]) -> dict:
    """The ingest Table Schema of the editor's rows."""
    fields = []
    for row in rows:
        item: dict = {"name": row["name"], "type": row["type"]}
        if row["column"] != row["name"]:
            item["column"] = row["column"]
        if row["required"] and not row["drop"]:
            item["constraints"] = {"required": True}
        if row["drop"]:
            item["drop"] = True
        fields.append(item)
    return {"fields": fields, "primaryKey": [r["name"] for r in rows if r["key"] and not r["drop"]]}


def _form_rows(form: Mapping) -> list[dict] | None:
    count = str(form.get("columns", "")).strip()
    if not count.isdigit():
        return None
    rows = []
    for i in range(min(int(count), MAX_COLUMNS)):
        column = str(form.get(f"col_{i}", ""))
        rows.append({"column": column, "name": str(form.get(f"name_{i}", "")).strip(),
                     "type": str(form.get(f"type_{i}", "string")), "key": form.get(f"key_{i}") == "on",
                     "required": form.get(f"required_{i}") == "on", "drop": form.get(f"drop_{i}") == "on"})
    return rows


def row_problems(request: Request, rows: list[dict]) -> list[str]:
    """Why the editor's rows are not a schema the bank can apply (empty list: they are)."""
    problems, seen = [], {}
    for row in rows:
        column = row["column"] or "?"
        if not row["name"]:
            problems.append(translate(request, "Column %(column)s: the new name is empty.") % {"column": column})
        elif len(row["name"]) > MAX_NAME:
            problems.append(translate(request, "Column %(column)s: the new name is longer than %(n)s characters.")
                            % {"column": column, "n": MAX_NAME})
        if row["type"] not in SQL_TYPES:
            problems.append(translate(request, "Column %(column)s: %(type)s is not a type the bank knows.")
                            % {"column": column, "type": repr(row["type"])})
        if row["key"] and row["drop"]:
            problems.append(translate(request, "Column %(column)s is part of the key, so it cannot be left out.")
                            % {"column": column})
        if row["name"] and not row["drop"]:
            seen.setdefault(row["name"].lower(), []).append(row["name"])
    for names in seen.values():
        if len(names) > 1:
            problems.append(translate(request, "%(n)s columns would be named %(name)s; give each column its own name.")
                            % {"n": len(names), "name": names[0]})
    if rows and all(r["drop"] for r in rows):
        problems.append(translate(request, "Keep at least one column."))
    if len({r["column"] for r in rows}) != len(rows):
        problems.append(translate(request, "The form names a column of the file twice; check the file again."))
    return problems


def read_editor(request: Request, form: Mapping) -> EditedSchema:
    """The schema the editor form describes, with its problems; schema None when the form has no editor."""
    rows = _form_rows(form)
    if rows is None:
        return EditedSchema(schema=None)
    problems = row_problems(request, rows)
    return EditedSchema(schema=None if problems else rows_schema(rows), rows=rows, problems=problems)


def applied_schema(request: Request, form: Mapping) -> dict | None:
    """The schema carried in the hidden field `schema` (None when empty). BadRequest when it is not a
    schema the editor could have made (a changed page)."""
    text = str(form.get("schema", "") or "").strip()
    if not text:
        return None
    try:
        rows = editor_rows(json.loads(text))
        problems = row_problems(request, rows)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BadRequest("the schema of this upload is not readable; check the file again") from exc
    if problems:
        raise BadRequest("; ".join(problems))
    return rows_schema(rows)


def schema_json(schema: dict | None) -> str:
    return json.dumps(schema, ensure_ascii=False, sort_keys=True) if schema else ""
