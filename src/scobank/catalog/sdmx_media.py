"""Which SDMX format an HTTP request asks for: the media types of the SDMX 2.1 REST API in the Accept
header (with their q-values and `version`, and SDMX-CSV's `labels`), or a `format` query parameter for
links a browser follows (genericdata, structurespecificdata, csvdata, csvfile, csvfilewithlabels, as
the ECB's and .Stat Suite's services take it). A data query answered in none of them is NotAcceptable.

Formats are named as the export names them: sdmx-generic, sdmx-ml (structure-specific), sdmx-csv."""

from __future__ import annotations

from dataclasses import dataclass

from scobank.catalog.sdmx_data import LABELS
from scobank.errors import NotAcceptable

GENERIC, SPECIFIC, CSV = "sdmx-generic", "sdmx-ml", "sdmx-csv"
DEFAULT_DATA = GENERIC  # SDMX 2.1 REST: generic data unless asked otherwise
# media type -> (format, the `version` parameter it may carry)
DATA_TYPES = {
    "application/vnd.sdmx.genericdata+xml": (GENERIC, "2.1"),
    "application/vnd.sdmx.structurespecificdata+xml": (SPECIFIC, "2.1"),
    "application/vnd.sdmx.data+csv": (CSV, "2.0.0"),
    "text/csv": (CSV, None),
    "application/xml": (DEFAULT_DATA, None),
    "text/xml": (DEFAULT_DATA, None),
    "application/*": (DEFAULT_DATA, None),
    "*/*": (DEFAULT_DATA, None),
}
STRUCTURE_TYPES = ("application/vnd.sdmx.structure+xml", "application/xml", "text/xml", "application/*", "*/*")
FORMAT_PARAMETER = {"genericdata": (GENERIC, "id"), "structurespecificdata": (SPECIFIC, "id"),
                    "csvdata": (CSV, "id"), "csvfile": (CSV, "id"), "csvfilewithlabels": (CSV, "both")}


@dataclass(frozen=True)
class DataFormat:
    name: str  # GENERIC, SPECIFIC or CSV
    labels: str = "id"  # SDMX-CSV: id, name or both


def _ranges(accept: str | None) -> list[tuple[str, dict[str, str]]]:
    """The media ranges of an Accept header, most wanted first (q=0 left out)."""
    ranked = []
    for n, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        values = {k.strip().lower(): v.strip().strip('"') for k, _, v in (p.partition("=") for p in params) if k}
        try:
            q = float(values.pop("q", "1"))
        except ValueError:
            q = 0.0
        if media and q > 0:
            ranked.append((-q, n, media.lower(), values))
    return [(media, values) for _, _, media, values in sorted(ranked)]


def data_format(accept: str | None, *, format: str | None = None, labels: str | None = None) -> DataFormat:
    """The data format asked for; `format` (the query parameter) wins over Accept, `labels` over the
    media type's own labels parameter."""
    if format is not None:
        if format not in FORMAT_PARAMETER:
            raise NotAcceptable(f"format {format!r}: the bank answers {', '.join(FORMAT_PARAMETER)}")
        name, own = FORMAT_PARAMETER[format]
        return DataFormat(name, _labels(labels or own))
    for media, params in _ranges(accept):
        known = DATA_TYPES.get(media)
        if known is None or (known[1] and params.get("version", known[1]) != known[1]):
            continue
        return DataFormat(known[0], _labels(labels or params.get("labels", "id")))
    raise NotAcceptable(f"no SDMX data format the bank writes is acceptable ({accept}); ask for "
                        + ", ".join(f"{m}; version={v}" for m, (_, v) in DATA_TYPES.items() if v))


def _labels(value: str) -> str:
    if value not in LABELS:
        raise NotAcceptable(f"labels {value!r}: expected one of {', '.join(LABELS)}")
    return value


def check_structure_accept(accept: str | None) -> None:
    """A structure query is answered in SDMX-ML 2.1 only."""
    for media, params in _ranges(accept):
        if media in STRUCTURE_TYPES and params.get("version", "2.1") == "2.1":
            return
    raise NotAcceptable(f"structures are answered as application/vnd.sdmx.structure+xml; version=2.1, "
                        f"which {accept!r} does not accept")
