"""Commands of the analytics area."""

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
