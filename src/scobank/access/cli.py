"""Commands of the access area: users, tokens, the ledger's chain, verify (a file against a signature).
The steward's commands (policy, requests, agreements, ledger show, signature) are in scobank.stewardship.cli.

Every command acts as the local operator unless `scobank --as EMAIL` (or SCOBANK_AS) names a user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from scobank.db import session_scope
from scobank.errors import EXIT_LEDGER_BROKEN, EXIT_SIGNATURE_INVALID

users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens (Authorization: Bearer).", no_args_is_help=True)
ledger_app = typer.Typer(help="The tamper-evident record of every use of data.", no_args_is_help=True)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@users_app.command("create")
def users_create(
    email: str,
    org: str = typer.Option(None, "--organisation", "--org", help="Organisation slug."),
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
        sys.exit(EXIT_LEDGER_BROKEN)  # a distinct exit code for monitoring


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
        sys.exit(EXIT_SIGNATURE_INVALID)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(ledger_app, name="ledger")
    app.command("verify")(verify)
