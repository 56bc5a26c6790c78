"""The SDMX 2.1 RESTful API under /api/v1/sdmx/rest, as .Stat Suite and `sdmx1` clients call it
(register the bank as a source with that URL): structure queries (dataflow, datastructure, codelist,
conceptscheme) and data queries, the format chosen by the Accept header. Through the same gate and
ledger as every read (scobank.catalog.sdmx_artefacts, scobank.catalog.sdmx_query)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from scobank.catalog import sdmx_artefacts, sdmx_query
from scobank.catalog.sdmx_media import check_structure_accept, data_format
from scobank.catalog.sdmx_structure import AGENCY
from scobank.deps import CurrentReader, DbSession
from scobank.errors import NotImplementedHere

router = APIRouter(prefix="/sdmx/rest", tags=["sdmx"])
REST = "/api/v1/sdmx/rest"
StructureKind = Literal["dataflow", "datastructure", "codelist", "conceptscheme"]
DataFormatName = Literal["genericdata", "structurespecificdata", "csvdata", "csvfile", "csvfilewithlabels"]  # sdmx_media
DATA_MEDIA = {"application/vnd.sdmx.genericdata+xml": {}, "application/vnd.sdmx.structurespecificdata+xml": {},
              "application/vnd.sdmx.data+csv": {}}
STRUCTURE_MEDIA = {"application/vnd.sdmx.structure+xml": {}}
Accept = Annotated[str | None, Header(alias="Accept", description="an SDMX media type; data: generic unless asked")]


@dataclass
class DataParams:
    """The query parameters of an SDMX data query."""

    start_period: str | None = Query(None, alias="startPeriod", description="YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, "
                                                                            "YYYY-Sn, YYYY-Wnn: from its first day")
    end_period: str | None = Query(None, alias="endPeriod", description="the same forms: to its last day")
    dimension_at_observation: str | None = Query(
        None, alias="dimensionAtObservation", description="TIME_PERIOD (default), AllDimensions or a dimension's id")
    detail: Literal["full", "dataonly", "serieskeysonly", "nodata"] = Query("full")
    format: DataFormatName | None = Query(None, description="instead of the Accept header, for links")
    labels: Literal["id", "name", "both"] | None = Query(None, description="SDMX-CSV: codes, names, or both")
    lang: str | None = Query(None, description="the language of SDMX-CSV's names: en, ru or zh")
    updated_after: str | None = Query(None, alias="updatedAfter", description="not offered (501)")
    first_n: int | None = Query(None, alias="firstNObservations", description="not offered (501)")
    last_n: int | None = Query(None, alias="lastNObservations", description="not offered (501)")
    include_history: bool | None = Query(None, alias="includeHistory", description="not offered (501)")

    def refuse_unoffered(self) -> None:
        asked = [name for name, value in (("updatedAfter", self.updated_after), ("firstNObservations", self.first_n),
                                          ("lastNObservations", self.last_n), ("includeHistory", self.include_history))
                 if value is not None]
        if asked:
            raise NotImplementedHere(f"the bank's SDMX service does not offer {', '.join(asked)}")


@dataclass
class StructureParams:
    references: str = Query("none", description="the artefacts referring to or referred to by those asked: "
                                                + ", ".join(sdmx_artefacts.REFERENCES))
    detail: str = Query("full", description="full, or stubs: " + ", ".join(sdmx_artefacts.DETAILS[1:]))


Data = Annotated[DataParams, Depends()]
Structure = Annotated[StructureParams, Depends()]


def _data(session, reader, accept: str | None, params: DataParams, flow_ref: str, key: str = "all",
          provider_ref: str = "all") -> StreamingResponse:
    params.refuse_unoffered()
    fmt = data_format(accept, format=params.format, labels=params.labels)
    stream = sdmx_query.data_query(
        session, reader=reader, flow_ref=flow_ref, key=key, provider_ref=provider_ref, fmt=fmt, lang=params.lang,
        start_period=params.start_period, end_period=params.end_period, detail=params.detail,
        dimension_at_observation=params.dimension_at_observation)
    session.commit()  # the ledger entry is durable before the first byte leaves
    return StreamingResponse(stream.chunks, media_type=stream.media_type,
                             headers={"Content-Disposition": f'inline; filename="{stream.filename}"'})


DATA_DOC = dict(response_class=StreamingResponse, responses={200: {"content": DATA_MEDIA}})


@router.get("/data/{flow_ref}", **DATA_DOC)
def data_of_flow(flow_ref: str, session: DbSession, reader: CurrentReader, params: Data, accept: Accept = None):
    """Every observation of a dataflow (FLOW, AGENCY,FLOW or AGENCY,FLOW,VERSION): generic data unless the
    Accept header asks for structure-specific data or SDMX-CSV 2.0."""
    return _data(session, reader, accept, params, flow_ref)


@router.get("/data/{flow_ref}/{key}", **DATA_DOC)
def data_of_key(flow_ref: str, key: str, session: DbSession, reader: CurrentReader, params: Data,
                accept: Accept = None):
    """The observations of the series a key names: one part per dimension in the DSD's order (not
    TIME_PERIOD), codes joined by '+', an empty part for every code (`all`: everything)."""
    return _data(session, reader, accept, params, flow_ref, key)


@router.get("/data/{flow_ref}/{key}/{provider_ref}", **DATA_DOC)
def data_of_provider(flow_ref: str, key: str, provider_ref: str, session: DbSession, reader: CurrentReader,
                     params: Data, accept: Accept = None):
    """As /data/{flow_ref}/{key}, from one data provider: `all`, or AGENCY,ORGANISATION (the publishing
    organisation's slug in capitals, '-' as '_')."""
    return _data(session, reader, accept, params, flow_ref, key, provider_ref)


def _structure(request: Request, session, reader, accept: str | None, params: StructureParams, kind: str,
               agency_id: str = "all", resource_id: str = "all", version: str = "latest") -> Response:
    check_structure_accept(accept)
    base = str(request.base_url).rstrip("/") + REST
    message = sdmx_artefacts.structure_query(
        session, reader=reader, kind=kind, agency=agency_id, resource_id=resource_id, version=version,
        references=params.references, detail=params.detail,
        stub_url=lambda kind, id_, ver: f"{base}/{kind}/{AGENCY}/{id_}/{ver}")
    return Response(message.body, media_type=message.media_type,
                    headers={"Content-Disposition": f'inline; filename="{message.filename}"'})


STRUCTURE_DOC = dict(response_class=Response, responses={200: {"content": STRUCTURE_MEDIA}})


@router.get("/{structure}", **STRUCTURE_DOC)
def structures(structure: StructureKind, request: Request, session: DbSession, reader: CurrentReader,
               params: Structure, accept: Accept = None):
    """Every artefact of a kind that you may read (SDMX-ML 2.1 structure message)."""
    return _structure(request, session, reader, accept, params, structure)


@router.get("/{structure}/{agency_id}", **STRUCTURE_DOC)
def structures_of_agency(structure: StructureKind, agency_id: str, request: Request, session: DbSession,
                         reader: CurrentReader, params: Structure, accept: Accept = None):
    """Every artefact of a kind of an agency (the bank's is SCOBANK; `all` too)."""
    return _structure(request, session, reader, accept, params, structure, agency_id)


@router.get("/{structure}/{agency_id}/{resource_id}", **STRUCTURE_DOC)
def structure_by_id(structure: StructureKind, agency_id: str, resource_id: str, request: Request,
                    session: DbSession, reader: CurrentReader, params: Structure, accept: Accept = None):
    """One artefact, latest version: a dataflow FLOW (a dataset's slug in capitals, '-' as '_'), its
    datastructure DSD_FLOW, codelist CL_FLOW_DIMENSION or conceptscheme CS_FLOW."""
    return _structure(request, session, reader, accept, params, structure, agency_id, resource_id)


@router.get("/{structure}/{agency_id}/{resource_id}/{version}", **STRUCTURE_DOC)
def structure_by_version(structure: StructureKind, agency_id: str, resource_id: str, version: str,
                         request: Request, session: DbSession, reader: CurrentReader, params: Structure,
                         accept: Accept = None):
    """One artefact in a version: latest, all, or N.0 for the bank's version N. A codelist in full lists
    the values of its dimension: it needs the right to read rows."""
    return _structure(request, session, reader, accept, params, structure, agency_id, resource_id, version)
