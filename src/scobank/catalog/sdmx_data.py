"""A version's rows as SDMX observations, written as SDMX-CSV 2.0 or SDMX-ML 2.1 structure-specific
data (flat: dimensionAtObservation=AllDimensions), one record batch at a time.

An observation is one row and one measure: its key (a code per dimension, MEASURE's code when there
are several measures), TIME_PERIOD, OBS_VALUE and, when the measure has a status column, OBS_STATUS
(and CONF_STATUS for confidential cells). See scobank.catalog.sdmx_structure for the structure.
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

from scobank.catalog.sdmx_structure import AGENCY, MEASURE, TIME, VALUE, DataStructure

MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


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


def observations(structure: DataStructure, batches: Iterable[pa.RecordBatch]) -> Iterator[Observation]:
    """Every observation of the rows in `batches`, row by row, measure by measure."""
    several = len(structure.measures) > 1
    dims = [d for d in structure.dimensions if d.column is not None]
    time = structure.time.column if structure.time else None
    for batch in batches:
        for row in batch.to_pylist():
            key = [d.codelist.by_value.get(row[d.column], "_X") for d in dims]
            for measure in structure.measures:
                attributes = {}
                status_column = structure.status.get(measure.column)
                marker = row.get(status_column) if status_column else None
                if marker is not None:
                    code = structure.status_codes[status_column].get(marker, "O")
                    attributes = {"OBS_STATUS": "O", "CONF_STATUS": "C"} if code == "C" else {"OBS_STATUS": code}
                yield Observation(key + ([measure.id] if several else []),
                                  time_text(row[time]) if time else None, value_text(row[measure.column]), attributes)


def _component_ids(structure: DataStructure) -> list[str]:
    ids = [d.id for d in structure.dimensions if d.column is not None]
    ids += [MEASURE] if len(structure.measures) > 1 else []
    return ids + ([TIME] if structure.time else [])


def csv_chunks(structure: DataStructure, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    """SDMX-CSV 2.0.0: STRUCTURE, STRUCTURE_ID, ACTION, the dimensions, OBS_VALUE, the attributes."""
    attributes = structure.attributes
    sink = io.StringIO()
    out = csv.writer(sink, lineterminator="\n")
    out.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *_component_ids(structure), VALUE, *attributes])
    prefix = ["dataflow", structure.flow_ref, "I"]
    for n, obs in enumerate(observations(structure, batches), 1):
        key = obs.key + ([obs.time] if structure.time else [])
        out.writerow(prefix + key + [obs.value or ""] + [obs.attributes.get(a, "") for a in attributes])
        if n % 10_000 == 0:
            yield _drain(sink)
    yield _drain(sink)


def _drain(sink: io.StringIO) -> bytes:
    data = sink.getvalue().encode()
    sink.seek(0)
    sink.truncate()
    return data


def header_xml(structure: DataStructure, *, message_id: str) -> str:
    prepared = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    ref = f'<Ref agencyID="{AGENCY}" id="{structure.dsd_id}" version="{structure.version}"/>'
    return (f"<message:Header><message:ID>{message_id}</message:ID><message:Test>false</message:Test>"
            f"<message:Prepared>{prepared}</message:Prepared><message:Sender id={quoteattr(AGENCY)}/>"
            f'<message:Structure structureID="{structure.dsd_id}" namespace={quoteattr(structure.urn)} '
            f'dimensionAtObservation="AllDimensions"><common:Structure>{ref}</common:Structure>'
            "</message:Structure></message:Header>")


def ml_chunks(structure: DataStructure, batches: Iterable[pa.RecordBatch], *, message_id: str) -> Iterator[bytes]:
    """SDMX-ML 2.1 StructureSpecificData, flat (every dimension on each Obs)."""
    ids = _component_ids(structure)
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData xmlns:message="{MESSAGE}" '
           f'xmlns:ss="{SS}" xmlns:common="{COMMON}" xmlns:xsi="{XSI}" xmlns:ns1={quoteattr(structure.urn)}>'
           + header_xml(structure, message_id=message_id)
           + f'<message:DataSet ss:structureRef="{structure.dsd_id}" xsi:type="ns1:DataSetType" '
             'ss:dataScope="DataStructure" action="Information">\n').encode()
    parts: list[str] = []
    for obs in observations(structure, batches):
        values = obs.key + ([obs.time] if structure.time else [])
        attrs = " ".join(f"{i}={quoteattr(v)}" for i, v in zip(ids, values, strict=True))
        attrs += f' {VALUE}="{obs.value if obs.value is not None else "NaN"}"'
        attrs += "".join(f" {k}={quoteattr(v)}" for k, v in obs.attributes.items())
        parts.append(f"<Obs {attrs}/>\n")
        if len(parts) >= 10_000:
            yield "".join(parts).encode()
            parts = []
    parts.append("</message:DataSet></message:StructureSpecificData>\n")
    yield "".join(parts).encode()
