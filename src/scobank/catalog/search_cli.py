"""`scobank catalog-search`: the catalog's full-text search with facets, from the command line."""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    """Add `catalog-search` to the root `scobank` command."""

    @app.command("catalog-search")
    def catalog_search(
        q: str = typer.Argument("", help="Words in any language: 钢铁, прокат, steel exports..."),
        party: str = typer.Option(None, "--party", help="ISO3 of the publishing party."),
        organisation: str = typer.Option(None, "--org", help="Slug of the publishing organisation."),
        theme: str = typer.Option(None, "--theme", help="Theme, e.g. trade."),
        year_from: int = typer.Option(None, "--from", help="Covers at least one year from this one."),
        year_to: int = typer.Option(None, "--to", help="Covers at least one year up to this one."),
        classification: str = typer.Option(None, "--classification", help="e.g. HS22."),
        limit: int = typer.Option(20, "--limit", help="How many results to print."),
        as_json: bool = typer.Option(False, "--json", help="Print the whole result (items, facets) as JSON."),
    ) -> None:
        """Find datasets by words of their metadata in any language, with facet counts."""
        from scobank.access.reader import OPERATOR
        from scobank.catalog.search import search_datasets
        from scobank.db import session_scope

        with session_scope() as session:
            result = search_datasets(session, reader=OPERATOR, q=q or None, party=party,
                                     organisation=organisation, theme=theme, year_from=year_from,
                                     year_to=year_to, classification=classification, limit=limit)
        if as_json:
            typer.echo(json.dumps(result.model_dump(), ensure_ascii=False))
            return
        typer.echo(f"{result.total} dataset(s)")
        for item in result.items:
            title = item.title.get("en") or next(iter(item.title.values()), item.slug)
            typer.echo(f"  {item.slug}  [{item.party}/{item.organisation}]  {title}  (score {item.score:g})")
        for name, counts in result.facets.items():
            if counts:
                typer.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[:10]))
