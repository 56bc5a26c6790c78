"""The `scobank` command. Each area adds its commands in `<area>/cli.py: register(app)`; this module
holds the root, `init` and `serve`, and maps errors once: a ScobankError prints one plain line on
stderr and exits with its class's code; a usage mistake (unknown option or command, missing argument)
prints its reason and the command's usage, exit 2; a bank never initialised says so and names
`scobank init`; anything else is a bug (exit 1, traceback)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import typer

from scobank.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, ScobankError

app = typer.Typer(
    name="scobank",
    help="SCO Data Bank: publish, find, query and analyse the member states' industrial data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Modules whose `register(app)` adds commands. Order is the order of `--help`.
COMMAND_MODULES = (
    "scobank.reference.cli",
    "scobank.catalog.cli",
    "scobank.catalog.sql_cli",
    "scobank.search.cli",
    "scobank.ingest.cli",
    "scobank.access.cli",
    "scobank.stewardship.cli",
    "scobank.analytics.cli",
    "scobank.ai.cli",
    "scobank.exchange.cli",
    "scobank.demo.cli",
)


@app.callback()
def root(
    act_as: str = typer.Option(None, "--as", metavar="EMAIL", envvar="SCOBANK_AS",
                               help="Act as this user (default: the local operator, with full rights)."),
    purpose: str = typer.Option(None, "--purpose", envvar="SCOBANK_PURPOSE",
                                help="The purpose of this use (statistics, matching, research, commercial); "
                                     "the access gate judges it and the ledger records it."),
) -> None:
    """SCO Data Bank: publish, find, query and analyse the member states' industrial data."""
    from scobank.access.identity import act_as as set_identity
    from scobank.access.identity import state_purpose
    from scobank.bank import start

    start()  # access's organisation lookup, ai's listeners (scobank.bank.start)
    set_identity(act_as)
    state_purpose(purpose)


@app.command()
def init() -> None:
    """Prepare an empty bank in SCOBANK_HOME: create or upgrade the database, load reference data.

    Safe to run again: it changes nothing that is already there.
    """
    from scobank.bank import init_bank

    summary = init_bank()
    typer.echo(summary)


@app.command("backup")
def backup_command(target: Path = typer.Argument(..., metavar="DIR", help="A new or empty folder.")) -> None:
    """Copy this bank (metadata database, lake manifest and files, signing keys) into DIR, consistently
    while the server may keep writing. Restore it with `scobank restore DIR`."""
    from scobank.backup import backup

    manifest = backup(target)
    typer.echo(f"backed up the database and {len(manifest['lake'])} lake file(s) into {target}")


@app.command("restore")
def restore_command(source: Path = typer.Argument(..., metavar="DIR", help="A folder made by scobank backup.")) -> None:
    """Restore a backup into this (fresh) SCOBANK_HOME, checking every lake file against its hash;
    then run `scobank ledger verify`."""
    from scobank.backup import restore

    manifest = restore(source)
    typer.echo(f"restored the database and {len(manifest['lake'])} lake file(s) made at {manifest['made_at']}")


@app.command("move-metadata")
def move_metadata_command(
    to: str = typer.Option(..., "--to", metavar="URL",
                           help="An empty PostgreSQL database: postgresql+psycopg://user@host:port/db."),
) -> None:
    """Move this embedded bank's metadata (SQLite) into PostgreSQL, checked row by row and by the
    ledger's chain; the lake and keys stay in SCOBANK_HOME. Stop the server first (docs/deploy.md)."""
    from scobank.metadata_move import move_metadata

    report = move_metadata(to)
    typer.echo(f"moved {report.total} rows in {len(report.rows)} tables to {report.target}; "
               f"in the target, {report.ledger}")
    typer.echo(f"next: SCOBANK_DATABASE_URL={report.target} (with its password) for every worker, "
               "SCOBANK_HOME unchanged")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, help="Server processes (PostgreSQL: any number; SQLite: see README)."),
) -> None:
    """Serve the portal and the REST API (OpenAPI at /api/openapi.json)."""
    import uvicorn

    from scobank.access.secret_key import secret_key
    from scobank.ai.embedding import preload_in_background
    from scobank.bank import init_bank

    init_bank()
    secret_key()  # made once here, so the workers never race to create it
    if workers == 1:  # with several workers each process loads the encoder on first use
        preload_in_background(on_ready=lambda line: typer.echo(line, err=True))
    from scobank.config import get_settings

    uvicorn.run("scobank.api.app:create_app", factory=True, host=host, port=port, log_level="info",
                workers=workers, timeout_keep_alive=int(get_settings().keep_alive_seconds))


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def _usage_error(exc: Exception) -> None:
    """One line with the reason, then the command's usage and where its help is; exit 2.

    Typer ships its own copy of click (typer._click), so both copies' exception classes are caught:
    TyperException is the base of typer's ClickException, click.ClickException of the original's."""
    ctx = getattr(exc, "ctx", None)
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if not message.strip():  # a group called without a command: its help is already shown
        sys.exit(EXIT_USAGE)
    typer.echo(f"error [usage]: {message}", err=True)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"Try '{ctx.command_path} --help' for help.", err=True)
    sys.exit(getattr(exc, "exit_code", EXIT_USAGE) or EXIT_USAGE)


def _database_error(exc: Exception) -> None:
    """A database that has no tables is a bank never initialised: say so and how to fix it."""
    from scobank.bank import is_initialised, not_initialised

    try:
        initialised = is_initialised()
    except Exception:  # the database cannot even be reached: the original error says more
        raise exc from None
    if initialised:
        raise exc
    error = not_initialised()
    typer.echo(f"error [{error.code}]: {error.message}", err=True)
    sys.exit(error.exit_code)


def _is_usage_error(exc: Exception) -> bool:
    import click
    from typer.exceptions import TyperException

    return isinstance(exc, TyperException | click.ClickException)


def main() -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        code = app(prog_name="scobank", standalone_mode=False)
    except ScobankError as exc:
        from scobank.access import refusals

        refusals.record(exc)  # a refusal of the gate lands in the ledger (the command's work rolled back)
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        for problem in exc.problems[:20]:
            typer.echo(f"  {problem}", err=True)
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit:
        raise
    except (OperationalError, ProgrammingError) as exc:
        _database_error(exc)
    except OSError as exc:  # a full disk or an unwritable folder: say so, no traceback
        from scobank.errors import storage_error

        if (storage := storage_error(exc)) is None:
            raise
        typer.echo(f"error [{storage.code}]: {storage.message}", err=True)
        sys.exit(storage.exit_code)
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        if getattr(exc, "exit_code", EXIT_USAGE) == EXIT_OK:  # --help shown as an error in non-standalone mode
            exc.show()
            sys.exit(EXIT_OK)
        _usage_error(exc)
    if isinstance(code, int) and code:  # typer.Exit(n) returns n in non-standalone mode
        sys.exit(code)
