"""The dataset versions the SDMX REST API addresses: agency SCOBANK; a dataflow id is a dataset's slug in
capitals with '-' as '_' (scobank.catalog.sdmx_structure.flow_id_of); a version is "latest" (the newest
not withdrawn), "all", or "N.0" (also "N") for the bank's version N. A flow reference of a data query is
`FLOW`, `AGENCY,FLOW` or `AGENCY,FLOW,VERSION`.

Only datasets the reader may know exist are found: one it may not know is answered as absent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.models import Dataset, DatasetVersion, Organisation
from scobank.catalog.sdmx_structure import AGENCY
from scobank.catalog.versions import find_version
from scobank.catalog.visibility import visible_datasets
from scobank.errors import BadRequest, NotFound

ALL = "all"
LATEST = "latest"
VERSION = re.compile(r"(\d{1,9})(?:\.0)?")


@dataclass(frozen=True)
class FlowRef:
    """A data query's flow: its id and version text ("latest" unless given)."""

    flow_id: str
    version: str = LATEST

    @classmethod
    def parse(cls, text: str) -> FlowRef:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) > 3 or not all(parts):
            raise BadRequest(f"flow reference {text!r}: expected FLOW, AGENCY,FLOW or AGENCY,FLOW,VERSION "
                             f"(e.g. {AGENCY},KZ_INDUSTRY,1.0)")
        if len(parts) > 1:
            check_agency(parts[0])
        return cls(parts[1] if len(parts) > 1 else parts[0], parts[2] if len(parts) == 3 else LATEST)


def check_agency(agency: str | None) -> None:
    """`all`, nothing or SCOBANK; any other agency maintains nothing here (NotFound)."""
    if agency not in (None, ALL, AGENCY):
        raise NotFound(f"agency {agency!r} maintains nothing here; the bank's agency is {AGENCY}")


def version_number(text: str | None) -> int | str | None:
    """None for the newest ("latest"), ALL for every version, else the bank's version number."""
    if text in (None, LATEST):
        return None
    if text == ALL:
        return ALL
    found = VERSION.fullmatch(text)
    if not found or int(found.group(1)) < 1:
        raise BadRequest(f"version {text!r}: expected latest, all or N.0 (the bank's version N)")
    return int(found.group(1))


def flow_datasets(session: Session, *, reader: Reader | None, flow_ids: list[str] | None = None) -> list[Dataset]:
    """The datasets `reader` may know exist whose dataflow id is one of `flow_ids` (None: every one),
    by slug; every such dataset when `reader` is None (the caller then asks the gate about it)."""
    query = select(Dataset).join(Organisation, Organisation.id == Dataset.organisation_id)
    if reader is not None:
        query = query.where(visible_datasets(session, reader))
    if flow_ids is not None:
        query = query.where(func.upper(func.replace(Dataset.slug, "-", "_")).in_(flow_ids))
    return list(session.scalars(query.order_by(Dataset.slug)))


def flow_versions(session: Session, dataset: Dataset, version: str | None) -> list[DatasetVersion]:
    """The versions of `dataset` a version text names (NotFound when it names none)."""
    number = version_number(version)
    if number == ALL:
        found = list(session.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id)
                                     .order_by(DatasetVersion.number)))
        if not found:
            raise NotFound(f"dataset {dataset.slug!r} has no version yet")
        return found
    return [find_version(session, dataset, number=number)]


def one_flow(session: Session, *, reader: Reader, flow_id: str) -> Dataset:
    """The dataset of a dataflow id; NotFound when the reader may not know one. Two slugs that differ
    only by '-' and '_' (kz-a and kz_a) share an id: BadRequest names them."""
    found = flow_datasets(session, reader=reader, flow_ids=[flow_id])
    if not found:
        raise NotFound(f"no dataflow {flow_id!r} of agency {AGENCY} that you may read")
    if len(found) > 1:
        raise BadRequest(f"dataflow {flow_id!r} names several datasets ({', '.join(d.slug for d in found)}); "
                         "read them by slug at /api/v1/datasets/{slug}/export")
    return found[0]
