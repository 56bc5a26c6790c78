"""Commands of the exchange area: `scobank exchange list | match | import | funnel | expire | send-mail |
verify`.

The CLI acts as the local operator, or as the user named by `scobank --as EMAIL` (SCOBANK_AS), and
calls the same services as the API; errors are mapped once in scobank.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from scobank.access.identity import cli_reader

exchange_app = typer.Typer(help="Cooperation exchange: listings, explained matches, bulk import, funnel.",
                           no_args_is_help=True)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _text(texts: dict, lang: str) -> str:
    return texts.get(lang) or next(iter(texts.values()), "")


@exchange_app.command("list")
def list_cmd(
    kind: str | None = typer.Option(None, help="capacity_offer, product_offer, product_request, technology_offer, "
                                               "technology_request or project."),
    party: str | None = typer.Option(None, help="ISO3 of the enterprises' party."),
    hs: str | None = typer.Option(None, help="HS code prefix (2, 4 or 6 digits)."),
    limit: int = typer.Option(50, help="How many to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List published listings (anonymous view: country, sectors, size)."""
    from scobank.db import session_scope
    from scobank.exchange.listings import search_listings

    with session_scope() as session:
        page = search_listings(session, reader=cli_reader(session), kind=kind, party=party, hs=hs, limit=limit)
    if as_json:
        _echo_json(page.model_dump(mode="json"))
        return
    typer.echo(f"{page.total} listing(s)")
    for item in page.items:
        flag = " [generated]" if item.generated else ""
        typer.echo(f"{item.id:>7}  {item.kind:<18} {item.enterprise.party}  {item.hs_code or '-':<6}  "
                   f"{_text(item.title, item.original_language)}{flag}")


@exchange_app.command("match")
def match_cmd(
    listing_id: int = typer.Argument(..., help="The listing to find counterparts for."),
    item: int | None = typer.Option(None, help="For a project: the number of the missing input (0-based)."),
    limit: int = typer.Option(10, help="How many matches."),
    weights: str | None = typer.Option(None, help="Override factor weights, e.g. 'hs:0.5,text:0'."),
    party: list[str] = typer.Option([], help="Only candidates of this party (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full explained report as JSON."),
) -> None:
    """Rank the offers (or requests) that answer a listing, each factor explained."""
    from scobank.db import session_scope
    from scobank.exchange.matching.scorer import Filters
    from scobank.exchange.matching.service import find_matches
    from scobank.exchange.matching.weights import parse_weights

    with session_scope() as session:
        report = find_matches(session, reader=cli_reader(session), listing_id=listing_id, item=item, limit=limit,
                              weights=parse_weights(weights), filters=Filters(parties=tuple(p.upper() for p in party)),
                              record=False)
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    for note in report.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"{report.considered} candidates considered in {report.elapsed_ms:.1f} ms")
    for m in report.matches:
        typer.echo(f"{m.score:.3f}  listing {m.id:<7} {m.party} {m.kind:<16} {m.hs_code or '-':<6}"
                   f"{' [generated]' if m.generated else ''}")
        for f in m.factors:
            if f.value is not None:
                typer.echo(f"        {f.factor:<20} {f.value:.2f} x {f.effective_weight:.2f}  {f.note}")


@exchange_app.command("import")
def import_cmd(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or XLSX of listings.")) -> None:
    """Import listings from a CSV or XLSX file; every row is checked first, nothing is written on a problem."""
    from scobank.db import session_scope
    from scobank.exchange.importer import import_listings

    with session_scope() as session:
        result = import_listings(session, reader=cli_reader(session), path=file)
    typer.echo(f"{result.file}: {result.created} listing(s) created, {result.published} published")


@exchange_app.command("funnel")
def funnel_cmd(by: str = typer.Option("party", help="party or sector (HS chapter)."),
               as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Outcome funnel in listings: listing, interest, contact, meeting, agreement (both sides confirmed)."""
    from scobank.db import session_scope
    from scobank.exchange.funnel import funnel

    with session_scope() as session:
        report = funnel(session, by=by)
    if as_json:
        _echo_json(report.model_dump(mode="json"))
        return
    typer.echo(f"{by:<8} " + " ".join(f"{s:>9}" for s in report.stages) + f" {'matches':>9}")
    for r in [*report.rows, report.total]:
        typer.echo(f"{r.key:<8} " + " ".join(f"{getattr(r, s):>9}" for s in report.stages) + f" {r.matches_served:>9}")


@exchange_app.command("expire")
def expire_cmd() -> None:
    """Mark every published listing past its expiry as expired."""
    from scobank.db import session_scope
    from scobank.exchange.listings import expire_due

    with session_scope() as session:
        n = expire_due(session)
    typer.echo(f"{n} listing(s) expired")


@exchange_app.command("send-mail")
def send_mail_cmd(limit: int | None = typer.Option(None, help="At most this many mails.")) -> None:
    """Hand the bank's unsent e-mail (exchange alerts, access requests and decisions) to the SMTP server
    (SCOBANK_SMTP_HOST:SCOBANK_SMTP_PORT), each recipient in their language; refused recipients are
    reported and tried again next time."""
    from scobank.db import session_scope
    from scobank.exchange.mail import deliver_outbox

    with session_scope() as session:
        report = deliver_outbox(session, limit=limit)
    typer.echo(f"{report.sent} sent, {report.failed} refused, {report.unsubscribed} not sent (unsubscribed) "
               f"in {report.seconds:.1f} s")
    for error in report.errors:
        typer.echo(f"refused: {error}")


@exchange_app.command("verify")
def verify_cmd(
    enterprise_id: int = typer.Argument(..., help="The enterprise whose registry identifier is reviewed."),
    party: str = typer.Argument(..., help="ISO3 of the country of the identifier (e.g. KAZ)."),
    decision: str = typer.Option("approve", help="approve, refuse or revoke."),
    reason: str | None = typer.Option(None, help="Why (required to refuse or revoke)."),
) -> None:
    """Verify a company's registry identifier as a steward of its party (or the local operator): approve,
    refuse with a reason, or revoke with a reason. The badge shows on its listings once approved."""
    from scobank.db import session_scope
    from scobank.exchange.registry import review_registry_id

    with session_scope() as session:
        ids = review_registry_id(session, reader=cli_reader(session), enterprise_id=enterprise_id, party=party,
                                 decision=decision, reason=reason)
    for r in ids:
        typer.echo(f"{r.party} {r.kind.upper()} {r.value}: {r.status}{f' ({r.reason})' if r.reason else ''}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(exchange_app, name="exchange")
