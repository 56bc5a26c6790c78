"""SDMX-ML 2.1 generic data: the observations of scobank.catalog.sdmx_data with every component named
by id (generic:Value id=... value=...), readable without the structure. In series (SeriesKey, then each
Obs with its ObsDimension) or flat (AllDimensions: each Obs with its ObsKey), as `Layout` says."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.sax.saxutils import quoteattr

import pyarrow as pa

from scobank.catalog.sdmx_data import COMMON, KEYS_ONLY, MESSAGE, Layout, Observation, chunked, header_xml, observations
from scobank.catalog.sdmx_series import ALL_DIMENSIONS, component_ids, series_of
from scobank.catalog.sdmx_structure import DataStructure

GENERIC = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"


def _values(tag: str, pairs: Iterable[tuple[str, str]]) -> str:
    inner = "".join(f"<generic:Value id={quoteattr(k)} value={quoteattr(v)}/>" for k, v in pairs)
    return f"<generic:{tag}>{inner}</generic:{tag}>" if inner else ""


def _obs(obs: Observation, head: str) -> str:
    value = obs.value if obs.value is not None else "NaN"
    return (f"<generic:Obs>{head}<generic:ObsValue value={quoteattr(value)}/>"
            f"{_values('Attributes', obs.attributes.items())}</generic:Obs>")


def _parts(structure: DataStructure, batches: Iterable[pa.RecordBatch], layout: Layout) -> Iterator[str]:
    ids = component_ids(structure)
    found = observations(structure, batches, layout)
    if layout.at == ALL_DIMENSIONS:
        for obs in found:
            key = zip(ids, obs.key + ([obs.time] if structure.time else []), strict=True)
            yield _obs(obs, _values("ObsKey", key)) + "\n"
        return
    for series in series_of(structure, found, layout.at):
        key = _values("SeriesKey", series.key)
        if layout.detail in KEYS_ONLY:
            yield f"<generic:Series>{key}</generic:Series>\n"
            continue
        yield f"<generic:Series>{key}" + "".join(
            _obs(obs, f"<generic:ObsDimension value={quoteattr(code)}/>") for code, obs in series.observations
        ) + "</generic:Series>\n"


def generic_chunks(structure: DataStructure, batches: Iterable[pa.RecordBatch], *, message_id: str,
                   layout: Layout) -> Iterator[bytes]:
    """The whole GenericData message, streamed."""
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<message:GenericData xmlns:message="{MESSAGE}" '
           f'xmlns:generic="{GENERIC}" xmlns:common="{COMMON}">'
           + header_xml(structure, message_id=message_id, at=layout.at, namespace=False)
           + f'<message:DataSet structureRef="{structure.dsd_id}" action="Information">\n').encode()
    yield from chunked(_parts(structure, batches, layout))
    yield b"</message:DataSet></message:GenericData>\n"
