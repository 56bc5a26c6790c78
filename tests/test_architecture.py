"""The architecture of issue 19 as import contracts (pyproject.toml, [tool.importlinter]): layers point
down, no import cycles, no area imports another area's tables. `lint-imports` reads the import graph
of src/scobank (imports inside functions included) and this test fails on any broken contract."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    report = done.stdout + done.stderr
    assert "Contracts: " in report, report
    assert done.returncode == 0, report
    assert re.search(r"Contracts: [1-9]\d* kept, 0 broken\.", report), report
