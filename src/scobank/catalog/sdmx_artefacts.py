"""Structure queries of the SDMX 2.1 REST API: `/{kind}/{agency}/{id}/{version}` for the kinds dataflow,
datastructure, codelist and conceptscheme, with `references` (none, parents, parentsandsiblings,
children, descendants, all, or a kind) and `detail` (full, allstubs, referencestubs, ...).

Each dataset version is one dataflow DFLOW (DSD_FLOW, CS_FLOW, CL_FLOW_DIMENSION: scobank.catalog.
sdmx_structure). Dataflows and DSDs are the dataset's metadata (the gate's METADATA); a codelist in full
lists the values of its dimension, so it needs rows (QUERY, not aggregates only), as
/datasets/{slug}/sdmx/structure does. Asking for every artefact skips the datasets the reader may not
read that way; naming one answers why not. Every answer is ledgered."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import Grant, authorize
from scobank.access.reader import Action, Reader
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.refs import ref_of
from scobank.catalog.sdmx import STRUCTURE_MEDIA_TYPE, StructureMessage
from scobank.catalog.sdmx_flows import ALL, check_agency, flow_datasets, flow_versions, version_number
from scobank.catalog.sdmx_ml import (
    CODELIST,
    CONCEPTSCHEME,
    DATAFLOW,
    DATASTRUCTURE,
    KINDS,
    Selected,
    StubUrl,
    codelist_message,
    status_codelists,
    structure_message,
)
from scobank.catalog.sdmx_structure import AGENCY, STATUS_LISTS_VERSION, DataStructure, data_structure
from scobank.errors import AccessDenied, BadRequest, NotFound, ScobankError, TooLarge
from scobank.lake.engine import get_engine

PREFIX = {DATAFLOW: "", DATASTRUCTURE: "DSD_", CONCEPTSCHEME: "CS_", CODELIST: "CL_"}
CHILDREN = {DATAFLOW: {DATASTRUCTURE}, DATASTRUCTURE: {CODELIST, CONCEPTSCHEME}, CODELIST: set(), CONCEPTSCHEME: set()}
PARENTS = {DATAFLOW: set(), DATASTRUCTURE: {DATAFLOW}, CODELIST: {DATASTRUCTURE}, CONCEPTSCHEME: {DATASTRUCTURE}}
REFERENCES = ("none", "parents", "parentsandsiblings", "children", "descendants", "all", *KINDS)
DETAILS = ("full", "allstubs", "referencestubs", "allcompletestubs", "referencecompletestubs", "referencepartial")
MAX_CODED_FLOWS = 50  # dataflows whose codelists one answer reads in full


def _descendants(kind: str) -> set[str]:
    found = set(CHILDREN[kind])
    for child in CHILDREN[kind]:
        found |= _descendants(child)
    return found


def related(kind: str, references: str) -> set[str]:
    """The kinds of artefact an answer about `kind` adds for `references` (SDMX REST 2.1)."""
    if references not in REFERENCES:
        raise BadRequest(f"references {references!r}: expected one of {', '.join(REFERENCES)}")
    parents = PARENTS[kind]
    siblings = parents | {k for p in parents for k in CHILDREN[p]}
    everything = siblings | _descendants(kind)
    by_name = {"none": set(), "parents": parents, "parentsandsiblings": siblings, "children": CHILDREN[kind],
               "descendants": _descendants(kind), "all": everything}
    return by_name.get(references, {references} & everything)


def _stubs(kind: str, kinds: set[str], detail: str) -> frozenset[str]:
    if detail not in DETAILS:
        raise BadRequest(f"detail {detail!r}: expected one of {', '.join(DETAILS)}")
    if detail in ("allstubs", "allcompletestubs"):
        return frozenset(kinds)
    if detail in ("referencestubs", "referencecompletestubs"):
        return frozenset(kinds - {kind})
    return frozenset()


def _flow_ids(kind: str, resource_id: str | None) -> list[str] | None:
    """The dataflow ids an artefact id can belong to (None: every dataflow)."""
    if resource_id in (None, ALL):
        return None
    prefix = PREFIX[kind]
    if not resource_id.startswith(prefix) or len(resource_id) == len(prefix):
        return []
    rest = resource_id[len(prefix):]
    if kind != CODELIST:
        return [rest]
    parts = rest.split("_")  # CL_KZ_INDUSTRY_REGION: the flow is KZ, KZ_INDUSTRY or KZ_INDUSTRY_REGION's prefix
    return ["_".join(parts[:n]) for n in range(1, len(parts))]


def _grant(session: Session, reader: Reader, dataset: Dataset, codes: bool, purpose: str | None) -> Grant:
    grant = authorize(session, reader=reader, dataset=ref_of(session, dataset),
                      action=Action.QUERY if codes else Action.METADATA, purpose=purpose)
    if codes and grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {dataset.slug!r} is available as aggregates only; its codelists list "
                           "every value of its dimensions")
    return grant


def _shapes(session: Session, dataset: Dataset, version: str | None, kind: str,
            resource_id: str | None) -> list[tuple[DatasetVersion, DataStructure]]:
    """The versions of `dataset` named and their structures without codes (nothing read from the lake),
    those holding the artefact `resource_id` when one is named."""
    shapes = [(v, data_structure(session, dataset=dataset, version=v, engine=None, codes=False))
              for v in flow_versions(session, dataset, version)]
    if resource_id not in (None, ALL) and kind != DATAFLOW:
        shapes = [(v, s) for v, s in shapes if resource_id in _ids_of(kind, s)]
    return shapes


def _structures(session: Session, *, reader: Reader, datasets: list[Dataset], version: str | None, kind: str,
                resource_id: str | None, codes: bool, purpose: str | None) -> list[tuple]:
    """(dataset, version, grant, structure) of each version answering. For an artefact named by id, a
    refusal (or a version without numbers) is raised; for every artefact, such datasets are skipped."""
    named = resource_id not in (None, ALL)
    exact = named and kind != CODELIST  # a codelist id's dataflow is one of its prefixes
    if codes and not named and len(datasets) > MAX_CODED_FLOWS:
        raise TooLarge(f"the codelists of {len(datasets):,} dataflows are more than one answer reads "
                       f"({MAX_CODED_FLOWS}); name a dataflow, or ask with references=none or detail=allstubs")
    engine = get_engine() if codes else None
    found = []
    for dataset in datasets:
        try:
            shapes = _shapes(session, dataset, version, kind, resource_id)
        except ScobankError:
            if exact:
                raise
            continue
        try:
            grant = _grant(session, reader, dataset, codes, purpose) if shapes else None
        except ScobankError:
            if named:
                raise
            continue
        for ver, shape in shapes:
            if codes:
                shape = data_structure(session, dataset=dataset, version=ver, engine=engine, codes=True)
            found.append((dataset, ver, grant, shape))
    return found


def _ledger(session: Session, reader: Reader, found: list, *, codes: bool, named: bool) -> None:
    if not codes and not named:
        ledger.record(session, actor=reader, action="list", rows=len(found), detail={"format": "sdmx-structure"})
        return
    for dataset, ver, grant, structure in found:
        rows = sum(len(d.codelist.codes) for d in structure.dimensions if d.codelist) if codes else None
        ledger.record(session, actor=reader, action="query" if codes else "metadata", dataset_id=dataset.id,
                      version_id=ver.id, purpose=grant.purpose, agreement_id=grant.agreement_id, rows=rows,
                      detail={"format": "sdmx-structure"})


def _status_lists(resource_id: str, version: str | None) -> StructureMessage:
    if version_number(version) not in (None, ALL, 1):
        raise NotFound(f"codelist {resource_id} has only version {STATUS_LISTS_VERSION}")
    lists = [c for c in status_codelists() if c.id == resource_id]
    return _message(codelist_message(lists, STATUS_LISTS_VERSION, message_id=_message_id(resource_id)), resource_id)


def _message_id(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:12]}"


def _message(body: bytes, name: str) -> StructureMessage:
    return StructureMessage(f"{name.lower()}.structure.xml", STRUCTURE_MEDIA_TYPE, body)


def structure_query(session: Session, *, reader: Reader, kind: str, agency: str | None = None,
                    resource_id: str | None = None, version: str | None = None, references: str = "none",
                    detail: str = "full", stub_url: StubUrl | None = None,
                    purpose: str | None = None) -> StructureMessage:
    """The SDMX-ML 2.1 structure message answering `/{kind}/{agency}/{resource_id}/{version}`.

    NotFound when nothing matches (an artefact of a dataset the reader may not know is absent too);
    AccessDenied (named artefact) when its codelists are asked and the reader may not read rows;
    BadRequest for an unknown kind, references or detail, or a version text that is none of latest,
    all, N.0; TooLarge when more than MAX_CODED_FLOWS dataflows' codelists would be read."""
    if kind not in KINDS:
        raise BadRequest(f"structure {kind!r}: the bank answers {', '.join(KINDS)}")
    check_agency(agency)
    if kind == CODELIST and resource_id in {c.id for c in status_codelists()}:
        return _status_lists(resource_id, version)
    kinds = related(kind, references) | {kind}
    stubs = _stubs(kind, kinds, detail)
    codes = CODELIST in kinds and CODELIST not in stubs
    flow_ids = _flow_ids(kind, resource_id)
    named = flow_ids is not None
    datasets = flow_datasets(session, reader=reader, flow_ids=flow_ids) if flow_ids != [] else []
    found = _structures(session, reader=reader, datasets=datasets, version=version, kind=kind,
                        resource_id=resource_id, codes=codes, purpose=purpose)
    if not found:
        what = f"{kind} {resource_id}" if named else f"{kind} that you may read"
        raise NotFound(f"no {what} of agency {AGENCY}" + (f" in version {version}" if version not in (None, "latest") else ""))
    _ledger(session, reader, found, codes=codes, named=named)
    only = frozenset({resource_id}) if kind == CODELIST and named and CODELIST not in related(kind, references) else None
    selected = [Selected(s, frozenset(kinds), stubs, only) for *_, s in found]
    name = resource_id if named else f"{kind}s"
    return _message(structure_message(selected, message_id=_message_id(name), stub_url=stub_url), name)


def _ids_of(kind: str, structure: DataStructure) -> set[str]:
    if kind == DATASTRUCTURE:
        return {structure.dsd_id}
    if kind == CONCEPTSCHEME:
        return {structure.concept_scheme_id}
    return set(structure.codelist_ids)
