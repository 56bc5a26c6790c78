"""A user's mistakes at the `scobank` command end in one line and the usage, never a traceback:
every command (walked from the typer app, so a new command is covered the day it is added) with an
unknown option, a missing argument, a misspelled command, and any command on a bank never initialised."""

from __future__ import annotations

import pytest
import typer.main

from scobank.cli import app

from tests.conftest import Bank


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(_commands(typer.main.get_command(app)))


@pytest.fixture
def empty_home(tmp_path, monkeypatch) -> Bank:
    """A SCOBANK_HOME where `scobank init` never ran."""
    from scobank.config import reset_settings
    from scobank.db import reset_engines

    url = f"sqlite:///{tmp_path / 'bank.db'}"
    monkeypatch.setenv("SCOBANK_HOME", str(tmp_path))
    monkeypatch.setenv("SCOBANK_DATABASE_URL", url)
    reset_settings()
    reset_engines()
    yield Bank(tmp_path, url)
    reset_engines()


def test_the_walk_finds_the_commands_of_every_area():
    assert len(COMMANDS) > 40
    assert {("init",), ("ingest",), ("datasets", "diff"), ("ledger", "verify"), ("lake", "gc")} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_unknown_option_prints_the_reason_and_the_usage(empty_home, command):
    result = empty_home.cli(*command, "--no-such-option")
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error [usage]: No such option: --no-such-option")
    assert lines[1].startswith("Usage: scobank " + " ".join(command))


def test_a_missing_argument_and_a_misspelled_command_say_which(empty_home):
    missing = empty_home.cli("datasets", "show")
    assert missing.exit_code == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.splitlines()[0] == "error [usage]: Missing argument 'slug'."
    typo = empty_home.cli("datasets", "lst")
    assert typo.exit_code == 2 and "Traceback" not in typo.stderr
    assert typo.stderr.splitlines()[0] == "error [usage]: No such command 'lst'. Did you mean 'list'?"
    bad_value = empty_home.cli("lake", "gc", "--min-age", "soon")
    assert bad_value.exit_code == 2 and "'--min-age'" in bad_value.stderr.splitlines()[0]


def test_a_bank_never_initialised_says_so_and_how_to_fix_it(empty_home):
    result = empty_home.cli("datasets", "list")
    assert result.exit_code == 15
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    assert result.stderr.startswith("error [not-initialised]: this bank was never initialised")
    assert "Run `scobank init`" in result.stderr
    assert empty_home.cli("init").exit_code == 0
    assert empty_home.cli("datasets", "list", "--json").stdout.strip() == "[]"
