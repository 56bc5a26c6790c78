"""ai drops the vectors of a changed dataset, listing or enterprise through ORM listeners that the
server and the CLI register when they start, not as a side effect of importing scobank.ai."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

COUNT = """
import sys
from sqlalchemy import inspect
import scobank.ai.kinds
from scobank.catalog.models import Dataset
from scobank.exchange.models import Enterprise, Listing
counts = lambda: [len(inspect(m).dispatch.after_update) + len(inspect(m).dispatch.after_delete)
                  for m in (Dataset, Listing, Enterprise)]
print(counts())
{start}
print(counts())
"""


def _counts(start: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-c", COUNT.format(start=start)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")[:2]


def test_importing_ai_registers_nothing_and_the_app_registers_each_listener_once():
    before, after = _counts("from scobank.api.app import create_app; create_app(); create_app()")
    assert before == "[0, 0, 0]"
    assert after == "[2, 2, 2]"


def test_the_cli_registers_the_listeners_when_it_starts():
    start = ("from typer.testing import CliRunner; from scobank.cli import app; "
             "CliRunner().invoke(app, ['verify', '--help'])")
    before, after = _counts(start)
    assert before == "[0, 0, 0]"
    assert after == "[2, 2, 2]"
