"""`scobank search` (everything, grouped by kind) and `scobank catalog-search` (its datasets with facets):
one service, `scobank.search.service.search`, as the portal and GET /api/v1/search use it."""

from __future__ import annotations

import json

import typer


def _run(q: str, *, kinds: list[str] | None, per_kind: int = 5, limit: int = 20, offset: int = 0, **filters):
    from scobank.access.identity import cli_reader
    from scobank.db import session_scope
    from scobank.search.service import DatasetFilters, search

    with session_scope() as session:
        return search(session, reader=cli_reader(session), q=q or None, kinds=kinds, per_kind=per_kind,
                      filters=DatasetFilters(**filters), limit=limit, offset=offset)


# The dataset facets, as GET /api/v1/search takes them.
PARTY = typer.Option(None, "--party", help="ISO3 of the publishing party.")
ORGANISATION = typer.Option(None, "--organisation", "--org", help="Slug of the publishing organisation.")
THEME = typer.Option(None, "--theme", help="Theme, e.g. trade.")
YEAR_FROM = typer.Option(None, "--year-from", "--from", help="Covers at least one year from this one.")
YEAR_TO = typer.Option(None, "--year-to", "--to", help="Covers at least one year up to this one.")
LICENSE = typer.Option(None, "--license", help="Licence id, e.g. CC-BY-4.0.")
CLASSIFICATION = typer.Option(None, "--classification", help="e.g. HS22.")
OFFSET = typer.Option(0, "--offset", help="Skip this many datasets (the next page).")


def search_cmd(
    text: str = typer.Argument(..., help="What to look for, in any language, or an HS code: steel, прокат, 钢铁, 8445."),
    kind: list[str] = typer.Option(None, "--kind", help="product, dataset, listing, enterprise, member (repeatable)."),
    per_kind: int = typer.Option(5, "--per-kind", help="How many results of each kind (1-50)."),
    party: str = PARTY, organisation: str = ORGANISATION, theme: str = THEME, year_from: int = YEAR_FROM,
    year_to: int = YEAR_TO, license: str = LICENSE, classification: str = CLASSIFICATION,
    limit: int = typer.Option(20, "--limit", help="Datasets in the answer's page of datasets (--json: items)."),
    offset: int = OFFSET,
    as_json: bool = typer.Option(False, "--json", help="Print the whole answer as JSON."),
) -> None:
    """Search products, datasets, listings, enterprises and members by words and meaning, across languages;
    the dataset facets narrow the datasets found."""
    answer = _run(text, kinds=kind or None, per_kind=per_kind, limit=limit, offset=offset, party=party,
                  organisation=organisation, theme=theme, year_from=year_from, year_to=year_to, license=license,
                  classification=classification)
    if as_json:
        typer.echo(json.dumps(answer.model_dump(), ensure_ascii=False, indent=2))
        return
    if answer.notice:
        typer.echo(answer.notice)
    for group in answer.groups:
        for r in group.items:
            title = r.title.get("en") or next(iter(r.title.values()), "")
            why = ", ".join(r.match.words) or r.match.reason or ""
            typer.echo(f"{r.kind:<10} {r.id:<28} {r.match.score:3d} {r.match.label:<8} {title}  ({why})")


def catalog_search(
    q: str = typer.Argument("", help="Words in any language: 钢铁, прокат, steel exports..."),
    party: str = PARTY, organisation: str = ORGANISATION, theme: str = THEME, year_from: int = YEAR_FROM,
    year_to: int = YEAR_TO, license: str = LICENSE, classification: str = CLASSIFICATION,
    limit: int = typer.Option(20, "--limit", help="How many datasets to print."),
    offset: int = OFFSET,
    as_json: bool = typer.Option(False, "--json", help="Print the datasets found (items, total, facets) as JSON."),
) -> None:
    """Find datasets in any language, with facet counts (the datasets of `scobank search`)."""
    answer = _run(q, kinds=["dataset"], limit=limit, offset=offset, party=party, organisation=organisation,
                  theme=theme, year_from=year_from, year_to=year_to, license=license, classification=classification)
    if as_json:
        typer.echo(json.dumps(answer.model_dump(include={"total", "items", "facets"}), ensure_ascii=False))
        return
    typer.echo(f"{answer.total} dataset(s)")
    for item in answer.items:
        title = item.title.get("en") or next(iter(item.title.values()), item.slug)
        typer.echo(f"  {item.slug}  [{item.party}/{item.organisation}]  {title}  (score {item.score:g})")
    for name, counts in answer.facets.items():
        if counts:
            typer.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[:10]))


def register(app: typer.Typer) -> None:
    """Add `search` and `catalog-search` to the root `scobank` command."""
    app.command("search")(search_cmd)
    app.command("catalog-search")(catalog_search)
