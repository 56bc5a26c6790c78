"""Commands of the access area: users, tokens, policy, requests, agreements, ledger, verify.

Every command acts as the local operator unless `scobank --as EMAIL` (or SCOBANK_AS) names a user.
"""

from __future__ import annotations

import json
import sys

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
        reader = cli_reader(session)
        if not reader.is_operator:
            party = reader.party
            if reader.role != "steward":
                raise _denied()
        shown = users.list_users(session, party=party)
    if as_json:
        _print_json([u.to_dict() for u in shown])
        return
    for u in shown:
        typer.echo(f"{u.email:40} {u.role:9} {u.organisation or '-':30} {u.party or '-'}"
                   f"{'' if u.active else '  (deactivated)'}")


def _denied():
    from scobank.errors import AccessDenied

    return AccessDenied("only a platform administrator or a party steward may list users")


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


@users_app.command("deactivate")
def users_deactivate(email: str) -> None:
    """Deactivate an account: its tokens and sessions stop working at once."""
    from scobank.access import users
    from scobank.access.identity import cli_reader

    with session_scope() as session:
        reader = cli_reader(session)
        user = users.find_user(session, email)
        shown = users.public(session, user)
        users.check_may_manage(session, reader=reader, organisation=shown.organisation, role=shown.role)
        users.set_active(session, user=user, active=False)
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
def ledger_verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """Check the whole hash chain; name the first edited, deleted, inserted or reordered entry."""
    from scobank.access import ledger

    with session_scope() as session:
        result = ledger.verify(session)
    if as_json:
        _print_json(result.to_dict())
    else:
        typer.echo(result.message, err=not result.ok)
    if not result.ok:
        sys.exit(14)  # the chain is broken: a distinct exit code for monitoring


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


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(ledger_app, name="ledger")
