"""The publish wizard: upload a file -> the validation report (every rejected row) or the detected
schema to confirm or edit (a table: names, types, key, required and dropped columns; checked again
with the edited schema, `scobank.web.publish_schema`) -> metadata in several languages and the
policy -> the new version, staged with the schema the steward checked.

The file waits between steps in the upload spooler (`scobank.catalog.uploads`, removed a day after
it arrived when nobody finishes) under an unguessable token; each step calls the ingest stage
(`scobank.ingest.pipeline.stage_file`) or the publishing service (`scobank.catalog.publish`), which
validate and ask the gate. The read overrides (encoding, delimiter, ...) travel with the steps as
form fields, read into the ingest layer's ReadOptions. The staged Parquet of a check is removed at
once; the uploaded file when the version is published."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scobank.access import users
from scobank.access.reader import Reader
from scobank.access.policies import PURPOSES
from scobank.access.hardening import UPLOAD_ROUTE
from scobank.deps import DbSession
from scobank.catalog import datasets
from scobank.catalog.uploads import discard_upload, keep_upload, upload_path
from scobank.errors import BadFile, BadRequest, IngestRejected, TooLarge, Unauthenticated, UnsupportedFormat
from scobank.ingest.options import ReadOptions, from_text
from scobank.ingest.pipeline import stage_file
from scobank.ingest.table import SQL_TYPES
from scobank.web.publish_metadata import publish_described
from scobank.web.publish_schema import applied_schema, editable, editor_rows, read_editor, schema_json
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter(prefix="/publish")
HS_REVISIONS = ("HS22", "HS17", "HS12", "HS92")
READ_FIELDS = ("encoding", "delimiter", "decimal", "thousands", "sheet", "header_row", "skip_rows", "na")


def _need_login(reader: Reader) -> None:
    if reader.user_id is None:
        raise Unauthenticated("log in to publish data")


def _organisation(session, reader: Reader) -> str | None:
    return users.public(session, users.find_user(session, reader.email)).organisation


@router.get("", response_class=HTMLResponse)
def start_page(request: Request, session: DbSession, reader: PageReader, dataset: str | None = None) -> HTMLResponse:
    _need_login(reader)
    org = _organisation(session, reader)
    mine = datasets.list_datasets(session, reader=reader, organisation=org) if org else []
    return render(request, "publish/upload.html", section="catalog", step=1, revisions=HS_REVISIONS,
                  datasets=mine, chosen=dataset, organisation=org)


def read_fields(form: dict) -> dict[str, str]:
    """The read overrides the steward typed (empty ones left out: detected)."""
    return {name: str(form.get(name, "")).strip() for name in READ_FIELDS if str(form.get(name, "")).strip()}


def read_options(read: dict[str, str]) -> ReadOptions:
    """ReadOptions of the wizard's fields (BadRequest naming the field when one is wrong)."""
    return from_text(**read)


def _context(token: str, path: Path, *, kind: str, on_error: str, hs_revision: str | None, target: str,
             schema: dict | None, read: dict[str, str] | None = None) -> dict:
    return dict(section="catalog", token=token, kind=kind, on_error=on_error, hs_revision=hs_revision or "",
                target=target, file_name=path.name, schema_json=schema_json(schema), read=read or {})


def check_upload(request: Request, session, *, token: str, kind: str, on_error: str, hs_revision: str | None,
                 target: str, schema: dict | None = None, read: dict[str, str] | None = None) -> HTMLResponse:
    """Stage the waiting file (with `schema`, the steward's edited schema, for a table, and the read
    overrides): the report when rows are rejected, else the schema the bank will store, editable for
    a table."""
    path = upload_path(token)
    context = _context(token, path, kind=kind, on_error=on_error, hs_revision=hs_revision, target=target,
                       schema=schema, read=read)
    try:
        staged = stage_file(session, source=path, kind=kind, on_error=on_error, schema=schema if kind == "table" else None,
                            hs_revision=hs_revision or None, source_name=path.name, options=read_options(read or {}))
    except IngestRejected as exc:
        return render(request, "publish/report.html", step=2, report=exc.report.to_dict(), **context)
    except (BadFile, UnsupportedFormat, BadRequest, TooLarge) as exc:
        return render(request, "publish/report.html", step=2, report=None, failure=exc.message,
                      **context)
    staged.parquet_path.unlink(missing_ok=True)
    if kind == "table":
        schema = schema or editable(staged.table_schema)
        context["schema_json"] = schema_json(schema)
    return render(request, "publish/schema.html", step=2, schema=staged.table_schema, rows=staged.row_count,
                  report=staged.report.to_dict(), editor=editor_rows(schema) if kind == "table" else None,
                  types=SQL_TYPES, problems=[], **context)


def _state(form: dict) -> dict:
    return dict(kind=form.get("kind", "table"), on_error=form.get("on_error", "abort"),
                hs_revision=form.get("hs_revision", ""), target=form.get("target", ""), read=read_fields(form))


def _editor_problems(request: Request, token: str, form: dict, edited) -> HTMLResponse:
    """The editor again, with what is wrong with the submitted schema; nothing staged."""
    state = _state(form)
    context = _context(token, upload_path(token), schema=applied_schema(request, form), **state)
    return render(request, "publish/schema.html", step=2, schema=None, rows=None, report=None,
                  editor=edited.rows, types=SQL_TYPES, problems=edited.problems, **context)


@router.post("/upload", response_class=HTMLResponse, openapi_extra=UPLOAD_ROUTE)
async def upload(request: Request, session: DbSession, reader: FormReader, file: UploadFile = File(...),
                 kind: str = Form("table"), hs_revision: str = Form(""), target: str = Form("")) -> HTMLResponse:
    _need_login(reader)
    read = read_fields(dict(await request.form()))
    token = keep_upload(file.file, filename=file.filename)
    declared = _declared(session, reader, target) if kind == "table" else None
    return check_upload(request, session, token=token, kind=kind, on_error="abort", hs_revision=hs_revision,
                        target=target, read=read, schema=declared)


def _declared(session, reader: Reader, target: str) -> dict | None:
    """The schema the target dataset keeps (None for a new dataset or one without)."""
    return datasets.get_dataset(session, slug=target, reader=reader).declared_schema if target else None


def _unchanged_declared(session, reader: Reader, target: str, schema: dict | None) -> dict | None:
    """None when the wizard's schema is the target's declared one as the editor shows it (so the kept
    schema applies whole, with what the editor does not show: formats, enums, missing values)."""
    declared = _declared(session, reader, target)
    return None if declared and schema is not None and editable(declared) == schema else schema


@router.post("/{token}/check", response_class=HTMLResponse)
async def recheck(request: Request, token: str, session: DbSession, reader: FormReader) -> HTMLResponse:
    """Check the same file again: with the schema as edited (a table), or leaving the rejected rows out
    (on_error=skip-rows). An edited schema that cannot be applied comes back with its problems."""
    _need_login(reader)
    form = dict(await request.form())
    edited = read_editor(request, form)
    if edited.problems:
        return _editor_problems(request, token, form, edited)
    schema = edited.schema or applied_schema(request, form)
    return check_upload(request, session, token=token, schema=schema, **_state(form))


@router.post("/{token}/schema", response_class=HTMLResponse)
async def edit_schema(request: Request, token: str, session: DbSession, reader: FormReader) -> HTMLResponse:
    """The schema editor for a table whose check rejected rows: the schema last applied, or the detected
    one (the file staged with its rejected rows left out, only to learn its columns)."""
    _need_login(reader)
    form = dict(await request.form())
    state = _state(form)
    schema = applied_schema(request, form)
    path = upload_path(token)
    if schema is None:
        try:
            staged = stage_file(session, source=path, kind="table", on_error="skip-rows", source_name=path.name,
                                options=read_options(state["read"]))
        except (IngestRejected, BadFile, UnsupportedFormat, BadRequest, TooLarge) as exc:
            raise BadRequest(exc.message) from exc
        staged.parquet_path.unlink(missing_ok=True)
        schema = editable(staged.table_schema)
    context = _context(token, path, schema=schema, **state)
    return render(request, "publish/schema.html", step=2, schema=None, rows=None, report=None,
                  editor=editor_rows(schema), types=SQL_TYPES, problems=[], **context)


@router.post("/{token}/describe", response_class=HTMLResponse)
async def describe(request: Request, token: str, session: DbSession, reader: FormReader) -> HTMLResponse:
    """Step 3: the metadata (new dataset) or the dataset to add a version to, and the policy. An editor
    whose schema differs from the one checked is checked first (its report, or the schema again)."""
    _need_login(reader)
    form = dict(await request.form())
    edited = read_editor(request, form)
    if edited.problems:
        return _editor_problems(request, token, form, edited)
    schema = applied_schema(request, form)
    if edited.schema is not None and edited.schema != schema:
        return check_upload(request, session, token=token, schema=edited.schema, **_state(form))
    path = upload_path(token)
    return render(request, "publish/describe.html", step=3, problems=[], form={},
                  organisation=_organisation(session, reader), purposes=PURPOSES,
                  **_context(token, path, schema=schema, **_state(form)))


@router.post("/{token}/publish", response_model=None)
async def publish(request: Request, token: str, session: DbSession, reader: FormReader) -> Response:
    """Create the dataset when new (with its policy), publish the file as its next version, go there."""
    _need_login(reader)
    path = upload_path(token)
    form = dict(await request.form())
    schema = _unchanged_declared(session, reader, form.get("target", "").strip(), applied_schema(request, form))
    outcome = publish_described(session, reader=reader, path=path, form=form,
                                organisation=_organisation(session, reader), schema=schema,
                                options=read_options(read_fields(form)))
    if outcome.problems:
        return render(request, "publish/describe.html", step=3, problems=outcome.problems, form=form,
                      organisation=_organisation(session, reader), purposes=PURPOSES,
                      **_context(token, path, schema=schema, **_state(form)))
    discard_upload(token)
    return RedirectResponse(f"/datasets/{outcome.slug}?version={outcome.version}", status_code=303)
