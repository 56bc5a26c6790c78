"""A version's rows as SDMX observations, written as SDMX-CSV 2.0 or SDMX-ML 2.1 structure-specific
data, one record batch at a time (generic data: scobank.catalog.sdmx_generic).

An observation is one row and one measure: its key (a code per dimension, MEASURE's code when there
are several measures), TIME_PERIOD, OBS_VALUE and, when the measure has a status column, OBS_STATUS
(and CONF_STATUS for confidential cells). See scobank.catalog.sdmx_structure for the structure.

`Layout` says how: the dimension at the observation level (TIME_PERIOD: series by the other
dimensions; AllDimensions: flat), the detail (full, dataonly: no attributes; serieskeysonly and nodata:
the series without observations), the measures kept, and SDMX-CSV's labels (id, name, both) in a
language.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.sax.saxutils import quoteattr

import pyarrow as pa

from scobank.catalog.sdmx_series import ALL_DIMENSIONS, component_ids, series_of
from scobank.catalog.sdmx_structure import AGENCY, TIME, VALUE, DataStructure
from scobank.reference.lookup import text_in

MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CHUNK = 10_000  # observations per chunk written
KEYS_ONLY = ("serieskeysonly", "nodata")
LABELS = ("id", "name", "both")  # SDMX-CSV: codes, names, or `code: name`
# The names of the components every structure has, for SDMX-CSV's labels.
COMPONENT_NAMES = {
    TIME: {"en": "Time period", "ru": "Отчётный период", "zh": "时间段"},
    VALUE: {"en": "Observation value", "ru": "Значение наблюдения", "zh": "观测值"},
    "MEASURE": {"en": "Measure", "ru": "Показатель", "zh": "指标"},
    "OBS_STATUS": {"en": "Observation status", "ru": "Статус наблюдения", "zh": "观测状态"},
    "CONF_STATUS": {"en": "Confidentiality status", "ru": "Статус конфиденциальности", "zh": "保密状态"},
}


@dataclass(frozen=True)
class Layout:
    at: str = ALL_DIMENSIONS  # dimensionAtObservation
    detail: str = "full"  # full, dataonly, serieskeysonly, nodata
    measures: frozenset[str] | None = None  # the measures' ids kept (None: all)
    labels: str = "id"  # SDMX-CSV: id, name, both
    lang: str = "en"

    @property
    def attributes(self) -> bool:
        return self.detail == "full"


FLAT = Layout()


@dataclass(frozen=True)
class Observation:
    key: list[str]  # one code per dimension, in order
    time: str | None
    value: str | None  # None: missing
    attributes: dict[str, str]


def time_text(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else str(value)


def value_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return repr(value) if isinstance(value, float) else str(value)


def _status(structure: DataStructure, column: str | None, row: dict) -> dict[str, str]:
    marker = row.get(column) if column else None
    if marker is None:
        return {}
    code = structure.status_codes[column].get(marker, "O")
    return {"OBS_STATUS": "O", "CONF_STATUS": "C"} if code == "C" else {"OBS_STATUS": code}


def observations(structure: DataStructure, batches: Iterable[pa.RecordBatch],
                 layout: Layout = FLAT) -> Iterator[Observation]:
    """Every observation of the rows in `batches`, row by row, measure by measure (the kept ones)."""
    several = len(structure.measures) > 1
    dims = [d for d in structure.dimensions if d.column is not None]
    time = structure.time.column if structure.time else None
    measures = [m for m in structure.measures if layout.measures is None or m.id in layout.measures]
    for batch in batches:
        for row in batch.to_pylist():
            key = [d.codelist.by_value.get(row[d.column], "_X") for d in dims]
            for measure in measures:
                attributes = _status(structure, structure.status.get(measure.column), row) if layout.attributes else {}
                yield Observation(key + ([measure.id] if several else []),
                                  time_text(row[time]) if time else None, value_text(row[measure.column]), attributes)


def _names(structure: DataStructure, layout: Layout) -> dict[str, str]:
    """SDMX-CSV's header text of each component (its id, name, or `ID: name`)."""
    components = {d.id: d.names for d in structure.dimensions if d.column is not None}
    ids = component_ids(structure) + [VALUE, *structure.attributes]
    if layout.labels == "id":
        return {cid: cid for cid in ids}
    return {cid: _label(cid, components.get(cid) or COMPONENT_NAMES.get(cid) or {}, layout) for cid in ids}


def _code_labels(structure: DataStructure, layout: Layout) -> dict[str, dict[str, str]]:
    """component id -> code -> its label, for the coded components (none when labels=id)."""
    if layout.labels == "id":
        return {}
    return {d.id: {code: _label(code, names, layout) for code, names in d.codelist.codes.items()}
            for d in structure.dimensions if d.codelist is not None}


def _label(code: str, names: dict[str, str], layout: Layout) -> str:
    name = text_in(names, layout.lang) or next(iter(names.values()), code)
    return name if layout.labels == "name" else f"{code}: {name}"


def csv_chunks(structure: DataStructure, batches: Iterable[pa.RecordBatch], layout: Layout = FLAT) -> Iterator[bytes]:
    """SDMX-CSV 2.0.0: STRUCTURE, STRUCTURE_ID, ACTION, the dimensions, OBS_VALUE, the attributes (labels
    as asked). serieskeysonly/nodata: one row per series, its key only."""
    attributes = structure.attributes if layout.attributes else []
    keys_only = layout.detail in KEYS_ONLY
    key_ids = [c for c in component_ids(structure) if not (keys_only and c == layout.at)]
    names, labels = _names(structure, layout), _code_labels(structure, layout)
    tail = [] if keys_only else [names[VALUE], *[names[a] for a in attributes]]
    sink = io.StringIO()
    out = csv.writer(sink, lineterminator="\n")
    out.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *[names[c] for c in key_ids], *tail])
    prefix = ["dataflow", structure.flow_ref, "I"]
    obs = observations(structure, batches, layout)
    rows = (([code for _, code in series.key], []) for series in series_of(structure, obs, layout.at)) \
        if keys_only else _csv_rows(structure, obs, attributes)
    for n, (codes, values) in enumerate(rows, 1):
        out.writerow(prefix + [labels.get(c, {}).get(code, code) for c, code in zip(key_ids, codes, strict=True)]
                     + values)
        if n % CHUNK == 0:
            yield _drain(sink)
    yield _drain(sink)


def _csv_rows(structure: DataStructure, obs: Iterable[Observation],
              attributes: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    for o in obs:
        yield o.key + ([o.time] if structure.time else []), [o.value or ""] + [o.attributes.get(a, "") for a in attributes]


def _drain(sink: io.StringIO) -> bytes:
    data = sink.getvalue().encode()
    sink.seek(0)
    sink.truncate()
    return data


def header_xml(structure: DataStructure, *, message_id: str, at: str = ALL_DIMENSIONS,
               namespace: bool = True) -> str:
    prepared = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    ref = f'<Ref agencyID="{AGENCY}" id="{structure.dsd_id}" version="{structure.version}"/>'
    space = f" namespace={quoteattr(structure.urn)}" if namespace else ""
    return (f"<message:Header><message:ID>{message_id}</message:ID><message:Test>false</message:Test>"
            f"<message:Prepared>{prepared}</message:Prepared><message:Sender id={quoteattr(AGENCY)}/>"
            f'<message:Structure structureID="{structure.dsd_id}"{space} '
            f'dimensionAtObservation={quoteattr(at)}><common:Structure>{ref}</common:Structure>'
            "</message:Structure></message:Header>")


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in pairs)


def _obs_xml(obs: Observation, key: list[tuple[str, str]]) -> str:
    value = obs.value if obs.value is not None else "NaN"
    return f"<Obs{_attrs(key)} {VALUE}={quoteattr(value)}{_attrs(obs.attributes.items())}/>"


def _ss_parts(structure: DataStructure, batches: Iterable[pa.RecordBatch], layout: Layout) -> Iterator[str]:
    ids = component_ids(structure)
    obs_iter = observations(structure, batches, layout)
    if layout.at == ALL_DIMENSIONS:
        for obs in obs_iter:
            yield _obs_xml(obs, list(zip(ids, obs.key + ([obs.time] if structure.time else []), strict=True))) + "\n"
        return
    for series in series_of(structure, obs_iter, layout.at):
        if layout.detail in KEYS_ONLY:
            yield f"<Series{_attrs(series.key)}/>\n"
            continue
        yield f"<Series{_attrs(series.key)}>" + "".join(
            _obs_xml(obs, [(layout.at, code)]) for code, obs in series.observations) + "</Series>\n"


def ml_chunks(structure: DataStructure, batches: Iterable[pa.RecordBatch], *, message_id: str,
              layout: Layout = FLAT) -> Iterator[bytes]:
    """SDMX-ML 2.1 StructureSpecificData: flat (AllDimensions: every dimension on each Obs) or in series."""
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData xmlns:message="{MESSAGE}" '
           f'xmlns:ss="{SS}" xmlns:common="{COMMON}" xmlns:xsi="{XSI}" xmlns:ns1={quoteattr(structure.urn)}>'
           + header_xml(structure, message_id=message_id, at=layout.at)
           + f'<message:DataSet ss:structureRef="{structure.dsd_id}" xsi:type="ns1:DataSetType" '
             'ss:dataScope="DataStructure" action="Information">\n').encode()
    yield from chunked(_ss_parts(structure, batches, layout))
    yield b"</message:DataSet></message:StructureSpecificData>\n"


def chunked(parts: Iterable[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    for part in parts:
        buffer.append(part)
        if len(buffer) >= CHUNK:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()
