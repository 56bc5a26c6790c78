"""File formats ingestion reads, as a plain list: the first reader whose `accepts(path)` is true wins.

Each reader registers the file's rows in a DuckDB connection as the view `raw` (one VARCHAR column per
source column, original names, in file order, so that `rowid`-like order is the file's row order) and
returns a `RawTable`. Rows are streamed by DuckDB, never loaded into Python (except for
spreadsheets and HTML pages, whose table is found in the grid of cells and written to Parquet).
"""

from __future__ import annotations

from pathlib import Path

from scobank.errors import UnsupportedFormat
from scobank.ingest.readers.base import RawTable, Reader
from scobank.ingest.readers.csv import CsvReader
from scobank.ingest.readers.json import JsonReader
from scobank.ingest.readers.parquet import ParquetReader
from scobank.ingest.readers.html import HtmlReader
from scobank.ingest.readers.sdmx_csv import SdmxCsvReader
from scobank.ingest.readers.sdmx_ml import SdmxMlReader
from scobank.ingest.readers.sheet import SheetReader

# Content before names: a Parquet or spreadsheet file is known by its magic bytes and an HTML page
# by its first tags, whatever it is called (.asp, .xls saved as HTML).
READERS: list[Reader] = [ParquetReader(), SheetReader(), SdmxMlReader(), HtmlReader(), JsonReader(), SdmxCsvReader(),
                         CsvReader()]

__all__ = ["READERS", "RawTable", "Reader", "reader_for"]


def reader_for(path: Path, *, name: str) -> Reader:
    """The first reader that accepts `path`; UnsupportedFormat names the file and the formats tried."""
    for reader in READERS:
        if reader.accepts(path, name=name):
            return reader
    tried = ", ".join(r.label for r in READERS)
    raise UnsupportedFormat(f"{name}: not a format the bank reads (tried {tried})")
