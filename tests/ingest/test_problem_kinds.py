"""One list of problem kinds: every check names a `Kind`, and every kind says what it means."""

from __future__ import annotations

import re
from pathlib import Path

import scobank
from scobank.problem_kinds import DESCRIPTIONS, Kind

SOURCE = Path(scobank.__file__).parent


def test_every_kind_has_a_description_a_steward_can_read():
    assert set(DESCRIPTIONS) == set(Kind)
    assert all(text.endswith(".") and len(text) > 20 for text in DESCRIPTIONS.values())
    assert Kind.BAD_TYPE == "bad-type" and Kind("bad-year").describe().startswith("The year")


def test_no_check_writes_its_problem_code_as_a_string_of_its_own():
    literal = re.compile(r"\b(?:Problem|RowCheck)\(\s*[\"']")
    offenders = [f"{path.relative_to(SOURCE)}:{number}" for path in SOURCE.rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if literal.search(line)]
    assert offenders == []
