"""Commands of the reference area: `scobank reference countries|parties|hs|party-set`."""

from __future__ import annotations

import datetime as dt
import json

import typer

from scobank.errors import BadRequest

reference_app = typer.Typer(
    help="Reference data: countries and their codes, SCO parties by date, the HS nomenclature.",
    no_args_is_help=True,
)


def date_option(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"{option} {text!r} is not a date; write it as YYYY-MM-DD") from None


@reference_app.command("countries")
def countries(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """List every country: ISO3, ISO2, ISO numeric, CEPII/BACI code and English name."""
    from scobank.db import session_scope
    from scobank.reference.lookup import country_table

    with session_scope() as session:
        rows = country_table(session).to_pylist()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['iso3']}  {r['iso2'] or '--'}  {r['numeric'] or '':>4}  {r['baci_code'] or '':>4}  "
                   f"{r['name_en']}")


@reference_app.command("parties")
def parties(
    on: str = typer.Option(None, "--on", help="Day to look at, YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of lines."),
) -> None:
    """SCO members, observers and partners on a given day (default today), with names in en/ru/zh."""
    from scobank.db import session_scope
    from scobank.reference.lookup import party_statuses
    from scobank.reference.models import Country

    day = date_option(on, "--on") or dt.date.today()
    with session_scope() as session:
        statuses = party_statuses(session, day)
        names = {iso3: session.get(Country, iso3).names for iso3 in statuses}
    rows = [{"iso3": i, "status": s, "name": {k: names[i].get(k) for k in ("en", "ru", "zh")}}
            for i, s in sorted(statuses.items(), key=lambda kv: (("member", "observer", "partner").index(kv[1]), kv[0]))]
    if as_json:
        typer.echo(json.dumps({"on": day.isoformat(), "parties": rows}, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['iso3']}  {r['status']:<8}  {r['name']['en']} / {r['name']['ru']} / {r['name']['zh']}")


@reference_app.command("hs")
def hs(
    code: str = typer.Argument(..., help="HS code, 2, 4 or 6 digits (a dropped leading zero is restored)."),
    revision: str = typer.Option("HS22", "--revision", help="HS92, HS12, HS17 or HS22."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one HS code: its descriptions in en/ru/zh (a missing language says so: "[en] ...")."""
    from scobank.db import session_scope
    from scobank.errors import NotFound
    from scobank.reference.lookup import hs_description, normalise_hs_code

    padded = normalise_hs_code(code)
    with session_scope() as session:
        texts = {lang: hs_description(session, revision, padded, lang) for lang in ("en", "ru", "zh")}
    if texts["en"] is None:
        raise NotFound(f"HS code {padded!r} does not exist in {revision.upper()}")
    if as_json:
        typer.echo(json.dumps({"revision": revision.upper(), "code": padded, "description": texts},
                              ensure_ascii=False))
        return
    typer.echo(f"{revision.upper()} {padded}")
    for lang, text in texts.items():
        typer.echo(f"  {lang}: {text}")


@reference_app.command("rate")
def rate(
    currency: str = typer.Argument(..., help="ISO 4217 code, e.g. CNY, RUB, INR."),
    year: int = typer.Argument(..., help="Year, e.g. 2020."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Units of a currency per US dollar in a year, and which source the figure comes from."""
    from scobank.db import session_scope
    from scobank.reference.lookup import usd_rate

    with session_scope() as session:
        found = usd_rate(session, currency, year)
    if as_json:
        typer.echo(json.dumps({"currency": currency.upper(), "year": found.year, "per_usd": found.per_usd,
                               "source": found.source}))
        return
    typer.echo(f"{currency.upper()} {found.year}: {found.per_usd:,.4f} per USD ({found.source})")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(reference_app, name="reference")
