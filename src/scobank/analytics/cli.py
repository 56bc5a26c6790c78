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

INPUT_HELP = ("CSV, CSV.gz or Parquet file (long format; duplicate keys are summed; codes read as strings); "
              "or give --dataset instead.")
DATASET_HELP = "Read a dataset in the bank instead of a file (through the access gate, purpose statistics)."
VERSION_HELP = "Version of --dataset (default: the newest)."


def _load(input: Path | None, dataset: str | None, version: int | None, *, columns: tuple[str, ...],
          analysis: str):
    """The checked input panel: a file, or a dataset version read through the gate (ledger entry
    committed at once, before the analysis runs)."""
    from scobank.analytics.panel import read_panel
    from scobank.errors import BadRequest

    if dataset:
        from scobank.access.identity import cli_reader
        from scobank.analytics.inputs import PURPOSE, dataset_panel
        from scobank.db import session_scope

        with session_scope() as session:
            reader = cli_reader(session, purpose=PURPOSE)
            return dataset_panel(session, slug=dataset, reader=reader, columns=columns, analysis=analysis,
                                 version=version)
    if input is None:
        raise BadRequest("give an INPUT file or --dataset SLUG")
    return read_panel(input, columns=columns)


def _on_panel(dataset: str, version: int | None, *, columns: tuple[str, ...], analysis: str, then):
    """`then(panel)` for a dataset version used as a panel (`inputs.use_panel`: gate passed, ledger entry
    committed when the session ends), inside the session its rows are described by."""
    from scobank.access.identity import cli_reader
    from scobank.analytics.inputs import PURPOSE, use_panel
    from scobank.db import session_scope

    with session_scope() as session:
        return then(use_panel(session, slug=dataset, reader=cli_reader(session, purpose=PURPOSE),
                              columns=columns, analysis=analysis, version=version))


def _country_product(input: Path | None, dataset: str | None, version: int | None):
    """The checked country-product panel: a file, or a --dataset version's totals by year, exporter and
    product summed on the configured engine (gate passed, ledger entry committed; the rows stay there)."""
    from scobank.analytics.panel import TRADE_COLUMNS

    if dataset:
        from scobank.analytics.service import country_product_totals

        return _on_panel(dataset, version, columns=TRADE_COLUMNS, analysis="complexity", then=country_product_totals)
    return _load(input, None, None, columns=TRADE_COLUMNS, analysis="complexity")


def _bilateral(input: Path | None, dataset: str | None, version: int | None, *, analysis: str,
               engine: str | None):
    """(the checked bilateral flows as an Ibis table, their years, the unit of a dataset's values or
    None): a --dataset version as an expression over the engine's own table of it (gate passed, ledger
    entry committed; its rows stay on the engine, only results come back), a file read into memory."""
    import pyarrow.compute as pc

    from scobank.analytics.execution import table_of
    from scobank.analytics.panel import BILATERAL_COLUMNS

    if dataset:
        return _on_panel(dataset, version, columns=BILATERAL_COLUMNS, analysis=analysis,
                         then=lambda panel: (panel.expr(engine), list(panel.facts().years), panel.unit))
    flows = _load(input, None, None, columns=BILATERAL_COLUMNS, analysis=analysis)
    return table_of(flows), pc.unique(flows["year"]).to_pylist(), None


def _members(flows, bloc_year: int | None = None) -> dict[int, list[str]]:
    """The bloc of each year of `flows` (a panel in memory, or its years)."""
    import pyarrow.compute as pc

    from scobank.analytics.bloc import blocs_for
    from scobank.db import session_scope

    years = flows if isinstance(flows, list) else pc.unique(flows["year"]).to_pylist()
    with session_scope() as session:
        return blocs_for(session, years=years, bloc_year=bloc_year)


@analytics_app.command()
def complexity(
    input: Path = typer.Argument(None, help=INPUT_HELP + " Columns: year, exporter, product, value."),
    dataset: str = typer.Option(None, "--dataset", help=DATASET_HELP),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    out: Path = typer.Option(..., "--out", help="Folder for the four Parquet files (created if missing)."),
    convention: str = typer.Option("ecomplexity", help="ecomplexity (Growth Lab scale) or standardised (OEC)."),
    rca_cutoff: float = typer.Option(1.0, "--rca-cutoff", help="M = 1 where RCA >= this value."),
    country_set: str = typer.Option(None, "--country-set", help="all (every country and product: the default "
                                    "for a file) or ranked (the Growth Lab's ranked countries and the population/"
                                    "trade rule, products below 0.001% of world exports dropped: the default for "
                                    "--dataset)."),
) -> None:
    """RCA, M, diversity, ubiquity, proximity, density, ECI, PCI, COI and COG per year.

    Computed on the panel given over the stated country set (give the world, then filter to members for
    display): a file over every country unless --country-set ranked, a --dataset over the ranked set
    unless --country-set all. Writes to
    OUT: country_product.parquet (year, exporter, product, value, rca, m, density, cog; every country x
    product of the year), country.parquet (year, exporter, diversity, eci, coi), product.parquet (year,
    product, ubiquity, pci), proximity.parquet (year, product_a, product_b, proximity; pairs
    product_a < product_b with proximity > 0, diagonal 1 not written). Definitions: ANALYTICS.md.
    """
    from scobank.analytics.complexity import CONVENTIONS
    from scobank.analytics.complexity_tables import write_complexity
    from scobank.analytics.panel import iter_year_matrices
    from scobank.errors import BadRequest

    if convention not in CONVENTIONS:
        raise BadRequest(f"--convention must be one of {', '.join(CONVENTIONS)}, not {convention!r}")
    panel = _country_product(input, dataset, version)
    chosen = country_set or ("ranked" if dataset else "all")
    panel, note = _in_set(panel, chosen)
    matrices = iter_year_matrices(panel)
    run = write_complexity(matrices, out_dir=out, convention=convention, rca_cutoff=rca_cutoff)  # type: ignore[arg-type]
    typer.echo(f"{len(run.years)} year(s) {', '.join(map(str, run.years))}: up to {run.countries} countries x "
               f"{run.products} products ({run.convention}; country set {chosen}{note}) -> {run.out_dir}")


def _set_of(panel, name: str):
    """The named country set (`country_sets`) for the exporters and years of `panel`."""
    import pyarrow.compute as pc

    return _named_set(name, exporters=pc.unique(panel["exporter"]).to_pylist(),
                      years=pc.unique(panel["year"]).to_pylist())


def _named_set(name: str, *, exporters: list[str], years: list[int]):
    from scobank.analytics.country_sets import country_set
    from scobank.config import get_settings

    return country_set(name, data_dir=get_settings().resolved_data_dir, countries=exporters, years=years)


def _bilateral_with_exporters(input: Path | None, dataset: str | None, version: int | None, *, analysis: str,
                              engine: str | None):
    """(the checked bilateral flows, their years, their exporters): a --dataset version as an expression
    over the engine's table of it (years and exporters counted there with the panel's facts: the rows
    stay on the engine), a file read into memory."""
    import pyarrow.compute as pc

    from scobank.analytics.panel import BILATERAL_COLUMNS

    if dataset:
        return _on_panel(dataset, version, columns=BILATERAL_COLUMNS, analysis=analysis,
                         then=lambda panel: (panel.expr(engine), list(panel.facts().years),
                                             list(panel.facts().exporters)))
    flows = _load(input, None, None, columns=BILATERAL_COLUMNS, analysis=analysis)
    return flows, pc.unique(flows["year"]).to_pylist(), pc.unique(flows["exporter"]).to_pylist()


def _in_set(panel, name: str):
    """(the panel cut to the named country set, a note on what was dropped)."""
    import pyarrow.compute as pc

    from scobank.analytics.country_sets import restrict_panel

    chosen = _set_of(panel, name)
    cut, dropped = restrict_panel(panel, chosen)
    return cut, ("" if chosen.countries is None else
                 f": {len(pc.unique(cut['exporter']))} countries, {dropped} products below the floor dropped")


@analytics_app.command()
def substitution(
    input: Path = typer.Argument(None, help=INPUT_HELP + " Columns: year, exporter, importer, product, value."),
    dataset: str = typer.Option(None, "--dataset", help=DATASET_HELP),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    level: int = typer.Option(0, "--level", help="Cut product codes to 6, 4 or 2 digits first (0: as given)."),
    unit: str = typer.Option(None, "--unit", help="Unit of the file's values, stated on every row (default "
                             "USD; a --dataset states its own)."),
    engine: str = typer.Option(None, help="duckdb or spark; default: the configured engine (SCOBANK_ENGINE)."),
) -> None:
    """Import substitution inside the bloc, per year, member importer and product.

    The bloc of year t is the parties with member status on 31 December of t (IRN from 2023, BLR from
    2024). One row per year, member importer and product it imports from outside the bloc: year,
    importer, product, extra_bloc_imports;
    the per-importer upper bound (does not add up across members): bloc_room (the room of members with
    RCA >= 1 in the product: their exports of it minus what they already sell to the importer),
    substitutable_value = min(extra_bloc_imports, bloc_room), suppliers (supplier, room, share);
    the allocated measure (additive, each supplier's capacity counted once): redirectable_supply (what
    members with RCA >= 1 sell of the product outside the bloc, the importer included),
    bloc_extra_imports (all members' imports of it from outside), allocated_value = extra_bloc_imports x
    min(1, redirectable_supply / bloc_extra_imports), allocated_suppliers (supplier, share of the supply,
    value; the importer's own part named as itself); then bloc (the members that year) and unit.
    Ranked by allocated_value. Definition: ANALYTICS.md.
    """
    from scobank.analytics.substitution import substitution_report
    from scobank.db import session_scope

    flows, years, dataset_unit = _bilateral(input, dataset, version, analysis="substitution", engine=engine)
    stated = unit or dataset_unit or "USD"
    with session_scope() as session:
        table = substitution_report(session, flows=flows, product_level=_level(level), engine=engine, unit=stated,
                                    years=years)
    write_parquet(table, out)
    typer.echo(f"{table.num_rows} member x product rows ({stated}) -> {out}")


COUNTRIES_HELP = "Comma-separated ISO3 codes; default: the bloc members of the years in the input; 'all': every country."


def _countries(option: str, members: dict[int, list[str]]) -> list[str] | None:
    if option.strip().lower() == "all":
        return None
    if option.strip():
        return [c.strip().upper() for c in option.split(",") if c.strip()]
    return sorted({m for year_members in members.values() for m in year_members})


@analytics_app.command()
def complementarity(
    input: Path = typer.Argument(None, help=INPUT_HELP + " Columns: year, exporter, importer, product, value."),
    dataset: str = typer.Option(None, "--dataset", help=DATASET_HELP),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    countries: str = typer.Option("", help=COUNTRIES_HELP),
    engine: str = typer.Option(None, help="duckdb or spark; default: the configured engine (SCOBANK_ENGINE)."),
) -> None:
    """Who complements whom: one row per year and ordered pair (exporter j, importer k) of COUNTRIES.

    Columns: year, exporter, importer, trade_complementarity (0-100: how well j's export mix matches
    k's import mix), trade_intensity (j's share in k's imports relative to the world's; 1 = as
    expected, null when j sells nothing to k), export_similarity (0-100: overlap of j's and k's export
    mixes). WITS definitions (ANALYTICS.md); shares from the panel given.
    """
    from scobank.analytics.execution import run
    from scobank.analytics.indicators import complementarity_table

    flows, years, _ = _bilateral(input, dataset, version, analysis="complementarity", engine=engine)
    chosen = _countries(countries, _members(years))
    table = run(complementarity_table(flows, countries=chosen), engine=engine)
    write_parquet(table, out)
    typer.echo(f"{table.num_rows} country pairs -> {out}")


@analytics_app.command()
def overview(
    input: Path = typer.Argument(None, help=INPUT_HELP + " Columns: year, exporter, importer, product, value."),
    dataset: str = typer.Option(None, "--dataset", help=DATASET_HELP),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    out: Path = typer.Option(..., "--out", help="Folder for country.parquet, partner.parquet, product.parquet."),
    countries: str = typer.Option("all", help=COUNTRIES_HELP.replace("default: the bloc", "'' = the bloc")
                                  + " Default here: all."),
    engine: str = typer.Option(None, help="duckdb or spark; default: the configured engine (SCOBANK_ENGINE)."),
) -> None:
    """Trade overview per country, partner, product and year.

    Writes to OUT: country.parquet (year, country, exports, imports, balance, world_export_share,
    intra_bloc_export_share, intra_bloc_import_share (bloc = members on 31 December of the year),
    exports_cagr, imports_cagr (growth a year since the country's first year), export_hhi_partners,
    export_hhi_products, grubel_lloyd), partner.parquet (year, country, partner, exports, imports,
    balance), product.parquet (year, country, product, exports, imports, balance, market_share).
    """
    from scobank.analytics.execution import run
    from scobank.analytics.overview import country_overview, partner_overview, product_overview
    from scobank.analytics.panel import BILATERAL_COLUMNS
    from scobank.analytics.substitution import bloc_table

    if dataset:  # one expression per year, each read on its own (overview.py): within the engine's memory cap
        t, years = _on_panel(dataset, version, columns=BILATERAL_COLUMNS, analysis="overview",
                             then=lambda panel: (panel.year_exprs(engine), list(panel.facts().years)))
    else:
        t, years, _ = _bilateral(input, dataset, version, analysis="overview", engine=engine)
    members = _members(years)
    chosen, blocs = _countries(countries, members), bloc_table(members)
    tables = {"country": run(country_overview(t, blocs, countries=chosen), engine=engine),
              "partner": run(partner_overview(t, countries=chosen), engine=engine),
              "product": run(product_overview(t, countries=chosen), engine=engine)}
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_parquet(table, out / f"{name}.parquet")
    typer.echo(", ".join(f"{name}: {t.num_rows} rows" for name, t in tables.items()) + f" -> {out}")


@analytics_app.command()
def opportunities(
    input: Path = typer.Argument(None, help=INPUT_HELP + " Columns: year, exporter, importer, product, value "
                                 "(the world's flows: complexity needs every exporter)."),
    dataset: str = typer.Option(None, "--dataset", help=DATASET_HELP),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    w_density: float = typer.Option(0.60, "--w-density", help="Weight of norm(density) in feasibility."),
    w_pci: float = typer.Option(0.15, "--w-pci", help="Weight of norm(PCI) in feasibility."),
    w_cog: float = typer.Option(0.25, "--w-cog", help="Weight of norm(COG) in feasibility."),
    top: int = typer.Option(0, "--top", help="Keep the N most feasible products per member and year (0: all)."),
    bloc_year: int = typer.Option(None, "--bloc-year", help="The bloc of every year: members on 31 December of "
                                  "this year (default: each year's own members)."),
    engine: str = typer.Option(None, help="duckdb or spark; default: the configured engine (SCOBANK_ENGINE)."),
    country_set: str = typer.Option(None, "--country-set", help="The countries complexity (density, PCI, COG) is "
                                    "computed over: all (the default for a file) or ranked (the default for "
                                    "--dataset), as for `complexity`."),
) -> None:
    """Joint-production opportunities: products the bloc buys outside that members are close to making.

    One row per year, member and product where the member's RCA < 1: year, member, product, rca,
    density, pci, cog, feasibility = w_density*norm(density) + w_pci*norm(PCI) + w_cog*norm(COG)
    (Atlas "low-hanging fruit" weights 60/15/25 by default; norm = min-max over the member's
    candidates of the year), attractiveness = the bloc's imports of the product from outside the bloc, and the
    weights used (w_density, w_pci, w_cog). Ranked by feasibility within member and year.
    A bilateral dataset of the bank works too: the OECD ICIO intermediate flows
    (--dataset oecd-icio-2022-intermediate-flows --bloc-year 2024) give the same measures by industry
    (product = the exporting sector, values in USD million); domestic rows are left out.
    """
    from scobank.analytics.opportunities import Weights
    from scobank.analytics.opportunities import opportunities as find_opportunities

    flows, years, exporters = _bilateral_with_exporters(input, dataset, version, analysis="opportunities",
                                                        engine=engine)
    blocs = _members(years, bloc_year)
    chosen = country_set or ("ranked" if dataset else "all")
    table = find_opportunities(flows, members_by_year=blocs, weights=Weights(w_density, w_pci, w_cog), engine=engine,
                               country_set=_named_set(chosen, exporters=exporters, years=years))
    if top > 0:
        from scobank.analytics.opportunities import top_per_member

        table = top_per_member(table, top)
    write_parquet(table, out)
    typer.echo(f"{table.num_rows} member x product opportunities (weights density {w_density}, pci {w_pci}, "
               f"cog {w_cog}; country set {chosen}) -> {out}")


@analytics_app.command()
def dependency(
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    dataset: str = typer.Option("oecd-icio-2022-intermediate-flows", "--dataset",
                                help="The bank's ICIO intermediate flows dataset (exporter, exporter_sector, "
                                "importer, value_usd_mn), read through the access gate for statistics."),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    icio: Path = typer.Option(None, "--icio", help="Read the OECD ICIO extract folder instead of --dataset "
                              "(a file outside the bank, e.g. $SCOBANK_DATA_DIR/icio-oecd-2022-intermediate)."),
    bloc_year: int = typer.Option(None, "--bloc-year", help="The bloc: members on 31 December of this year "
                                  "(default: the data's year, 2022 for the ICIO extract)."),
    engine: str = typer.Option(None, help="duckdb or spark; default: the configured engine (SCOBANK_ENGINE)."),
) -> None:
    """Input-output dependency of members on intermediate inputs from outside the bloc (OECD ICIO 2022).

    Input: the dataset --dataset in the bank (default oecd-icio-2022-intermediate-flows; one ledger
    entry), or the folder --icio. One row per member (of those the ICIO separates: CHN, IND, RUS, KAZ,
    PAK, BLR) and input sector: member, sector, sector_name, total_inputs, domestic, from_bloc,
    from_outside (USD million), outside_share, outside_share_of_imports, top_outside_suppliers (5
    largest: supplier, value, share), bloc_room, substitutable_value = min(from_outside, bloc_room),
    bloc_sellers (members selling that sector abroad: member, room, share). Ranked by from_outside
    within member.
    """
    from scobank.db import session_scope
    from scobank.errors import BadFile

    if icio is not None:
        from scobank.analytics.bloc import bloc
        from scobank.analytics.io_dependency import ICIO_YEAR, dependency_report

        if not icio.is_dir():
            raise BadFile(f"{icio}: no such folder (the OECD ICIO extract, see its SOURCE.md)")
        with session_scope() as session:
            used = bloc(session, ICIO_YEAR if bloc_year is None else bloc_year)
        table = dependency_report(icio, members=list(used.members), engine=engine)
    else:
        from scobank.access.identity import cli_reader
        from scobank.analytics.inputs import PURPOSE
        from scobank.analytics.service import dependency_rows

        with session_scope() as session:  # the ledger entry is committed with the read
            table, used, _ = dependency_rows(session, reader=cli_reader(session, purpose=PURPOSE), dataset=dataset,
                                             version=version, bloc_year=bloc_year, engine=engine)
    write_parquet(table, out)
    typer.echo(f"{table.num_rows} member x sector rows, members {', '.join(sorted(set(table['member'].to_pylist())))}"
               f" (bloc of {used.year}: {', '.join(used.members)}) -> {out}")


@analytics_app.command()
def forecast(
    country: str = typer.Option(..., "--country", help="ISO3 of the country, e.g. KAZ."),
    indicator: str = typer.Option("exports_goods_bop", "--indicator",
                                  help="exports_goods_bop, imports_goods_bop, gdp, gdp_const, current_account."),
    horizon: int = typer.Option(5, "--horizon", help="Years ahead (1-20)."),
    dataset: str = typer.Option("wdi-macro-1960-2024", "--dataset",
                                help="Macro dataset in the bank (iso3_code, year, indicators), e.g. "
                                     "imf-weo-macro-1980-2024; read through the access gate, purpose statistics."),
    version: int = typer.Option(None, "--version", help=VERSION_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
) -> None:
    """Forecast a country's annual trade series with prediction intervals and a backtest error.

    Input: the country's INDICATOR (default exports of goods, balance of payments, current USD) from a
    macro dataset in the bank (default wdi-macro-1960-2024, the WDI/IMF tables `scobank demo`
    publishes), read through the access gate with purpose statistics and recorded in the ledger: the
    longest run of consecutive years ending at the last one; at least 8 years. Models (statsforecast):
    AutoETS, AutoARIMA, Naive, RandomWalkWithDrift, each with 80% and 95% intervals, and a rolling-origin
    backtest over the last 5 years (MASE, sMAPE). Output: the best model by backtest MASE, each
    model's errors, and the best model's forecast per year with its 95% interval; --json prints every
    model (years, values, horizon, levels, best_model, models[{model, points[{year, mean, intervals}],
    backtest{origins, mase, smape}}]). Same service as GET /api/v1/analytics/forecast.
    """
    import json
    from dataclasses import asdict

    from scobank.access.identity import cli_reader
    from scobank.analytics.forecast import PURPOSE, country_forecast
    from scobank.db import session_scope

    with session_scope() as session:  # the ledger entry is committed with the read
        result = country_forecast(session, reader=cli_reader(session, purpose=PURPOSE), country=country,
                                  indicator=indicator, horizon=horizon, dataset=dataset, version=version)
    if as_json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2, default=str))
        return
    typer.echo(f"{country.upper()} {indicator}: {result.years[0]}-{result.years[-1]}, shown: {result.best_model} "
               f"({result.verdict})")
    for m in result.models:
        typer.echo(f"  {m.model:<20} MASE {m.backtest.mase:6.3f}  sMAPE {m.backtest.smape:6.2f}%")
    for p in result.model(result.best_model).points:
        lo, hi = p.intervals[95]
        typer.echo(f"  {p.year}  {p.mean:,.0f}  (95%: {lo:,.0f} .. {hi:,.0f})")


@analytics_app.command()
def convert(
    input: Path = typer.Argument(..., help=INPUT_HELP + " Columns: year, product, value (USD) and any others."),
    out: Path = typer.Option(..., "--out", help="Parquet file to write."),
    hs_from: str = typer.Option(None, "--hs-from", help="HS revision of the product codes (HS12, HS17, HS22)."),
    hs_to: str = typer.Option(None, "--hs-to", help="HS revision to convert to (concordance weights)."),
    currency: str = typer.Option(None, "--currency", help="ISO 4217 code to express values in (default USD)."),
) -> None:
    """Convert a table's product codes to another HS revision and/or its USD values to a currency.

    HS: each code's value is split over the target codes by the concordance weights (totals kept).
    Currency: value x units per USD of the row's year; the output states currency, rate_per_usd,
    rate_year and rate_source on every row.
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from scobank.analytics.currency import convert_revision, to_currency
    from scobank.analytics.panel import _cast, check_panel
    from scobank.db import session_scope
    from scobank.errors import BadRequest

    if bool(hs_from) != bool(hs_to):
        raise BadRequest("give both --hs-from and --hs-to, or neither")
    table = pq.read_table(input) if input.name.endswith(".parquet") else _read_any(input)
    for name in ("year", "product", "value"):
        if name not in table.column_names:
            raise BadRequest(f"{input.name}: missing column {name!r}")
        table = table.set_column(table.schema.get_field_index(name), name, _cast(table[name], name, input))
    check_panel(table.select(["year", "product", "value"]), file=input.name)
    with session_scope() as session:
        if hs_from:
            table = convert_revision(session, table, from_revision=hs_from, to_revision=hs_to)
        if currency:
            table = to_currency(session, table, currency=currency)
    write_parquet(table, out)
    rate = ""
    if currency:
        pairs = sorted(set(zip(table["rate_year"].to_pylist(), pc.round(table["rate_per_usd"], 4).to_pylist(), strict=True)))
        rate = "; " + ", ".join(f"{y}: {r} {currency.upper()}/USD" for y, r in pairs)
    typer.echo(f"{table.num_rows} rows -> {out}{rate}")


def _read_any(path: Path):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={"product": pa.string(), "exporter": pa.string(), "importer": pa.string()}))


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
