"""Commands of the ai area: `scobank ai hs-suggest|reindex|forecast` and the top-level `scobank search`.

Each command runs the same service as the API in one transaction (session_scope), as the local
operator or the user named by `scobank --as EMAIL`."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

import scobank.ai.kinds  # noqa: F401  (registers the listeners that keep the index fresh)

ai_app = typer.Typer(help="Offline AI: HS code suggestions, the semantic index, forecasts.",
                     no_args_is_help=True)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@ai_app.command("hs-suggest")
def hs_suggest(
    text: str = typer.Argument(..., help="A product description in any language, e.g. 'galvanised steel sheet'."),
    top: int = typer.Option(5, "--top", help="How many headings to suggest (1-50)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: [{code, heading, score, description}]."),
) -> None:
    """Suggest HS 2022 codes (6 digits, with their 4-digit headings) for a product description."""
    from scobank.ai.hs_suggest import suggest_hs
    from scobank.db import session_scope

    with session_scope() as session:
        suggestions = suggest_hs(session, text, top=top)
    if as_json:
        _print_json([asdict(s) for s in suggestions])
        return
    for s in suggestions:
        names = s.heading_names
        heading = names.get("en", "")
        if "ru" in names:
            heading += f" / {names['ru']}"
        typer.echo(f"{s.code}  {s.score:.3f}  {s.description}\n        heading {s.heading}: {heading}")


@ai_app.command("reindex")
def reindex_cmd(
    kind: list[str] = typer.Option(None, "--kind", help="Only these kinds: dataset, listing, enterprise, hs."),
) -> None:
    """Rebuild the semantic index (changed texts only) with a progress bar; prints what was embedded."""
    from rich.progress import Progress

    from scobank.ai.reindex import rebuild_index
    from scobank.db import session_scope

    with Progress(transient=True) as bar, session_scope() as session:
        def on_kind(name: str, total: int):
            task = bar.add_task(f"embedding {name}", total=max(total, 1))
            return lambda done: bar.advance(task, done)

        reports = rebuild_index(session, kinds=kind or None, on_kind=on_kind)
    for r in reports:
        typer.echo(f"{r.kind}: {r.items} items, {r.embedded} texts embedded")


@ai_app.command("forecast")
def forecast_cmd(
    country: str = typer.Option(..., "--country", help="ISO3 of the country, e.g. KAZ."),
    indicator: str = typer.Option("exports_goods_bop", "--indicator",
                                  help="exports_goods_bop, imports_goods_bop, gdp, gdp_const, current_account."),
    horizon: int = typer.Option(5, "--horizon", help="Years ahead (1-20)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Forecast a country's annual trade series (WDI/IMF) with AutoETS, AutoARIMA and baselines:
    80/95% intervals and a rolling-origin backtest (MASE, sMAPE)."""
    from scobank.analytics.forecast import forecast_series, macro_series
    from scobank.config import get_settings
    from scobank.errors import NotFound

    data_dir = get_settings().resolved_data_dir
    if data_dir is None:
        raise NotFound("no data folder: set SCOBANK_DATA_DIR")
    years, values = macro_series(data_dir, country=country, indicator=indicator)
    result = forecast_series(years, values, horizon)
    if as_json:
        _print_json(asdict(result))
        return
    typer.echo(f"{country.upper()} {indicator}: {years[0]}-{years[-1]}, best by backtest MASE: {result.best_model}")
    for m in result.models:
        typer.echo(f"  {m.model:<20} MASE {m.backtest.mase:6.3f}  sMAPE {m.backtest.smape:6.2f}%")
    for p in result.model(result.best_model).points:
        lo, hi = p.intervals[95]
        typer.echo(f"  {p.year}  {p.mean:,.0f}  (95%: {lo:,.0f} .. {hi:,.0f})")


def search_cmd(
    text: str = typer.Argument(..., help="What to look for, in any language."),
    kind: list[str] = typer.Option(None, "--kind", help="dataset, listing, enterprise or hs (repeatable)."),
    limit: int = typer.Option(10, "--limit", help="How many results (1-100)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search datasets, listings, enterprises and HS headings by meaning and by words, across languages."""
    from scobank.access.identity import cli_reader
    from scobank.ai.hybrid import search
    from scobank.db import session_scope

    with session_scope() as session:
        hits = search(session, reader=cli_reader(session), q=text, kinds=kind or None, limit=limit)
    if as_json:
        _print_json([asdict(h) for h in hits])
        return
    for h in hits:
        title = h.title.get("en") or next(iter(h.title.values()), "")
        typer.echo(f"{h.kind:<10} {h.id:<28} {h.score:.4f}  {title}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(ai_app, name="ai")
    app.command("search")(search_cmd)
