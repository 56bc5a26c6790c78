"""Streaming a query result as CSV, NDJSON, JSON or Parquet bytes.

Each writer takes a RecordBatchReader and yields byte chunks, one (or a few) per record batch, so
memory stays bounded by the batch size whatever the number of rows. CSV goes through Arrow's CSV
writer; NDJSON and JSON encode one batch at a time; Parquet is written batch by batch into a
spooled buffer that is drained after every row group (the footer comes last).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from scobank.errors import BadRequest

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "ndjson": ("application/x-ndjson", "ndjson"),
    "json": ("application/json", "json"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
XLSX_MAX_ROWS = 1_048_575  # a worksheet's rows, less the header
# Readers whose spreadsheet expects ';' between fields and ',' in numbers (Excel in ru-RU, kk-KZ).
COMMA_DECIMAL_LANGS = ("ru", "kk")
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class CsvDialect:
    """How CSV is written: `delimiter` "," or ";", `decimal` "." or ",", `bom` (UTF-8 byte order mark,
    so Excel reads Cyrillic and Chinese as such)."""

    delimiter: str = ","
    decimal: str = "."
    bom: bool = False

    @classmethod
    def for_reader(cls, *, lang: str | None = None, delimiter: str | None = None, decimal: str | None = None,
                   bom: bool | None = None) -> CsvDialect:
        """What is asked, the rest by the reader's language: ru and kk get ';', ',' and a BOM."""
        local = (lang or "").split("-")[0].lower() in COMMA_DECIMAL_LANGS
        dialect = cls(delimiter=delimiter or (";" if local else ","), decimal=decimal or ("," if local else "."),
                      bom=local if bom is None else bom)
        if dialect.delimiter not in (",", ";", "\t") or dialect.decimal not in (".", ","):
            raise BadRequest(f"CSV: delimiter must be ',', ';' or tab and decimal '.' or ','; got "
                             f"{dialect.delimiter!r} and {dialect.decimal!r}")
        if dialect.delimiter == dialect.decimal:
            raise BadRequest(f"CSV: the delimiter and the decimal mark cannot both be {dialect.delimiter!r}")
        return dialect


def check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise BadRequest(f"export format {fmt!r} is not offered; choose one of {', '.join(FORMATS)}")
    return fmt


def stream(fmt: str, reader: pa.RecordBatchReader) -> Iterator[bytes]:
    writers: dict[str, Callable[[pa.RecordBatchReader], Iterator[bytes]]] = {
        "csv": csv_chunks, "ndjson": ndjson_chunks, "json": json_chunks, "parquet": parquet_chunks,
        "xlsx": xlsx_chunks,
    }
    return writers[check_format(fmt)](reader)


# OWASP CSV injection: a text cell a spreadsheet would read as a formula (or a DDE call) starts with one
# of these; such a cell is written with a leading apostrophe. Numbers stay numbers (-5 in a numeric
# column is not text); Parquet, NDJSON and JSON keep the raw value.
FORMULA_START = r"^([=+\-@\t\r])"


def neutralise_formulas(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with every text cell that starts like a formula prefixed by an apostrophe."""
    columns = []
    for column in batch.columns:
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = pc.replace_substring_regex(column, pattern=FORMULA_START, replacement="'\\1", max_replacements=1)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def csv_chunks(reader: pa.RecordBatchReader, dialect: CsvDialect | None = None) -> Iterator[bytes]:
    dialect = dialect or CsvDialect()
    options = pacsv.WriteOptions(delimiter=dialect.delimiter)
    sink = io.BytesIO()
    if dialect.bom:
        sink.write(BOM)
    writer = None
    for batch in reader:
        batch = _decimal_commas(neutralise_formulas(batch)) if dialect.decimal == "," else neutralise_formulas(batch)
        writer = writer or pacsv.CSVWriter(sink, batch.schema, write_options=options)
        writer.write_batch(batch)
        yield _drain(sink)
    if writer is None:  # no rows: the header alone
        writer = pacsv.CSVWriter(sink, neutralise_formulas(_empty_batch(reader.schema)).schema, write_options=options)
    writer.close()
    yield _drain(sink)


def _decimal_commas(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Floating and decimal columns written with a decimal comma ("1234,5"; no grouping)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_floating(column.type) or pa.types.is_decimal(column.type):
            column = pc.replace_substring(pc.cast(column, pa.string()), pattern=".", replacement=",")
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def xlsx_chunks(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    """One worksheet (openpyxl's write-only mode), the header in bold; text that starts like a formula is
    written as text. The zip is complete only at the end, so it is spooled and then read out."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    bold = Font(bold=True)
    header = []
    for name in reader.schema.names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for batch in reader:
        for row in batch.to_pylist():
            sheet.append([_xlsx_value(sheet, v) for v in row.values()])
    with tempfile.SpooledTemporaryFile(max_size=64 << 20) as spool:
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            yield chunk


def _xlsx_value(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula
        return cell
    return value


def _empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)


def _drain(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data


def _default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot encode {type(value).__name__}")


def _clean(value: object) -> object:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _json_lines(batch: pa.RecordBatch) -> list[str]:
    return [json.dumps({k: _clean(v) for k, v in row.items()}, ensure_ascii=False, default=_default)
            for row in batch.to_pylist()]


def ndjson_chunks(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    for batch in reader:
        lines = _json_lines(batch)
        if lines:
            yield ("\n".join(lines) + "\n").encode()


def json_chunks(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    """A JSON array of row objects."""
    first = True
    yield b"["
    for batch in reader:
        lines = _json_lines(batch)
        if not lines:
            continue
        yield (("" if first else ",\n") + ",\n".join(lines)).encode()
        first = False
    yield b"]\n"


def parquet_chunks(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)
            yield _drain(sink)
    yield _drain(sink)


def file_chunks(path, *, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of a lake file as they are (a whole version exported as Parquet is its lake object)."""
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            yield chunk
