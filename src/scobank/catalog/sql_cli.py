"""`scobank sql`: read-only SQL over the datasets the caller may read (see scobank.catalog.sql)."""

from __future__ import annotations

import csv
import json
import sys

import typer


def register(app: typer.Typer) -> None:
    """Add `sql` to the root `scobank` command."""

    @app.command("sql")
    def sql(
        statement: str = typer.Argument(..., help='One SELECT; datasets are views by slug: SELECT * FROM "kz-industry".'),
        max_rows: int = typer.Option(1000, "--max-rows", help="Rows to return at most (<= 100000)."),
        timeout: float = typer.Option(10.0, "--timeout", help="Seconds before the query is stopped."),
        fmt: str = typer.Option("table", "--format", help="table, csv or json."),
        bom: bool = typer.Option(False, "--bom", help="CSV: start with a UTF-8 byte-order mark (Excel reads Cyrillic)."),
    ) -> None:
        """Run one read-only SQL query (DuckDB dialect); each dataset read is recorded in the ledger."""
        from scobank.access.identity import cli_reader
        from scobank.catalog.sql import run_sql
        from scobank.db import session_scope
        from scobank.errors import BadRequest

        if fmt not in ("table", "csv", "json"):
            raise BadRequest(f"--format {fmt!r}: choose table, csv or json")
        with session_scope() as session:
            reader = cli_reader(session)
            result = run_sql(session, sql=statement, reader=reader, purpose=reader.purpose,
                             max_rows=max_rows, timeout_s=timeout)
        names = [c.name for c in result.columns]
        if fmt == "json":
            typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, default=str))
        elif fmt == "csv":
            if bom:
                sys.stdout.write("\ufeff")
            writer = csv.writer(sys.stdout)
            writer.writerow(names)
            writer.writerows([[row[n] for n in names] for row in result.rows])
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table(*names)
            for row in result.rows:
                table.add_row(*["" if row[n] is None else str(row[n]) for n in names])
            Console().print(table)
        if result.truncated:
            typer.echo(f"cut at {result.row_count:,} rows (--max-rows)", err=True)
