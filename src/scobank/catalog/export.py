"""Export of a version, streamed, through the gate and into the ledger: every row, or the rows that
match filters, with the columns asked for; as csv (its dialect: delimiter, decimal mark, BOM), xlsx,
parquet, json, ndjson, or SDMX (sdmx-csv: SDMX-CSV 2.0; sdmx-ml: SDMX-ML 2.1 structure-specific data;
sdmx-generic: SDMX-ML 2.1 generic data; all flat, every dimension on each observation; the structure is
`scobank.catalog.sdmx.sdmx_structure`; series, keys and periods: the SDMX REST API, scobank.catalog.
sdmx_query)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Action, Reader
from scobank.catalog import sdmx_data
from scobank.access.gate import Grant
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.sdmx_generic import generic_chunks
from scobank.catalog.sdmx_structure import DataStructure, data_structure
from scobank.catalog.versions import resolve_version
from scobank.errors import AccessDenied, BadRequest, TooLarge
from scobank.lake import export as writers
from scobank.lake.engine import get_engine, open_engine
from scobank.lake.query import Filter, narrow
from scobank.lake.store import path_for

SDMX_FORMATS = {
    "sdmx-csv": ("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", "sdmx.csv"),
    "sdmx-ml": ("application/vnd.sdmx.structurespecificdata+xml; version=2.1", "sdmx.xml"),
    "sdmx-generic": ("application/vnd.sdmx.genericdata+xml; version=2.1", "sdmx-generic.xml"),
}
FORMATS = {**writers.FORMATS, **SDMX_FORMATS}


@dataclass
class ExportStream:
    filename: str
    media_type: str
    rows: int
    chunks: Iterator[bytes]  # consume once; the engine it uses closes at the end


@dataclass(frozen=True)
class Selection:
    """What part of a version is exported: the columns (all when empty) of the rows matching `filters`."""

    columns: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()

    @classmethod
    def parse(cls, *, columns: list[str] | None = None, filters: list[str] | None = None) -> Selection:
        """From text forms: columns=a,b (or repeated), filter=COL:OP:VALUES (repeated)."""
        names = tuple(c.strip() for item in columns or [] for c in item.split(",") if c.strip())
        return cls(columns=names, filters=tuple(Filter.parse(f) for f in filters or []))

    def describe(self) -> dict:
        return {"columns": list(self.columns), "filters": [f.model_dump(mode="json") for f in self.filters]}


def check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise BadRequest(f"export format {fmt!r} is not offered; choose one of {', '.join(FORMATS)}")
    return fmt


def exportable_version(session: Session, *, slug: str, reader: Reader, version: int | None = None,
                       as_of: datetime | None = None, purpose: str | None = None) -> tuple[Dataset, DatasetVersion, Grant]:
    """The gate's answer for exporting a version's rows: AccessDenied unless the reader may export full
    rows (not "no re-export", not aggregates only)."""
    dataset, ver, grant = resolve_version(session, slug=slug, reader=reader, action=Action.EXPORT,
                                          number=version, as_of=as_of, purpose=purpose)
    if not grant.may_export:
        raise AccessDenied(f"dataset {slug!r} may be queried but not exported (no re-export)")
    if grant.aggregates_only_k is not None:
        raise AccessDenied(f"dataset {slug!r} is available as aggregates only; use the query with group_by")
    return dataset, ver, grant


def export_dataset(session: Session, *, slug: str, reader: Reader, fmt: str, version: int | None = None,
                   as_of: datetime | None = None, purpose: str | None = None,
                   selection: Selection | None = None, dialect: writers.CsvDialect | None = None,
                   labels: str = "id", lang: str | None = None) -> ExportStream:
    """The rows of one version (default: newest) in `fmt`; `selection` narrows rows and columns.

    Needs Action.EXPORT and a Grant with may_export and full rows; an aggregates-only or
    "no re-export" dataset raises AccessDenied saying so. BadRequest names an unknown column or a filter
    value that does not fit. sdmx-csv names its codes as `labels` asks (id, name, both; names in `lang`).
    The ledger entry (rows, cells, format, selection) is written before the
    first byte. Unnarrowed Parquet is the lake object itself (its sha256 is the version's content hash)."""
    fmt = check_format(fmt)
    selection = selection or Selection()
    dataset, ver, grant = exportable_version(session, slug=slug, reader=reader, version=version, as_of=as_of,
                                             purpose=purpose)
    if fmt in SDMX_FORMATS and selection.columns:
        raise BadRequest(f"{fmt} carries the columns of the dataset's data structure; filter its rows, "
                         "leave out columns")
    engine = get_engine()
    narrowed = narrow(engine.table(ver.content_hash), columns=list(selection.columns),
                      filters=list(selection.filters))
    rows = int(engine.to_arrow(narrowed.count().as_table()).column(0)[0].as_py()) if selection.filters \
        else ver.row_count
    if fmt == "xlsx" and rows > writers.XLSX_MAX_ROWS:
        raise TooLarge(f"{rows:,} rows do not fit a worksheet ({writers.XLSX_MAX_ROWS:,}); narrow them with "
                       "filters or choose csv or parquet")
    structure = data_structure(session, dataset=dataset, version=ver, engine=engine) if fmt in SDMX_FORMATS else None
    width = len(selection.columns) or len((ver.table_schema or {}).get("fields") or [])
    ledger.record(session, actor=reader, action="export", dataset_id=dataset.id, version_id=ver.id,
                  purpose=grant.purpose, agreement_id=grant.agreement_id, rows=rows,
                  cells=rows * width if width else None, detail={"format": fmt, **selection.describe()})
    media_type, ext = FORMATS[fmt]
    whole = not selection.columns and not selection.filters
    if fmt == "parquet" and whole:
        chunks = writers.file_chunks(path_for(ver.content_hash))
    else:
        layout = sdmx_data.Layout(labels=check_labels(labels), lang=lang or "en")
        chunks = _chunks(ver, fmt, selection, dialect, structure, slug=dataset.slug, layout=layout)
    return ExportStream(f"{dataset.slug}-v{ver.number}.{ext}", media_type, rows, chunks)


def check_labels(labels: str) -> str:
    if labels not in sdmx_data.LABELS:
        raise BadRequest(f"labels {labels!r}: expected one of {', '.join(sdmx_data.LABELS)}")
    return labels


def _chunks(version: DatasetVersion, fmt: str, selection: Selection, dialect: writers.CsvDialect | None,
            structure: DataStructure | None, *, slug: str, layout: sdmx_data.Layout) -> Iterator[bytes]:
    with open_engine() as engine:
        expr = narrow(engine.table(version.content_hash), columns=list(selection.columns),
                      filters=list(selection.filters))
        batches = engine.to_batches(expr)
        if fmt == "csv":
            yield from writers.csv_chunks(batches, dialect)
        elif fmt == "sdmx-csv":
            yield from sdmx_data.csv_chunks(structure, batches, layout)
        elif fmt == "sdmx-ml":
            yield from sdmx_data.ml_chunks(structure, batches, message_id=f"{slug}-{uuid.uuid4().hex[:12]}")
        elif fmt == "sdmx-generic":
            yield from generic_chunks(structure, batches, message_id=f"{slug}-{uuid.uuid4().hex[:12]}",
                                      layout=sdmx_data.FLAT)
        else:
            yield from writers.stream(fmt, batches)
