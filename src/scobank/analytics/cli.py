"""Commands of the analytics area: `scobank analytics ...`.

Each command reads a long table (CSV, CSV.gz or Parquet), runs one analysis and writes Parquet.
Errors are typed (scobank.errors) and printed as one line by cli.main, with a non-zero exit code.
"""

from __future__ import annotations

from pathlib import Path

import typer

analytics_app = typer.Typer(
    name="analytics",
    help="Trade analytics: comparative advantage, complexity, import substitution, opportunities, "
    "complementarity, input-output dependency, trade overview.",
    no_args_is_help=True,
)

INPUT_HELP = "CSV, CSV.gz or Parquet file (long format; duplicate keys are summed; codes read as strings)."


@analytics_app.command()
def complexity(
    input: Path = typer.Argument(..., help=INPUT_HELP + " Columns: year, exporter, product, value."),
    out: Path = typer.Option(..., "--out", help="Folder for the four Parquet files (created if missing)."),
    convention: str = typer.Option("ecomplexity", help="ecomplexity (Growth Lab scale) or standardised (OEC)."),
    rca_cutoff: float = typer.Option(1.0, "--rca-cutoff", help="M = 1 where RCA >= this value."),
) -> None:
    """RCA, M, diversity, ubiquity, proximity, density, ECI, PCI, COI and COG per year.

    Computed on the whole panel given (give the world, then filter to members for display). Writes to
    OUT: country_product.parquet (year, exporter, product, value, rca, m, density, cog; every country x
    product of the year), country.parquet (year, exporter, diversity, eci, coi), product.parquet (year,
    product, ubiquity, pci), proximity.parquet (year, product_a, product_b, proximity; pairs
    product_a < product_b with proximity > 0, diagonal 1 not written). Definitions: ANALYTICS.md.
    """
    from scobank.analytics.complexity import CONVENTIONS
    from scobank.analytics.complexity_tables import write_complexity
    from scobank.analytics.panel import read_panel, year_matrices
    from scobank.errors import BadRequest

    if convention not in CONVENTIONS:
        raise BadRequest(f"--convention must be one of {', '.join(CONVENTIONS)}, not {convention!r}")
    matrices = year_matrices(read_panel(input))
    run = write_complexity(matrices, out_dir=out, convention=convention, rca_cutoff=rca_cutoff)  # type: ignore[arg-type]
    typer.echo(f"{len(run.years)} year(s) {', '.join(map(str, run.years))}: up to {run.countries} countries x "
               f"{run.products} products ({run.convention}) -> {run.out_dir}")


@analytics_app.command()
def substitution(
    input: Path = typer.Argument(..., help=INPUT_HELP + " Columns: year, exporter, importer, product, value."),
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    level: int = typer.Option(0, "--level", help="Cut product codes to 6, 4 or 2 digits first (0: as given)."),
    engine: str = typer.Option("duckdb", help="duckdb (default) or spark."),
) -> None:
    """Import substitution inside the bloc, per year, member importer and product.

    The bloc of year t is the parties with member status on 31 December of t (IRN from 2023, BLR from
    2024). One row per year, member importer and product it imports from outside the bloc: year,
    importer, product, extra_bloc_imports, bloc_room (the room of members with RCA >= 1 in the product:
    their exports of it minus what they already sell to the importer), substitutable_value =
    min(extra_bloc_imports, bloc_room), suppliers (list of supplier, room, share of bloc_room).
    Ranked by substitutable_value. Definition: ANALYTICS.md.
    """
    from scobank.analytics.panel import BILATERAL_COLUMNS, read_panel
    from scobank.analytics.substitution import substitution_report
    from scobank.db import session_scope

    flows = read_panel(input, columns=BILATERAL_COLUMNS)
    with session_scope() as session:
        table = substitution_report(session, flows=flows, product_level=_level(level), engine=engine)
    write_parquet(table, out)
    typer.echo(f"{table.num_rows} member x product rows -> {out}")


def _level(level: int) -> int | None:
    from scobank.errors import BadRequest

    if level not in (0, 2, 4, 6):
        raise BadRequest(f"--level must be 6, 4 or 2 (or 0 for codes as given), not {level}")
    return level or None


def write_parquet(table, out: Path) -> None:
    """Write next to `out` then rename: a failed run leaves no half-written file."""
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    pq.write_table(table, tmp)
    tmp.replace(out)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(analytics_app)
