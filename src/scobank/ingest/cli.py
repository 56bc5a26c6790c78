"""`scobank ingest-check FILE`: validate a file as ingestion would, print the report, keep nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from scobank.ingest.options import ReadOptions, from_text

# The read overrides, shared by `ingest-check` and `ingest` (scobank.catalog.cli): detection decides
# whatever is not given.
ENCODING = typer.Option(None, "--encoding", help="Text encoding, e.g. utf-8, cp1251, kz1048, gb18030, utf-16.")
DELIMITER = typer.Option(None, "--delimiter", help="Field separator: one character, or tab/comma/semicolon/pipe.")
DECIMAL = typer.Option(None, "--decimal", help="Decimal mark: . or ,")
THOUSANDS = typer.Option(None, "--thousands", help="Thousands separator: none, space, nbsp, thin, comma, dot, apostrophe.")
SHEET = typer.Option(None, "--sheet", help="Worksheet: its name or 1-based position.")
HEADER_ROW = typer.Option(None, "--header-row", help="1-based row of the header, or a range (3-4) for a two-row header.")
SKIP_ROWS = typer.Option(None, "--skip-rows", help="Rows to drop at the top of the file before reading.")
NA = typer.Option(None, "--na", help="More missing-value markers (repeat, or comma separated).")


def read_options(*, encoding: str | None = None, delimiter: str | None = None, decimal: str | None = None,
                 thousands: str | None = None, sheet: str | None = None, header_row: str | None = None,
                 skip_rows: str | None = None, na: list[str] | None = None) -> ReadOptions:
    """The overrides given on the command line (BadRequest naming the option that is wrong)."""
    return from_text(encoding=encoding, delimiter=delimiter, decimal=decimal, thousands=thousands, sheet=sheet,
                     header_row=header_row, skip_rows=skip_rows, na=na)


def ingest_check(
    file: Path = typer.Argument(..., exists=False, help="The file to check (CSV/TSV, XLSX, JSON, NDJSON, Parquet, .gz)."),
    kind: str = typer.Option("table", "--kind", help="trade (BACI, UN Comtrade, trade-flow table) or table."),
    hs_revision: str = typer.Option(None, "--hs-revision", help="HS revision of product codes, e.g. HS17."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    encoding: str | None = ENCODING,
    delimiter: str | None = DELIMITER,
    decimal: str | None = DECIMAL,
    thousands: str | None = THOUSANDS,
    sheet: str | None = SHEET,
    header_row: str | None = HEADER_ROW,
    skip_rows: str | None = SKIP_ROWS,
    na: list[str] | None = NA,
) -> None:
    """Check FILE with every validation ingestion runs and print the report (row, column, value, reason).

    Nothing is stored. Exit 0 when the file is valid, 5 when rows have problems, and the error's own
    code when the file cannot be read at all (empty, binary, truncated, wrong encoding, too large).
    """
    from rich.console import Console

    from scobank.db import session_scope
    from scobank.errors import BadRequest, IngestRejected
    from scobank.ingest.pipeline import stage_file
    from scobank.ingest.report import render_report, report_json

    options = read_options(encoding=encoding, delimiter=delimiter, decimal=decimal, thousands=thousands,
                           sheet=sheet, header_row=header_row, skip_rows=skip_rows, na=na)
    if kind not in ("table", "trade"):
        raise BadRequest(f"--kind must be table or trade, not {kind!r}")
    with session_scope() as session:
        try:
            staged = stage_file(session, source=file, kind=kind, on_error="skip-rows",  # type: ignore[arg-type]
                                hs_revision=hs_revision, options=options)
            report = staged.report
            staged.parquet_path.unlink(missing_ok=True)
        except IngestRejected as exc:  # whole-file problems (a missing column) reject even skip-rows
            report = exc.report
    if as_json:
        typer.echo(report_json(report))
    else:
        render_report(report, Console(highlight=False, soft_wrap=False))
    if not report.valid:
        sys.exit(IngestRejected.exit_code)  # SystemExit: the root command runs with standalone_mode=False


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.command("ingest-check")(ingest_check)
