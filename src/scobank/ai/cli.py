"""Commands of the ai area: `scobank ai hs-suggest|reindex|forecast`.

Each command runs the same service as the API in one transaction (session_scope), as the local
operator or the user named by `scobank --as EMAIL`."""

from __future__ import annotations

import inspect
import json
from dataclasses import asdict

import typer

import scobank.ai.kinds  # noqa: F401  (registers the listeners that keep the index fresh)
from scobank.analytics.cli import forecast as analytics_forecast

ai_app = typer.Typer(help="Offline AI: HS code suggestions, the semantic index, forecasts.",
                     no_args_is_help=True)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@ai_app.command("hs-suggest")
def hs_suggest(
    text: str = typer.Argument(..., help="A product description in en/ru/zh, e.g. 'galvanised steel sheet', or an HS code."),
    top: int = typer.Option(5, "--top", help="How many headings to suggest (1-50)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: {status, message, match, suggestions: [...]}."),
) -> None:
    """Suggest HS 2022 headings (with a 6-digit code each) for a product description, or say plainly
    that nothing fits ("no good match"), that there are no words, or that the language is not supported."""
    from scobank.ai.hs_suggest import suggest_hs
    from scobank.db import session_scope

    with session_scope() as session:
        answer = suggest_hs(session, text, top=top)
    if as_json:
        _print_json(asdict(answer))
        return
    typer.echo(answer.message)
    for s in answer.suggestions:
        names = s.heading_names
        heading = " / ".join(names[lang] for lang in ("en", "ru", "zh") if lang in names)
        typer.echo(f"{s.code}  {s.confidence:3d}%  {s.description}\n        heading {s.heading}: {heading}")


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


# `scobank ai forecast` is `scobank analytics forecast` (same options, same service), kept as an alias.
ai_app.command("forecast", help="Alias of `scobank analytics forecast`. "
               + inspect.cleandoc(analytics_forecast.__doc__ or ""))(analytics_forecast)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(ai_app, name="ai")
