"""REST endpoints of the catalog area (thin: parse, call a service, return its public shape).

The access gate inside each service decides: 404 for a dataset the caller may not know exists,
403 when it may know it but not do this. The stated purpose (X-Purpose or ?purpose=) travels on the
reader (scobank.deps)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from scobank.access.hardening import UPLOAD_ROUTE
from scobank.deps import MAX_ID, CurrentReader, DbSession, RowId, VersionQuery
from scobank.api.read_form import ReadForm
from scobank.api.totals import TOTAL_DOC, tell_total
from scobank.catalog import (
    datapackage,
    datasets,
    diff,
    export,
    organisations,
    publish,
    query,
    sdmx,
    versions,
    withdrawals,
)
from scobank.catalog.schemas import (
    DatasetCreate,
    DatasetPublic,
    DatasetUpdate,
    DiffResult,
    OrganisationCreate,
    OrganisationPublic,
    PublishResult,
    QueryResult,
    RepublishRequest,
    VersionPublic,
    WithdrawRequest,
)
from scobank.catalog.uploads import spooled_upload
from scobank.ingest.declared_schema import load_table_schema
from scobank.lake.export import CsvDialect
from scobank.lake.query import MAX_LIMIT, QuerySpec

router = APIRouter(tags=["catalog"])
ExportFormat = Literal["csv", "xlsx", "parquet", "json", "ndjson", "sdmx-csv", "sdmx-ml", "sdmx-generic"]
FILTER_HELP = ("COL:OP:VALUES or COL=OP:VALUES (OP: eq, in, range, prefix) or COL=VALUE, repeated; "
               "in a list '\\,' is a comma inside a value: partner:in:Korea\\, Rep.,China")


@router.post("/organisations", response_model=OrganisationPublic, status_code=201)
def create_organisation(body: OrganisationCreate, session: DbSession, reader: CurrentReader):
    org = organisations.create_organisation(session, data=body, actor=reader)
    return organisations.organisation_public(org)


@router.get("/organisations", response_model=list[OrganisationPublic])
def list_organisations(session: DbSession, party: str | None = None):
    return organisations.list_organisations(session, party=party)


@router.post("/datasets", response_model=DatasetPublic, status_code=201)
def create_dataset(body: DatasetCreate, session: DbSession, reader: CurrentReader):
    dataset = datasets.create_dataset(session, data=body, actor=reader)
    return datasets.dataset_public(session, dataset)


@router.get("/datasets", response_model=list[DatasetPublic], responses=TOTAL_DOC)
def list_datasets(session: DbSession, reader: CurrentReader, response: Response, organisation: str | None = None,
                  party: str | None = None, limit: int = Query(1000, ge=1, le=10_000),
                  offset: int = Query(0, ge=0, le=MAX_ID),
                  listed: bool = Query(True, description="also those listed so that you may ask for access "
                                                         "(listed_only: title, publisher, description)")):
    """The datasets the caller may see, by slug (a page of `limit` from `offset`); the total of all pages
    in the X-Total-Count header."""
    page = datasets.page_datasets(session, reader=reader, organisation=organisation, party=party,
                                  limit=limit, offset=offset, listed=listed)
    tell_total(response, page.total)
    return page.items


@router.get("/datasets/{slug}", response_model=DatasetPublic)
def get_dataset(slug: str, session: DbSession, reader: CurrentReader):
    return datasets.get_dataset(session, slug=slug, reader=reader)


@router.patch("/datasets/{slug}", response_model=DatasetPublic)
def update_dataset(slug: str, body: DatasetUpdate, session: DbSession, reader: CurrentReader):
    return datasets.update_dataset(session, slug=slug, changes=body, actor=reader)


@router.post("/datasets/{slug}/versions", response_model=PublishResult, openapi_extra=UPLOAD_ROUTE,
             responses={200: {"description": "identical content: the existing version"},
                        409: {"description": "the declared schema differs and schema_change is not set"},
                        422: {"description": "rejected; the body has the full report"}})
def publish_version(slug: str, session: DbSession, reader: CurrentReader, response: Response,
                    file: UploadFile = File(...),
                    schema_file: UploadFile | None = File(None, alias="schema",
                                                          description="a Frictionless Table Schema (JSON)"),
                    schema_change: bool = Form(False, description="the schema changes the declared one"),
                    as_new: bool = Form(False, description="identical older content becomes the newest version"),
                    on_error: Literal["abort", "skip-rows"] = Form("abort"),
                    kind: Literal["table", "trade"] | None = Form(None),
                    hs_revision: str | None = Form(None),
                    read: ReadForm = Depends()):
    """Upload a file as the next version (201), or get the existing version of identical content (200).
    Read overrides (encoding, delimiter, decimal, thousands, sheet, header_row, skip_rows, na) are form
    fields; whatever is not given is detected."""
    declared = (load_table_schema(schema_file.file.read(), name=schema_file.filename or "schema")
                if schema_file else None)
    with spooled_upload(file.file, filename=file.filename) as path:
        result = publish.publish_version(session, dataset=slug, source=path, actor=reader, kind=kind,
                                         on_error=on_error, hs_revision=hs_revision, source_name=path.name,
                                         schema=declared, schema_change=schema_change, as_new=as_new,
                                         options=read.options())
    response.status_code = 201 if result.created else 200
    return result


@router.post("/datasets/{slug}/versions/{number}/withdraw", response_model=VersionPublic)
def withdraw_version(slug: str, number: int, body: WithdrawRequest, session: DbSession, reader: CurrentReader):
    """Withdraw a version (its steward): marked with the reason; the newest version not withdrawn serves."""
    return withdrawals.withdraw_version(session, slug=slug, number=number, reason=body.reason, actor=reader)


@router.post("/datasets/{slug}/versions/{number}/republish", response_model=VersionPublic, status_code=201)
def republish_version(slug: str, number: int, session: DbSession, reader: CurrentReader,
                      body: RepublishRequest | None = None):
    """Publish version `number`'s content again as the newest version (a rollback)."""
    return withdrawals.republish_version(session, slug=slug, number=number, actor=reader,
                                         reason=body.reason if body else None)


@router.get("/datasets/{slug}/versions", response_model=list[VersionPublic])
def list_versions(slug: str, session: DbSession, reader: CurrentReader):
    return versions.list_versions(session, slug=slug, reader=reader)


@router.get("/datasets/{slug}/versions/{number}", response_model=VersionPublic)
def get_version(slug: str, number: RowId, session: DbSession, reader: CurrentReader):
    return versions.get_version(session, slug=slug, reader=reader, number=number)


@router.get("/datasets/{slug}/diff", response_model=DiffResult)
def diff_versions(slug: str, session: DbSession, reader: CurrentReader,
                  from_: int = Query(..., alias="from", ge=1, le=MAX_ID), to: int = Query(..., ge=1, le=MAX_ID),
                  sample: int = Query(10, ge=0, le=100)):
    return diff.diff_versions(session, slug=slug, reader=reader, from_version=from_, to_version=to, sample=sample)


@router.get("/datasets/{slug}/rows", response_model=QueryResult)
def query_rows(slug: str, session: DbSession, reader: CurrentReader,
               select: list[str] = Query(None, description="columns: select=a,b or repeated"),
               filter: list[str] = Query(None, description=FILTER_HELP),
               group_by: list[str] = Query(None), agg: list[str] = Query(None, description="COL:FN or count"),
               sort: list[str] = Query(None, description="COL or -COL"),
               limit: int = Query(100, ge=1, le=MAX_LIMIT), cursor: str | None = None,
               version: VersionQuery = None, as_of: datetime | None = None):
    spec = QuerySpec.parse(select=select, filters=filter, group_by=group_by, aggregates=agg, sort=sort,
                           limit=limit, cursor=cursor)
    return query.query_dataset(session, slug=slug, reader=reader, spec=spec, version=version, as_of=as_of)


@router.get("/datasets/{slug}/export", response_class=StreamingResponse,
            responses={200: {"content": {media.split(";")[0]: {} for media, _ in export.FORMATS.values()}}})
def export_version(slug: str, session: DbSession, reader: CurrentReader,
                   format: ExportFormat = Query("csv", description=", ".join(export.FORMATS)),
                   columns: list[str] = Query(None, description="columns to export: columns=a,b or repeated"),
                   filter: list[str] = Query(None, description=FILTER_HELP),
                   delimiter: Literal[",", ";", "tab"] | None = Query(
                       None, description="CSV field separator (default by lang: ';' for ru and kk, else ',')"),
                   decimal: Literal[".", ","] | None = Query(
                       None, description="CSV decimal mark (default by lang: ',' for ru and kk, else '.')"),
                   bom: bool | None = Query(
                       None, description="CSV starts with a UTF-8 byte-order mark (default by lang: ru and kk)"),
                   lang: str | None = Query(None, description="the reader's language; sets the CSV defaults "
                                                              "and the language of sdmx-csv's names"),
                   labels: Literal["id", "name", "both"] = Query(
                       "id", description="sdmx-csv: codes (id), their names (name) or `code: name` (both)"),
                   version: VersionQuery = None, as_of: datetime | None = None):
    """A version's rows as a file; filters and columns as on /rows. SDMX: sdmx-csv (SDMX-CSV 2.0) and
    sdmx-ml (SDMX-ML 2.1 structure-specific), sdmx-generic (SDMX-ML 2.1 generic), described by
    /datasets/{slug}/sdmx/structure; by series, key and period: /sdmx/rest/data/{flow_ref}."""
    selection = export.Selection.parse(columns=columns, filters=filter)
    dialect = CsvDialect.for_reader(lang=lang, delimiter="\t" if delimiter == "tab" else delimiter,
                                    decimal=decimal, bom=bom)
    stream = export.export_dataset(session, slug=slug, reader=reader, fmt=format, version=version, as_of=as_of,
                                   selection=selection, dialect=dialect, labels=labels, lang=lang)
    session.commit()  # the ledger entry is durable before the first byte leaves
    return StreamingResponse(stream.chunks, media_type=stream.media_type, headers={
        "Content-Disposition": f'attachment; filename="{stream.filename}"'})


@router.get("/datasets/{slug}/sdmx/structure", response_class=Response,
            responses={200: {"content": {"application/vnd.sdmx.structure+xml": {}}}})
def sdmx_structure(slug: str, session: DbSession, reader: CurrentReader, version: VersionQuery = None):
    """SDMX-ML 2.1 structure of a version: dataflow, codelists (countries and products named in en/ru/zh),
    concepts and the data structure definition its SDMX exports follow."""
    message = sdmx.sdmx_structure(session, slug=slug, reader=reader, version=version)
    return Response(message.body, media_type=message.media_type,
                    headers={"Content-Disposition": f'inline; filename="{message.filename}"'})


class DataPackage(BaseModel):
    """A Frictionless Tabular Data Package descriptor (datapackage.json)."""

    model_config = ConfigDict(extra="allow")
    profile: str
    name: str
    resources: list[dict]


@router.get("/datasets/{slug}/datapackage.json", response_model=DataPackage)
def get_datapackage(slug: str, request: Request, session: DbSession, reader: CurrentReader,
                    version: int | None = Query(None, ge=1, le=2**31)):
    """A version (default newest) as a Frictionless Data Package: its Table Schema, licence and the CSV
    export as the resource (reading that URL is an export, under the dataset's policy)."""
    base = str(request.base_url).rstrip("/")
    number = f"&version={version}" if version else ""
    return datapackage.datapackage(session, slug=slug, reader=reader, version=version,
                                   data_path=f"{base}/api/v1/datasets/{slug}/export?format=csv{number}")
