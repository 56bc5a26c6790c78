"""Collecting problems: the first LIMIT in full, the rest counted, so that a file of ten million bad
rows still gives a report a person can read (and a process that stays small)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scobank.errors import Problem, ValidationReport

LIMIT = 1000


@dataclass
class ProblemLog:
    file: str
    limit: int = LIMIT
    kept: list[Problem] = field(default_factory=list)
    total: int = 0
    by_kind: dict[tuple[str, str | None], int] = field(default_factory=dict)  # (code, column) -> found

    def count(self, code: str, column: str | None) -> int:
        """How many problems of `code` were found in `column` (kept or only counted)."""
        return self.by_kind.get((str(code), column), 0)

    def _tally(self, code: str, column: str | None, found: int) -> None:
        key = (str(code), column)
        self.by_kind[key] = self.by_kind.get(key, 0) + found

    def add(self, problem: Problem) -> None:
        self._tally(problem.code, problem.column, 1)
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def add_counted(self, problems: list[Problem], total: int) -> None:
        """Add a check's first problems and the number it found in all (kept ones included)."""
        if problems:
            self._tally(problems[0].code, problems[0].column, total)
        self.total += total
        self.kept.extend(problems)

    def report(self, *, rows_read: int, rows_accepted: int, columns: list[str]) -> ValidationReport:
        """The report: problems ordered by row, then by column in file order, whole-file ones first."""
        position = {name: index for index, name in enumerate(columns)}
        ordered = sorted(
            self.kept,
            key=lambda p: (p.row or 0, position.get(p.column or "", -1), p.code),
        )[: self.limit]
        return ValidationReport(
            file=self.file,
            rows_read=rows_read,
            rows_accepted=rows_accepted,
            problems=ordered,
            problems_total=self.total,
        )
