"""SDMX for a published dataset: the structure message (SDMX-ML 2.1: dataflow, codelists, concepts,
data structure definition) of a version. Its data are exports (`scobank.catalog.export`, formats
sdmx-csv and sdmx-ml), read with the structure by any SDMX client (.Stat Suite, `sdmx1`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Action, Reader
from scobank.catalog.sdmx_ml import structure_message
from scobank.catalog.sdmx_structure import AGENCY, data_structure, flow_id_of, split_columns
from scobank.catalog.versions import resolve_version
from scobank.errors import AccessDenied, BadRequest
from scobank.lake.engine import get_engine

STRUCTURE_MEDIA_TYPE = "application/vnd.sdmx.structure+xml; version=2.1"
REST_PATH = "/api/v1/sdmx/rest"  # the SDMX 2.1 REST API (scobank.api.sdmx)


@dataclass(frozen=True)
class StructureMessage:
    filename: str
    media_type: str
    body: bytes


def sdmx_structure(session: Session, *, slug: str, reader: Reader, version: int | None = None,
                   purpose: str | None = None) -> StructureMessage:
    """The SDMX-ML 2.1 structure of a version (default: newest). Its codelists list the values the
    version holds, so it needs full rows (Action.QUERY, not aggregates only); one ledger entry.
    BadRequest when the version has no numeric column (nothing to serve as OBS_VALUE)."""
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.QUERY,
                                          number=version, purpose=purpose)
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r} is available as aggregates only; its SDMX structure lists "
                           "every value of its dimensions")
    structure = data_structure(session, dataset=dataset, version=ver, engine=get_engine())
    codes = sum(len(d.codelist.codes) for d in structure.dimensions if d.codelist)
    ledger.record(session, actor=reader, action="query", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id, rows=codes,
                  detail={"format": "sdmx-structure"})
    body = structure_message(structure, message_id=f"{slug}-{uuid.uuid4().hex[:12]}")
    return StructureMessage(f"{dataset.slug}-v{ver.number}.structure.xml", STRUCTURE_MEDIA_TYPE, body)


@dataclass(frozen=True)
class SdmxLinks:
    """Where a version is read as SDMX: its dataflow's id, structure, data (SDMX-CSV with names in a
    language), and the REST API an SDMX client registers."""

    flow_id: str
    flow_ref: str  # AGENCY,FLOW,VERSION
    structure: str
    data: str
    rest: str


def sdmx_links(slug: str, version) -> SdmxLinks | None:
    """The SDMX addresses of `version` (anything with `number` and `table_schema`) of dataset `slug`;
    None when it has no numeric column to serve as OBS_VALUE. Nothing is read or checked here: each
    address passes the gate when followed."""
    try:
        split_columns(version)
    except BadRequest:
        return None
    flow = flow_id_of(slug)
    ref = f"{AGENCY},{flow},{version.number}.0"
    return SdmxLinks(flow_id=flow, flow_ref=ref,
                     structure=f"/api/v1/datasets/{slug}/sdmx/structure?version={version.number}",
                     data=f"{REST_PATH}/data/{ref}?format=csvfilewithlabels", rest=REST_PATH)
