"""`scobank demo`: a bank full of the real data in SCOBANK_DATA_DIR (or a generated, labelled world),
then the portal. Each area contributes a step: a module with

    def populate(session: Session, *, data_dir: Path | None) -> list[str]

that adds its part idempotently (nothing twice when run again) and returns lines to print (what was
loaded, how to log in). Steps run in the order of DEMO_STEPS, each in its own transaction."""

from __future__ import annotations

import importlib

import typer

DEMO_STEPS = (
    "scobank.demo.datasets",  # organisations and the real datasets of ../shared/data
    "scobank.stewardship.demo",  # stewards per member, policies
    "scobank.analytics.demo",  # the default member pages' analyses computed ahead (analytics cache)
    "scobank.exchange.demo",  # generated enterprises and listings
    "scobank.ai.demo",  # embeddings index
)


def populate_demo() -> list[str]:
    from scobank.bank import init_bank
    from scobank.config import get_settings
    from scobank.db import session_scope

    lines = [init_bank()]
    data_dir = get_settings().resolved_data_dir
    for name in DEMO_STEPS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # that area has no demo step yet
        with session_scope() as session:
            lines += module.populate(session, data_dir=data_dir)
    return lines


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        port: int = typer.Option(8000, help="Port of the portal."),
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        serve: bool = typer.Option(True, help="Serve the portal after loading (--no-serve: load only)."),
    ) -> None:
        """Load the demonstration bank (real data from SCOBANK_DATA_DIR) and serve the portal."""
        for line in populate_demo():
            typer.echo(line)
        if serve:
            import uvicorn

            from scobank.ai.embedding import preload_in_background
            from scobank.config import get_settings
            from scobank.demo import mail_catcher

            preload_in_background(on_ready=lambda line: typer.echo(line, err=True))
            catcher = mail_catcher.start(get_settings().home)
            typer.echo(f"Mail: a local SMTP server on 127.0.0.1:{catcher.port} receives the bank's mail every 5 s; "
                       f"read it in {catcher.folder} (a Maildir, e.g. `mutt -f {catcher.folder}`)")
            typer.echo(f"\nOpen http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
            uvicorn.run("scobank.api.app:create_app", factory=True, host=host, port=port, log_level="warning")
