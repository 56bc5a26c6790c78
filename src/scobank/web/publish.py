"""The publish wizard: upload a file -> the validation report (every rejected row) or the detected
schema to confirm -> metadata in several languages and the policy -> the new version.

The file waits between steps in the staging folder under an unguessable token; each step calls the
ingest stage (`scobank.ingest.pipeline.stage_file`) or the catalog (`create_dataset`,
`publish_version`), which validate and ask the gate. The staged Parquet of a check is removed at once;
the uploaded file when the version is published."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scobank.access import users
from scobank.access.gate import Reader
from scobank.access.policies import PURPOSES
from scobank.api.deps import DbSession
from scobank.catalog import datasets
from scobank.catalog.uploads import safe_name
from scobank.config import get_settings
from scobank.errors import BadFile, BadRequest, IngestRejected, NotFound, TooLarge, Unauthenticated, UnsupportedFormat
from scobank.ingest.pipeline import stage_file
from scobank.web.publish_metadata import publish_described
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter(prefix="/publish")
HS_REVISIONS = ("HS22", "HS17", "HS12", "HS92")
_CHUNK = 1 << 20


def _uploads() -> Path:
    return get_settings().staging_dir / "web-uploads"


def _need_login(reader: Reader) -> None:
    if reader.user_id is None:
        raise Unauthenticated("log in to publish data")


def upload_path(token: str) -> Path:
    """The file waiting under `token` (NotFound when the token is unknown or malformed)."""
    folder = _uploads() / token
    if not token.replace("-", "").replace("_", "").isalnum() or not folder.is_dir():
        raise NotFound("this upload is no longer waiting; upload the file again")
    files = [p for p in folder.iterdir() if p.is_file()]
    if len(files) != 1:
        raise NotFound("this upload is no longer waiting; upload the file again")
    return files[0]


def _save(upload: UploadFile) -> str:
    limit = get_settings().max_upload_bytes
    token = secrets.token_urlsafe(18)
    folder = _uploads() / token
    folder.mkdir(parents=True)
    size = 0
    with (folder / safe_name(upload.filename)).open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                shutil.rmtree(folder, ignore_errors=True)
                raise TooLarge(f"{upload.filename}: larger than the upload limit of {limit:,} bytes")
            out.write(chunk)
    return token


def _organisation(session, reader: Reader) -> str | None:
    return users.public(session, users.find_user(session, reader.email)).organisation


@router.get("", response_class=HTMLResponse)
def start_page(request: Request, session: DbSession, reader: PageReader, dataset: str | None = None) -> HTMLResponse:
    _need_login(reader)
    org = _organisation(session, reader)
    mine = datasets.list_datasets(session, reader=reader, organisation=org) if org else []
    return render(request, "publish/upload.html", section="catalog", step=1, revisions=HS_REVISIONS,
                  datasets=mine, chosen=dataset, organisation=org)


def check_upload(request: Request, session, *, token: str, kind: str, on_error: str, hs_revision: str | None,
                 target: str) -> HTMLResponse:
    """Stage the waiting file: the report when rows are rejected, else the detected schema."""
    path = upload_path(token)
    context = dict(section="catalog", token=token, kind=kind, on_error=on_error, hs_revision=hs_revision or "",
                   target=target, file_name=path.name)
    try:
        staged = stage_file(session, source=path, kind=kind, on_error=on_error,
                            hs_revision=hs_revision or None, source_name=path.name)
    except IngestRejected as exc:
        return render(request, "publish/report.html", step=2, report=exc.report.to_dict(), **context)
    except (BadFile, UnsupportedFormat, BadRequest, TooLarge) as exc:
        return render(request, "publish/report.html", step=2, report=None, failure=exc.message,
                      **context)
    staged.parquet_path.unlink(missing_ok=True)
    return render(request, "publish/schema.html", step=2, schema=staged.table_schema, rows=staged.row_count,
                  report=staged.report.to_dict(), **context)


@router.post("/upload", response_class=HTMLResponse)
def upload(request: Request, session: DbSession, reader: FormReader, file: UploadFile = File(...),
           kind: str = Form("table"), hs_revision: str = Form(""), target: str = Form("")) -> HTMLResponse:
    _need_login(reader)
    token = _save(file)
    return check_upload(request, session, token=token, kind=kind, on_error="abort", hs_revision=hs_revision,
                        target=target)


@router.post("/{token}/check", response_class=HTMLResponse)
def recheck(request: Request, token: str, session: DbSession, reader: FormReader, kind: str = Form("table"),
            on_error: str = Form("abort"), hs_revision: str = Form(""), target: str = Form("")) -> HTMLResponse:
    """Check the same file again, e.g. leaving the rejected rows out (on_error=skip-rows)."""
    _need_login(reader)
    return check_upload(request, session, token=token, kind=kind, on_error=on_error, hs_revision=hs_revision,
                        target=target)


@router.post("/{token}/describe", response_class=HTMLResponse)
def describe(request: Request, token: str, session: DbSession, reader: FormReader, kind: str = Form("table"),
             on_error: str = Form("abort"), hs_revision: str = Form(""), target: str = Form("")) -> HTMLResponse:
    """Step 3: the metadata (new dataset) or the dataset to add a version to, and the policy."""
    _need_login(reader)
    path = upload_path(token)
    return render(request, "publish/describe.html", section="catalog", step=3, token=token, kind=kind,
                  on_error=on_error, hs_revision=hs_revision, target=target, file_name=path.name, problems=[],
                  form={}, organisation=_organisation(session, reader), purposes=PURPOSES)


@router.post("/{token}/publish", response_model=None)
async def publish(request: Request, token: str, session: DbSession, reader: FormReader) -> Response:
    """Create the dataset when new (with its policy), publish the file as its next version, go there."""
    _need_login(reader)
    path = upload_path(token)
    form = dict(await request.form())
    outcome = publish_described(session, reader=reader, path=path, form=form,
                                organisation=_organisation(session, reader))
    if outcome.problems:
        return render(request, "publish/describe.html", section="catalog", step=3, token=token,
                      kind=form.get("kind", "table"), on_error=form.get("on_error", "abort"),
                      hs_revision=form.get("hs_revision", ""), target=form.get("target", ""),
                      file_name=path.name, problems=outcome.problems, form=form,
                      organisation=_organisation(session, reader), purposes=PURPOSES)
    shutil.rmtree(path.parent, ignore_errors=True)
    return RedirectResponse(f"/datasets/{outcome.slug}?version={outcome.version}", status_code=303)
