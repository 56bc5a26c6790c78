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
from scobank.catalog.sdmx_structure import data_structure
from scobank.catalog.versions import resolve_version
from scobank.errors import AccessDenied
from scobank.lake.engine import get_engine

STRUCTURE_MEDIA_TYPE = "application/vnd.sdmx.structure+xml; version=2.1"


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
