"""The `scobank` command. Each area adds its commands in `<area>/cli.py: register(app)`; this module
holds the root, `init` and `serve`, and maps errors once: a ScobankError prints one plain line on
stderr and exits with its class's code; anything else is a bug (exit 1, traceback)."""

from __future__ import annotations

import importlib
import sys

import typer

from scobank.errors import ScobankError

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
    "scobank.catalog.search_cli",
    "scobank.ingest.cli",
    "scobank.access.cli",
    "scobank.analytics.cli",
    "scobank.ai.cli",
    "scobank.exchange.cli",
    "scobank.demo.cli",
)


@app.callback()
def root(
    act_as: str = typer.Option(None, "--as", metavar="EMAIL", envvar="SCOBANK_AS",
                               help="Act as this user (default: the local operator, with full rights)."),
) -> None:
    """SCO Data Bank: publish, find, query and analyse the member states' industrial data."""
    from scobank.access.identity import act_as as set_identity

    set_identity(act_as)


@app.command()
def init() -> None:
    """Prepare an empty bank in SCOBANK_HOME: create or upgrade the database, load reference data.

    Safe to run again: it changes nothing that is already there.
    """
    from scobank.bank import init_bank

    summary = init_bank()
    typer.echo(summary)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Serve the portal and the REST API (OpenAPI at /api/openapi.json)."""
    import uvicorn

    from scobank.ai.embedding import preload_in_background
    from scobank.bank import init_bank

    init_bank()
    preload_in_background(on_ready=lambda line: typer.echo(line, err=True))
    uvicorn.run("scobank.api.app:create_app", factory=True, host=host, port=port, log_level="info")


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    try:
        app(prog_name="scobank", standalone_mode=False)
    except ScobankError as exc:
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        for problem in exc.problems[:20]:
            typer.echo(f"  {problem}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
