"""Data queries of the SDMX 2.1 REST API: `/data/{flowRef}/{key}/{providerRef}` with startPeriod,
endPeriod, dimensionAtObservation and detail, answered as generic data, structure-specific data or
SDMX-CSV 2.0 (scobank.catalog.sdmx_media chooses), streamed.

A data query is an export of the version's rows (the gate's EXPORT, full rows, export allowed), ledgered
with the key and periods asked before the first byte. A key names codes of the dataflow's codelists;
codes it does not hold, like a query that matches nothing, answer 404 (SDMX's "no results found")."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import ibis
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.catalog import sdmx_data, sdmx_periods
from scobank.catalog.export import SDMX_FORMATS, ExportStream, exportable_version
from scobank.catalog.models import Dataset, DatasetVersion, Organisation
from scobank.catalog.sdmx_flows import ALL, FlowRef, flow_datasets, one_flow, version_number
from scobank.catalog.sdmx_generic import generic_chunks
from scobank.catalog.sdmx_media import CSV, GENERIC, DataFormat
from scobank.catalog.sdmx_series import ALL_DIMENSIONS, observation_dimension, sort_columns
from scobank.catalog.sdmx_structure import AGENCY, DataStructure, data_structure, flow_id_of
from scobank.errors import BadRequest, NotFound
from scobank.lake.engine import get_engine, open_engine


@dataclass(frozen=True)
class OneOf:
    """Rows whose `column` holds one of `values` (None among them: a missing value)."""

    column: str
    values: tuple

    def condition(self, table: ibis.Table) -> ibis.BooleanValue:
        col = table[self.column]
        present = [v for v in self.values if v is not None]
        test = col.isin(present) if present else ibis.literal(False)
        return test | col.isnull() if None in self.values else test


def key_conditions(structure: DataStructure, key: str | None) -> tuple[list[OneOf], frozenset[str] | None]:
    """The conditions a key puts on the rows, and the measures it keeps (None: all). BadRequest when it
    has the wrong number of parts; NotFound when a part names no code of its dimension."""
    dims = structure.dimensions
    if key in (None, "", ALL):
        return [], None
    parts = key.split(".")
    if len(parts) != len(dims):
        raise BadRequest(f"key {key!r} has {len(parts)} part{'s' if len(parts) != 1 else ''}; dataflow "
                         f"{structure.flow_id}'s has {len(dims)}: {'.'.join(d.id for d in dims)} "
                         "(codes joined by '+', an empty part for every code)")
    conditions, measures = [], None
    for dim, part in zip(dims, parts, strict=True):
        if not part:
            continue
        codes = part.split("+")
        known = [c for c in codes if c in dim.codelist.codes]
        if not known:
            raise NotFound(f"no observations: {dim.id} has no code {' or '.join(codes)} in dataflow "
                           f"{structure.flow_id} (version {structure.version})")
        if dim.column is None:
            measures = frozenset(known)
        else:
            by_code = dim.codelist.values_by_code()
            conditions.append(OneOf(dim.column, tuple(by_code[c] for c in known)))
    return conditions, measures


def _check_provider(session: Session, dataset: Dataset, provider_ref: str | None) -> None:
    """A provider reference is all, or the publishing organisation (AGENCY,ORG or ORG); else NotFound."""
    if provider_ref in (None, "", ALL):
        return
    *agency, provider = [p.strip() for p in provider_ref.split(",")]
    org = session.get(Organisation, dataset.organisation_id)
    if agency not in ([], [AGENCY], [ALL]) or provider not in (ALL, flow_id_of(org.slug)):
        raise NotFound(f"no observations: the data of dataflow {flow_id_of(dataset.slug)} are provided "
                       f"by {AGENCY},{flow_id_of(org.slug)}, not {provider_ref}")


@dataclass(frozen=True)
class Narrowing:
    conditions: tuple  # OneOf and sdmx_periods.Within
    order: tuple[str, ...]

    def apply(self, table: ibis.Table) -> ibis.Table:
        if self.conditions:
            table = table.filter([c.condition(table) for c in self.conditions])
        return table.order_by(list(self.order)) if self.order else table


def _narrowing(structure: DataStructure, version: DatasetVersion, *, key: str | None, start: str | None,
               end: str | None, at: str) -> tuple[Narrowing, frozenset[str] | None]:
    conditions, measures = key_conditions(structure, key)
    period = (sdmx_periods.parse("startPeriod", start), sdmx_periods.parse("endPeriod", end))
    if any(period) and structure.time is None:
        raise BadRequest(f"dataflow {structure.flow_id} has no TIME_PERIOD to take startPeriod or endPeriod")
    if any(period):
        conditions.append(sdmx_periods.within(get_engine(), version.content_hash, structure.time.column,
                                              period[0] and period[0][0], period[1] and period[1][1]))
    return Narrowing(tuple(conditions), tuple(sort_columns(structure, at))), measures


def data_query(session: Session, *, reader: Reader, flow_ref: str, fmt: DataFormat, key: str | None = None,
               provider_ref: str | None = None, start_period: str | None = None, end_period: str | None = None,
               dimension_at_observation: str | None = None, detail: str = "full", lang: str | None = None,
               purpose: str | None = None) -> ExportStream:
    """The observations a data query asks for, streamed in `fmt`.

    NotFound: no such dataflow for this reader, a code the dataflow does not hold, or nothing matches;
    AccessDenied: the reader may not export the dataset's rows; BadRequest: a malformed flow reference,
    key, period, dimensionAtObservation, or series keys asked of AllDimensions."""
    ref = FlowRef.parse(flow_ref)
    number = version_number(ref.version)
    if number == ALL:
        raise BadRequest("a data query reads one version: latest or N.0")
    dataset, ver, grant = _exportable_flow(session, reader=reader, flow_id=ref.flow_id, version=number,
                                           purpose=purpose)
    _check_provider(session, dataset, provider_ref)
    engine = get_engine()
    structure = data_structure(session, dataset=dataset, version=ver, engine=engine)
    at = observation_dimension(structure, dimension_at_observation)
    if detail in sdmx_data.KEYS_ONLY and at == ALL_DIMENSIONS:
        raise BadRequest(f"detail={detail} lists series keys; with dimensionAtObservation={ALL_DIMENSIONS} "
                         "there are no series")
    narrowing, measures = _narrowing(structure, ver, key=key, start=start_period, end=end_period, at=at)
    rows = int(engine.to_arrow(narrowing.apply(engine.table(ver.content_hash)).count().as_table())
               .column(0)[0].as_py())
    if rows == 0:
        raise NotFound(f"no observations of dataflow {structure.flow_id} match the query")
    ledger.record(session, actor=reader, action="export", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id, rows=rows,
                  detail={"format": fmt.name, "sdmx": {"key": key or ALL, "startPeriod": start_period,
                                                       "endPeriod": end_period, "dimensionAtObservation": at,
                                                       "detail": detail}})
    layout = sdmx_data.Layout(at=at, detail=detail, measures=measures, labels=fmt.labels, lang=lang or "en")
    media_type, ext = SDMX_FORMATS[fmt.name]
    chunks = _chunks(ver, structure, narrowing, layout, fmt.name, message_id=f"{dataset.slug}-{uuid.uuid4().hex[:12]}")
    return ExportStream(f"{dataset.slug}-v{ver.number}.{ext}", media_type, rows, chunks)


def _exportable_flow(session: Session, *, reader: Reader, flow_id: str, version, purpose: str | None):
    """The gate's answer for exporting a dataflow's version, as /export gives it: a refusal lands in the
    ledger (its owner sees the probe); a dataset the reader may not know answers exactly as a dataflow
    that does not exist."""
    every = flow_datasets(session, reader=None, flow_ids=[flow_id])
    found = every[0] if len(every) == 1 else one_flow(session, reader=reader, flow_id=flow_id)
    try:
        return exportable_version(session, slug=found.slug, reader=reader, version=version, purpose=purpose)
    except NotFound as exc:
        if flow_datasets(session, reader=reader, flow_ids=[flow_id]):
            raise
        masked = NotFound(f"no dataflow {flow_id!r} of agency {AGENCY} that you may read")
        masked.refusal = getattr(exc, "refusal", None)  # the gate's refusal is still ledgered
        raise masked from None


def _chunks(version: DatasetVersion, structure: DataStructure, narrowing: Narrowing, layout: sdmx_data.Layout,
            fmt: str, *, message_id: str) -> Iterator[bytes]:
    with open_engine() as engine:
        batches = engine.to_batches(narrowing.apply(engine.table(version.content_hash)))
        if fmt == CSV:
            yield from sdmx_data.csv_chunks(structure, batches, layout)
        elif fmt == GENERIC:
            yield from generic_chunks(structure, batches, message_id=message_id, layout=layout)
        else:
            yield from sdmx_data.ml_chunks(structure, batches, message_id=message_id, layout=layout)
