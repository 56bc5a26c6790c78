"""`scobank ingest-check FILE`: validate a file as ingestion would, print the report, keep nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def ingest_check(
    file: Path = typer.Argument(..., exists=False, help="The file to check (CSV/TSV, XLSX, JSON, NDJSON, Parquet, .gz)."),
    kind: str = typer.Option("table", "--kind", help="trade (BACI, UN Comtrade, trade-flow table) or table."),
    hs_revision: str = typer.Option(None, "--hs-revision", help="HS revision of product codes, e.g. HS17."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
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

    if kind not in ("table", "trade"):
        raise BadRequest(f"--kind must be table or trade, not {kind!r}")
    with session_scope() as session:
        try:
            staged = stage_file(session, source=file, kind=kind, on_error="skip-rows",  # type: ignore[arg-type]
                                hs_revision=hs_revision)
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
