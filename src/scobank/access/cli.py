"""Commands of the access area: users, tokens, policy, requests, agreements, ledger, verify.

Every command acts as the local operator unless `scobank --as EMAIL` (or SCOBANK_AS) names a user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from scobank.db import session_scope

users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens (Authorization: Bearer).", no_args_is_help=True)
ledger_app = typer.Typer(help="The tamper-evident record of every use of data.", no_args_is_help=True)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@users_app.command("create")
def users_create(
    email: str,
    org: str = typer.Option(None, "--org", help="Organisation slug."),
    role: str = typer.Option("viewer", help="steward | admin | editor | viewer | platform-admin"),
    name: str = typer.Option(None, help="Display name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read a password from stdin."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Add a user to an organisation with a role."""
    from scobank.access import users
    from scobank.access.identity import cli_reader

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    with session_scope() as session:
        users.check_may_manage(session, reader=cli_reader(session), organisation=org, role=role)
        user = users.create_user(session, email=email, organisation=org, role=role, password=password,
                                 name=name)
        shown = users.public(session, user)
    if as_json:
        _print_json(shown.to_dict())
    else:
        typer.echo(f"user {shown.email} ({shown.role} of {shown.organisation or 'the platform'}) created")


@users_app.command("list")
def users_list(party: str = typer.Option(None, help="Only users of this party (ISO3)."),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """List users."""
    from scobank.access import users
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        party = users.check_may_list(cli_reader(session)) or party
        shown = users.list_users(session, party=party)
    if as_json:
        _print_json([u.to_dict() for u in shown])
        return
    for u in shown:
        typer.echo(f"{u.email:40} {u.role:9} {u.organisation or '-':30} {u.party or '-'}"
                   f"{'' if u.active else '  (deactivated)'}")


@users_app.command("password")
def users_password(email: str, password_stdin: bool = typer.Option(True, "--password-stdin")) -> None:
    """Set a user's password (read from stdin)."""
    from scobank.access import users
    from scobank.access.identity import cli_reader

    password = sys.stdin.readline().rstrip("\r\n")
    with session_scope() as session:
        user = users.find_user(session, email)
        users.check_may_act_for(reader=cli_reader(session), user=user)
        users.set_password(session, user=user, password=password)
    typer.echo(f"password of {email} set")


@users_app.command("set")
def users_set(
    email: str,
    role: str = typer.Option(None, help="steward | admin | editor | viewer"),
    name: str = typer.Option(None, help="Display name."),
    active: bool = typer.Option(None, "--active/--inactive", help="Reactivate or deactivate the account."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Change a user's role, name or active flag (stewards: their party's users; org admins: their
    editors and viewers). Recorded in the ledger."""
    from scobank.access import users
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        user = users.change_user(session, reader=cli_reader(session), user=users.find_user(session, email),
                                 role=role, active=active, name=name)
        shown = users.public(session, user)
    if as_json:
        _print_json(shown.to_dict())
    else:
        typer.echo(f"user {shown.email}: {shown.role} of {shown.organisation or 'the platform'}"
                   f"{'' if shown.active else ', deactivated'}")


@users_app.command("deactivate")
def users_deactivate(email: str) -> None:
    """Deactivate an account: its tokens and sessions stop working at once."""
    from scobank.access import users
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        users.change_user(session, reader=cli_reader(session), user=users.find_user(session, email), active=False)
    typer.echo(f"user {email} deactivated")


@tokens_app.command("create")
def tokens_create(
    email: str,
    scope: str = typer.Option("read", help="read | write | admin"),
    expires: int = typer.Option(None, "--expires", help="Days until it expires (default: never)."),
    name: str = typer.Option(None, help="A label to recognise it by."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Create an API token for a user. The token is printed once and never stored."""
    from scobank.access import tokens, users
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        user = users.find_user(session, email)
        users.check_may_act_for(reader=cli_reader(session), user=user)
        new = tokens.create_token(session, user=user, scope=scope, expires_days=expires, name=name)
    if as_json:
        _print_json({"id": new.id, "token": new.token, "scope": new.scope,
                     "expires_at": new.expires_at.isoformat() + "Z" if new.expires_at else None})
    else:
        typer.echo(f"token {new.id} for {email} (scope {scope}); shown once, keep it safe:\n{new.token}")


@tokens_app.command("list")
def tokens_list(email: str = typer.Argument(None), as_json: bool = typer.Option(False, "--json")) -> None:
    """List tokens (yours with --as; everyone's, or one user's, as the operator). Never their secrets."""
    from scobank.access import tokens, users
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        reader = cli_reader(session)
        user = users.find_user(session, email or reader.email) if (email or not reader.is_operator) else None
        if user is not None:
            users.check_may_act_for(reader=reader, user=user)
        shown = tokens.list_tokens(session, user=user)
    if as_json:
        _print_json([t.to_dict() for t in shown])
        return
    for t in shown:
        state = "revoked" if t.revoked_at else ("expires " + str(t.expires_at) if t.expires_at else "active")
        typer.echo(f"{t.id:5} {t.user:40} {t.prefix}… {','.join(t.scopes):16} {state}")


@tokens_app.command("revoke")
def tokens_revoke(token_id: int) -> None:
    """Revoke a token: it stops working at once."""
    from scobank.access import tokens
    from scobank.access.identity import cli_reader
    from scobank.access.models import User

    with session_scope() as session:
        reader = cli_reader(session)
        owner = None if reader.is_operator else session.get(User, reader.user_id)
        tokens.revoke_token(session, token_id=token_id, owner=owner)
    typer.echo(f"token {token_id} revoked")


@ledger_app.command("verify")
def ledger_verify(
    against: Path = typer.Option(None, "--against", metavar="HEADS",
                                 help="A file of checkpoints you kept (signed notes): prove the ledger extends each."),
    key: str = typer.Option(None, "--key", metavar="VKEY",
                            help="The verifier key you kept (default: this bank's own ledger key)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Check the hash chain (naming the first edited, deleted, inserted or reordered entry), then prove
    with Merkle consistency proofs that the ledger extends every checkpoint the bank signed and every
    one you kept (--against): a rewrite with recomputed hashes, a cut tail or a wipe is caught there."""
    from scobank.access import checkpoints, ledger
    from scobank.access.notes import split_notes

    heads = split_notes(_read_heads(against)) if against else []
    with session_scope() as session:
        result = ledger.verify(session)
        kept = checkpoints.verify_heads(session, checkpoints.stored_notes(session) + heads, key=key)
    failed = [h for h in kept if not h.ok]
    ok = result.ok and not failed
    if as_json:
        _print_json({**result.to_dict(), "ok": ok, "checkpoints": [h.to_dict() for h in kept]})
    else:
        typer.echo(result.message, err=not result.ok)
        for h in failed:
            typer.echo(f"checkpoint: {h.message}", err=True)
        if kept and not failed:
            typer.echo(f"consistent with {len(kept)} checkpoint(s), the largest of size {max(h.size for h in kept)}")
    if not ok:
        sys.exit(14)  # the ledger is broken: a distinct exit code for monitoring


def _read_heads(path: Path) -> str:
    from scobank.errors import BadRequest

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"{path}: cannot read the kept checkpoints ({exc.__class__.__name__})") from None


@ledger_app.command("checkpoint")
def ledger_checkpoint(
    save: Path = typer.Option(None, "--save", metavar="HEADS", help="Also append the checkpoint to this file."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Sign a checkpoint of the ledger now (C2SP tlog-checkpoint: origin, size, Merkle root; Ed25519)
    and print it. Keep it (--save): `ledger verify --against` later proves nothing before it changed."""
    from scobank.access import checkpoints

    with session_scope() as session:
        row = checkpoints.checkpoint(session)
        shown = {**checkpoints.checkpoint_dict(row), "verifier_key": checkpoints.verifier_key()}
    if save is not None:
        with open(save, "a", encoding="utf-8") as f:
            f.write(shown["note"] + "\n")
    if as_json:
        _print_json(shown)
    else:
        typer.echo(shown["note"], nl=False)
        typer.echo(f"verifier key: {shown['verifier_key']}", err=True)


@ledger_app.command("prove")
def ledger_prove(seq: int = typer.Argument(..., help="The ledger entry (its seq).")) -> None:
    """An inclusion proof of one of your entries in the newest checkpoint (it shows no other entry),
    checked before it is printed as JSON."""
    from scobank.access import checkpoints
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        doc = checkpoints.inclusion(session, reader=cli_reader(session), seq=seq)
    if not checkpoints.check_inclusion(doc, key=doc["verifier_key"]):
        from scobank.errors import Conflict

        raise Conflict(f"the inclusion proof of entry {seq} does not verify: run scobank ledger verify")
    _print_json(doc)


@ledger_app.command("show")
def ledger_show(
    dataset: str = typer.Option(None, "--dataset", help="Only uses of this dataset (slug)."),
    actor: str = typer.Option(None, help="Only this actor (e-mail)."),
    action: str = typer.Option(None, help="Only this action (query, export, ...)."),
    limit: int = typer.Option(50, help="At most this many, newest first."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Who used which data, for what, under which agreement (newest first)."""
    from scobank.access import ledger_views
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = ledger_views.owner_entries(session, reader=cli_reader(session), dataset=dataset, actor=actor,
                                           action=action, limit=limit)
    if as_json:
        _print_json(shown)
        return
    for e in shown:
        typer.echo(f"{e['seq']:7} {e['at']} {e['actor']:30} {e['action']:10} {e['dataset'] or '-':30} "
                   f"purpose={e['purpose'] or '-'} agreement={e['agreement_id'] or '-'} rows={e['rows']}")




policy_app = typer.Typer(help="Who may use a dataset, for what, at which granularity.", no_args_is_help=True)


def _document(audience: str, aggregates_only: int | None, purposes: str | None, no_export: bool,
              embargo: str | None, expires: str | None) -> dict:
    from scobank.access.policies import parse_audience

    return {**parse_audience(audience), "aggregates_only_k": aggregates_only,
            "purposes": [p for p in purposes.split(",") if p.strip()] if purposes else None,
            "export": not no_export, "embargo_until": embargo, "expires": expires}


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
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Set a dataset's policy (a new version; the old one stays in its history)."""
    from scobank.access import stewardship
    from scobank.access.identity import cli_reader

    doc = _document(audience, aggregates_only, purposes, no_export, embargo, expires)
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
    return "; ".join(parts)


@policy_app.command("show")
def policy_show(slug: str, as_json: bool = typer.Option(False, "--json"),
                odrl: bool = typer.Option(False, "--odrl", help="Print it as an ODRL 2.2 policy.")) -> None:
    """Show the policy that applies to a dataset (its own, else its party's default)."""
    from scobank.access import stewardship
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
    from scobank.access import stewardship
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
) -> None:
    """Set a party's default policy (for its datasets that have none of their own)."""
    from scobank.access import stewardship
    from scobank.access.identity import cli_reader

    doc = _document(audience, aggregates_only, purposes, no_export, None, None)
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
    from scobank.access import stewardship
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
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Ask for access to a dataset (acting as a user: scobank --as EMAIL requests create ...)."""
    from scobank.access import requests
    from scobank.access.identity import cli_reader

    terms = requests.Terms(purpose, _date_option(until, "--until"), _date_option(start, "--from"),
                           aggregates_only, export)
    with session_scope() as session:
        shown = requests.create_request(session, reader=cli_reader(session), slug=slug, terms=terms,
                                        message=message)
    _print_json(shown) if as_json else typer.echo(_show_request(shown))


@requests_app.command("list")
def requests_list(status: str = typer.Option(None, help="pending | approved | narrowed | refused"),
                  dataset: str = typer.Option(None, help="Only this dataset (slug)."),
                  as_json: bool = typer.Option(False, "--json")) -> None:
    """Your requests; a steward also sees those on the party's datasets."""
    from scobank.access import requests
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
    from scobank.access import requests
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
    from scobank.access import requests
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
    from scobank.access import requests
    from scobank.access.identity import cli_reader

    terms = requests.Terms(purpose, _date_option(until, "--until"), None, aggregates_only, export)
    with session_scope() as session:
        shown = requests.grant_agreement(session, reader=cli_reader(session), slug=slug, user_email=email,
                                         terms=terms)
    typer.echo(_show_agreement(shown))


@agreements_app.command("revoke")
def agreements_revoke(agreement_id: int) -> None:
    """End an agreement now (its holder, or the owning steward)."""
    from scobank.access import requests
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        shown = requests.revoke_agreement(session, reader=cli_reader(session), agreement_id=agreement_id)
    typer.echo(_show_agreement(shown))


def signature(slug: str, version: int = typer.Option(None, help="Only this version number."),
              as_json: bool = typer.Option(True, "--json/--text")) -> None:
    """Print the publishing party's signatures of a dataset's versions (JSON for `scobank verify`)."""
    from scobank.access import signatures
    from scobank.access.gate import authorize
    from scobank.access.reader import Action
    from scobank.access.identity import cli_reader
    from scobank.access.policies import dataset_by_slug

    with session_scope() as session:
        dataset = dataset_by_slug(session, slug)
        authorize(session, reader=cli_reader(session), dataset=dataset, action=Action.METADATA)
        shown = signatures.signatures_of(session, dataset=dataset, number=version)
    if as_json:
        _print_json(shown)
        return
    for v in shown["versions"]:
        typer.echo(f"v{v['number']} {v['content_hash']} signed by {v['party']} (key {v['key_fingerprint']})")


def verify(
    file: str = typer.Argument(..., help="The downloaded Parquet file."),
    signature: str = typer.Option(..., help="The signature (hex), or a JSON file from `scobank signature` "
                                            "/ GET /api/v1/datasets/SLUG/signature."),
    public_key: str = typer.Option(None, "--public-key", help="The party's public key (hex); read from "
                                                              "the JSON file when not given."),
) -> None:
    """Check that a file is exactly what its publishing party signed (works offline, without a bank)."""
    from pathlib import Path

    from scobank.access.signatures import verify_file
    from scobank.errors import BadRequest, NotFound

    path = Path(file)
    if not path.is_file():
        raise NotFound(f"no file {file}")
    candidates = [(signature, public_key)]
    if Path(signature).is_file():
        try:
            data = json.loads(Path(signature).read_text())
        except ValueError:
            raise BadRequest(f"{signature}: not a signature JSON file") from None
        entries = data.get("versions", [data]) if isinstance(data, dict) else []
        candidates = [(e.get("signature", ""), public_key or e.get("public_key", "")) for e in entries]
    if not candidates or any(not key for _, key in candidates):
        raise BadRequest("give --public-key, or a signature JSON file that holds it")
    verdicts = [verify_file(path, signature_hex=sig, public_key_hex=key) for sig, key in candidates]
    good = next((v for v in verdicts if v.ok), None)
    typer.echo((good or verdicts[0]).message, err=good is None)
    if good is None:
        sys.exit(15)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(policy_app, name="policy")
    app.add_typer(requests_app, name="requests")
    app.add_typer(agreements_app, name="agreements")
    app.command("signature")(signature)
    app.command("verify")(verify)
