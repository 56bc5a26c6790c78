"""Commands of stewardship: a dataset's policy, a party's defaults and reader rights, access requests
and agreements, who used my data (`ledger show`), a dataset's signatures, and a country's SCO status
(`reference party-set`).

Every command acts as the local operator unless `scobank --as EMAIL` (or SCOBANK_AS) names a user.
"""

from __future__ import annotations

from datetime import datetime

import json

import typer

from scobank.access.cli import ledger_app
from scobank.db import session_scope
from scobank.reference.cli import date_option, reference_app


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


policy_app = typer.Typer(help="Who may use a dataset, for what, at which granularity.", no_args_is_help=True)


def _document(audience: str, aggregates_only: int | None, purposes: str | None, no_export: bool,
              embargo: str | None, expires: str | None, listed: bool = False) -> dict:
    from scobank.access.policies import parse_audience

    return {**parse_audience(audience), "aggregates_only_k": aggregates_only,
            "purposes": [p for p in purposes.split(",") if p.strip()] if purposes else None,
            "export": not no_export, "embargo_until": embargo, "expires": expires, "listed": listed}


LISTED_HELP = "Others see its title, publisher and description (no data) and may ask for access."


@policy_app.command("set")
def policy_set(
    slug: str,
    audience: str = typer.Option(..., help="public | members | owner | parties:KAZ,RUS | orgs:slug1,slug2"),
    aggregates_only: int = typer.Option(None, "--aggregates-only", metavar="K",
                                        help="Aggregates only, at least K per cell."),
    purposes: str = typer.Option(None, help="Permitted purposes, e.g. statistics,research (default: any)."),
    no_export: bool = typer.Option(False, "--no-export", help="Queries yes, bulk export no."),
    embargo: str = typer.Option(None, help="No data before this date (YYYY-MM-DD)."),
    expires: str = typer.Option(None, help="No data for others after this date (YYYY-MM-DD)."),
    listed: bool = typer.Option(False, "--listed", help=LISTED_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Set a dataset's policy (a new version; the old one stays in its history)."""
    from scobank.stewardship import policies as stewardship
    from scobank.access.identity import cli_reader

    doc = _document(audience, aggregates_only, purposes, no_export, embargo, expires, listed)
    with session_scope() as session:
        shown = stewardship.set_policy(session, reader=cli_reader(session), slug=slug, document=doc)
    if as_json:
        _print_json(shown)
    else:
        typer.echo(f"policy of {slug} is now version {shown['version']}: {_summary(shown['policy'])}")


def _summary(doc: dict) -> str:
    who = doc["audience"] + (":" + ",".join(doc["parties"] or doc["orgs"]) if doc["audience"] in ("parties", "orgs") else "")
    parts = [f"audience {who}",
             f"aggregates only (k={doc['aggregates_only_k']})" if doc["aggregates_only_k"] else "full rows",
             "purposes " + ",".join(doc["purposes"]) if doc["purposes"] else "any purpose",
             "export allowed" if doc["export"] else "no export"]
    if doc["embargo_until"]:
        parts.append(f"embargo until {doc['embargo_until']}")
    if doc["expires"]:
        parts.append(f"expires {doc['expires']}")
    if doc.get("listed"):
        parts.append("listed: others may ask")
    return "; ".join(parts)


@policy_app.command("show")
def policy_show(slug: str, as_json: bool = typer.Option(False, "--json"),
                odrl: bool = typer.Option(False, "--odrl", help="Print it as an ODRL 2.2 policy.")) -> None:
    """Show the policy that applies to a dataset (its own, else its party's default)."""
    from scobank.stewardship import policies as stewardship
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = stewardship.policy_view(session, reader=cli_reader(session), slug=slug)
    if odrl:
        _print_json(shown["odrl"])
    elif as_json:
        _print_json({k: v for k, v in shown.items() if k != "odrl"})
    else:
        typer.echo(f"{slug}: {_summary(shown['policy'])} ({shown['source']} policy, version {shown['version']})")


@policy_app.command("history")
def policy_history(slug: str) -> None:
    """Every version of a dataset's policy, oldest first (stewards)."""
    from scobank.stewardship import policies as stewardship
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = stewardship.policy_history(session, reader=cli_reader(session), slug=slug)
    for v in shown:
        text = "cleared" if v["document"].get("cleared") else _summary(v["document"])
        typer.echo(f"v{v['number']} {v['at']} by {v['by'] or '-'}: {text}")


@policy_app.command("default")
def policy_default(
    party: str,
    audience: str = typer.Option(..., help="public | members | owner | parties:... | orgs:..."),
    aggregates_only: int = typer.Option(None, "--aggregates-only", metavar="K"),
    purposes: str = typer.Option(None),
    no_export: bool = typer.Option(False, "--no-export"),
    listed: bool = typer.Option(False, "--listed", help=LISTED_HELP),
) -> None:
    """Set a party's default policy (for its datasets that have none of their own)."""
    from scobank.stewardship import policies as stewardship
    from scobank.access.identity import cli_reader

    doc = _document(audience, aggregates_only, purposes, no_export, None, None, listed)
    with session_scope() as session:
        shown = stewardship.set_party_default(session, reader=cli_reader(session), party=party, document=doc)
    typer.echo(f"default policy of {shown['party']} is now version {shown['version']}: {_summary(shown['policy'])}")


@policy_app.command("party-rights")
def policy_party_rights(
    party: str,
    export: bool = typer.Option(None, "--export/--no-export", help="May its readers bulk-export shared data?"),
    min_k: int = typer.Option(None, "--min-k", help="Aggregates only with at least K per cell (0: rows)."),
    requests: bool = typer.Option(None, "--requests/--no-requests", help="May its users request access?"),
) -> None:
    """Change the default rights of a party's readers (observers and partners start narrower)."""
    from scobank.stewardship import policies as stewardship
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = stewardship.set_party_rights(session, reader=cli_reader(session), party=party, may_export=export,
                                             min_k=min_k, may_request=requests)
    typer.echo(f"{shown['party']}: export {'yes' if shown['may_export'] else 'no'}, "
               f"{'aggregates k>=' + str(shown['min_k']) if shown['min_k'] else 'full rows'}, "
               f"requests {'yes' if shown['may_request'] else 'no'}")


requests_app = typer.Typer(help="Ask for access; stewards approve, narrow or refuse.", no_args_is_help=True)
agreements_app = typer.Typer(help="Granted access: who, which dataset, purpose, until when.", no_args_is_help=True)


def _date_option(value: str | None, what: str):
    from datetime import date

    from scobank.errors import BadRequest

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{what} must be a date YYYY-MM-DD; got {value!r}") from None


def _show_request(r: dict) -> str:
    k = f" aggregates k>={r['aggregates_only_k']}" if r["aggregates_only_k"] else ""
    return (f"request {r['id']}: {r['user']} asks {r['dataset']} for {r['purpose']} "
            f"{r['valid_from']}..{r['valid_until']}{k}{' +export' if r['export'] else ''} -> {r['status']}"
            + (f" (agreement {r['agreement_id']})" if r["agreement_id"] else ""))


@requests_app.command("create")
def requests_create(
    slug: str,
    purpose: str = typer.Option(..., help="statistics | matching | research | commercial"),
    until: str = typer.Option(..., help="Last day of the period (YYYY-MM-DD)."),
    start: str = typer.Option(None, "--from", help="First day (default: today)."),
    aggregates_only: int = typer.Option(None, "--aggregates-only", metavar="K"),
    export: bool = typer.Option(False, "--export", help="Ask for bulk export too."),
    message: str = typer.Option(None, help="A word to the steward."),
    for_organisation: bool = typer.Option(False, "--for-organisation",
                                          help="Ask for your whole organisation: the agreement goes to it."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Ask for access to a dataset (acting as a user: scobank --as EMAIL requests create ...)."""
    from scobank.stewardship import requests
    from scobank.access.identity import cli_reader

    terms = requests.Terms(purpose, _date_option(until, "--until"), _date_option(start, "--from"),
                           aggregates_only, export)
    with session_scope() as session:
        shown = requests.create_request(session, reader=cli_reader(session), slug=slug, terms=terms,
                                        message=message, for_organisation=for_organisation)
    _print_json(shown) if as_json else typer.echo(_show_request(shown))


@requests_app.command("list")
def requests_list(status: str = typer.Option(None, help="pending | approved | narrowed | refused"),
                  dataset: str = typer.Option(None, help="Only this dataset (slug)."),
                  as_json: bool = typer.Option(False, "--json")) -> None:
    """Your requests; a steward also sees those on the party's datasets."""
    from scobank.stewardship import requests
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = requests.list_requests(session, reader=cli_reader(session), status=status, slug=dataset)
    if as_json:
        _print_json(shown)
        return
    for r in shown:
        typer.echo(_show_request(r))


def _decide(request_id: int, decision: str, note: str | None, until: str | None = None,
            aggregates_only: int | None = None, export: bool | None = None) -> None:
    from scobank.stewardship import requests
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        narrowed = None
        if decision == "narrow":
            narrowed = requests.narrowed_terms(session, request_id=request_id,
                                               valid_until=_date_option(until, "--until"),
                                               aggregates_only_k=aggregates_only, export=export)
        shown = requests.decide(session, reader=cli_reader(session), request_id=request_id, decision=decision,
                                note=note, narrowed=narrowed)
    typer.echo(_show_request(shown))


@requests_app.command("approve")
def requests_approve(request_id: int, note: str = typer.Option(None)) -> None:
    """Approve a request as asked (the owning party's steward)."""
    _decide(request_id, "approve", note)


@requests_app.command("narrow")
def requests_narrow(request_id: int, until: str = typer.Option(None, help="An earlier last day."),
                    aggregates_only: int = typer.Option(None, "--aggregates-only", metavar="K"),
                    no_export: bool = typer.Option(False, "--no-export"),
                    note: str = typer.Option(None)) -> None:
    """Approve with narrower terms (the owning party's steward)."""
    _decide(request_id, "narrow", note, until, aggregates_only, False if no_export else None)


@requests_app.command("refuse")
def requests_refuse(request_id: int, note: str = typer.Option(None)) -> None:
    """Refuse a request (the owning party's steward)."""
    _decide(request_id, "refuse", note)


def _show_agreement(a: dict) -> str:
    k = f" aggregates k>={a['aggregates_only_k']}" if a["aggregates_only_k"] else ""
    return (f"agreement {a['id']}: {a['user']} may use {a['dataset']} for {a['purpose']} "
            f"{a['valid_from']}..{a['valid_until']}{k}{' +export' if a['export'] else ''} [{a['state']}]")


@agreements_app.command("list")
def agreements_list(dataset: str = typer.Option(None), as_json: bool = typer.Option(False, "--json")) -> None:
    """Agreements you hold or that concern your datasets (all, as the operator)."""
    from scobank.stewardship import requests
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = requests.list_agreements(session, reader=cli_reader(session), slug=dataset)
    if as_json:
        _print_json(shown)
        return
    for a in shown:
        typer.echo(_show_agreement(a))


@agreements_app.command("grant")
def agreements_grant(slug: str, email: str, purpose: str = typer.Option(...), until: str = typer.Option(...),
                     aggregates_only: int = typer.Option(None, "--aggregates-only", metavar="K"),
                     export: bool = typer.Option(False, "--export")) -> None:
    """Grant an agreement directly (the owning party's steward)."""
    from scobank.stewardship import requests
    from scobank.access.identity import cli_reader

    terms = requests.Terms(purpose, _date_option(until, "--until"), None, aggregates_only, export)
    with session_scope() as session:
        shown = requests.grant_agreement(session, reader=cli_reader(session), slug=slug, user_email=email,
                                         terms=terms)
    typer.echo(_show_agreement(shown))


@agreements_app.command("revoke")
def agreements_revoke(agreement_id: int) -> None:
    """End an agreement now (its holder, or the owning steward)."""
    from scobank.stewardship import requests
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = requests.revoke_agreement(session, reader=cli_reader(session), agreement_id=agreement_id)
    typer.echo(_show_agreement(shown))


def signature(slug: str, version: int = typer.Option(None, help="Only this version number."),
              as_json: bool = typer.Option(True, "--json/--text")) -> None:
    """Print the publishing party's signatures of a dataset's versions (JSON for `scobank verify`)."""
    from scobank.access.identity import cli_reader
    from scobank.stewardship.signatures import dataset_signatures

    with session_scope() as session:
        shown = dataset_signatures(session, reader=cli_reader(session), slug=slug, number=version)
    if as_json:
        _print_json(shown)
        return
    for v in shown["versions"]:
        typer.echo(f"v{v['number']} {v['content_hash']} signed by {v['party']} (key {v['key_fingerprint']})")


@ledger_app.command("show")
def ledger_show(
    dataset: str = typer.Option(None, "--dataset", help="Only uses of this dataset (slug)."),
    actor: str = typer.Option(None, help="Only this actor (e-mail)."),
    action: str = typer.Option(None, help="Only this action (query, export, ...)."),
    party: str = typer.Option(None, "--party", help="Only readers of this party (ISO3)."),
    since: datetime = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="From this day (YYYY-MM-DD)."),
    until: datetime = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Before this day (YYYY-MM-DD, not included)."),
    limit: int = typer.Option(50, help="At most this many, newest first."),
    before: int = typer.Option(None, "--before", help="Entries before this sequence number (the next page)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Who used which data, for what, under which agreement (newest first; as GET /api/v1/ledger)."""
    from scobank.stewardship import ledger_views
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = ledger_views.owner_entries(session, reader=cli_reader(session), dataset=dataset, actor=actor,
                                           action=action, party=party, since=since.date().isoformat() if since else None,
                                           until=until.date().isoformat() if until else None, limit=limit,
                                           before_seq=before)
    if as_json:
        _print_json(shown)
        return
    for e in shown:
        typer.echo(f"{e['seq']:7} {e['at']} {e['actor']:30} {e['action']:10} {e['dataset'] or '-':30} "
                   f"purpose={e['purpose'] or '-'} agreement={e['agreement_id'] or '-'} rows={e['rows']}")


@reference_app.command("party-set")
def party_set(
    iso3: str = typer.Argument(..., help="ISO3 code of the country."),
    status: str = typer.Option(..., "--status", help="member, observer or partner."),
    valid_from: str = typer.Option(..., "--from", help="First day of the status, YYYY-MM-DD."),
    valid_to: str = typer.Option(None, "--to", help="First day it no longer holds (default: open)."),
    source: str = typer.Option("edited by an administrator", "--source", help="The decision behind it."),
) -> None:
    """(Administrators) Record that a country holds a status over a period; overlapping periods of
    that country are shortened or replaced."""
    from scobank.access.identity import cli_reader
    from scobank.stewardship.parties import set_party_status

    start, end = date_option(valid_from, "--from"), date_option(valid_to, "--to")
    with session_scope() as session:
        set_party_status(session, iso3=iso3.upper(), status=status, valid_from=start, valid_to=end, source=source,
                         actor=cli_reader(session))
    typer.echo(f"{iso3.upper()}: {status} from {start}" + (f" until {end}" if end else ""))


def register(app: typer.Typer) -> None:
    """Add stewardship's commands to the root `scobank` command (and `ledger show`, `reference party-set`
    to the access and reference groups)."""
    app.add_typer(policy_app, name="policy")
    app.add_typer(requests_app, name="access-requests")
    app.add_typer(requests_app, name="requests", hidden=True)  # the earlier name, kept for scripts
    app.add_typer(agreements_app, name="agreements")
    app.command("signature")(signature)
