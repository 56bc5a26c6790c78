"""A validation report for people: a rich table in the terminal, JSON for programs and the API.

Both show the same facts: rows read and accepted, how many problems in all, and each kept problem
with its row (1-based data row, as a spreadsheet shows it), column, value, reason code and message.
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from scobank.errors import ValidationReport

SHOWN = 50  # problems printed in the terminal; --json gives every kept one


def report_json(report: ValidationReport) -> str:
    """The report as JSON (`ValidationReport.to_dict`), UTF-8 text kept readable."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def summary_line(report: ValidationReport) -> str:
    total = max(report.problems_total, len(report.problems))
    verdict = "valid" if report.valid else f"{total:,} problem{'s' if total != 1 else ''}"
    return (f"{report.file}: {report.rows_read:,} rows read, {report.rows_accepted:,} accepted, {verdict}"
            + aggregates_note(report.aggregate_rows))


AGGREGATE_NAMES = {"world": ("World-partner row", "World-partner rows"),
                   "total": ("all-products (TOTAL) row", "all-products (TOTAL) rows"),
                   "unspecified": ("row with an unspecified partner", "rows with an unspecified partner")}


def aggregates_note(aggregate_rows: dict[str, int]) -> str:
    """"; left out, not country-to-country flows: 2 World-partner rows, 1 all-products (TOTAL) row" (or "")."""
    if not aggregate_rows:
        return ""
    parts = [f"{n:,} {AGGREGATE_NAMES.get(kind, (kind, kind))[n != 1]}" for kind, n in aggregate_rows.items()]
    return "; left out, not country-to-country flows: " + ", ".join(parts)


def problems_table(report: ValidationReport, *, shown: int = SHOWN) -> Table:
    table = Table(title=None, show_lines=False, header_style="bold")
    for heading in ("row", "column", "value", "problem", "what is wrong"):
        table.add_column(heading, overflow="fold")
    for problem in report.problems[:shown]:
        table.add_row("" if problem.row is None else f"{problem.row:,}", problem.column or "",
                      "" if problem.value is None else problem.value, problem.code, problem.message)
    return table


def detected_lines(report: dict) -> list[str]:
    """What reading detected, from a report's dict form (`ValidationReport.to_dict`): format,
    encoding and delimiter with confidence and runner-up, header rows, lines left out, repairs,
    then one line per column: its type, number format and values that did not fit."""
    found = report.get("detected") or {}
    if not found:
        return []
    lines = [f"format: {found['format']}" + (f", sheet {found['sheet']!r} of {len(found.get('sheets', []))}"
                                             if found.get("sheet") else "")]
    for key in ("encoding", "delimiter"):
        if key in found:
            lines.append(f"{key}: {_guess(found[key], repr if key == 'delimiter' else str)}")
    if found.get("header_rows"):
        rows = found["header_rows"]
        lines.append(f"header: row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows))}; "
                     f"data from row {found.get('first_data_row')}")
    for key, what in (("title", "above the header"), ("notes", "below the data")):
        if found.get(key):
            lines.append(f"{what} ({len(found[key])} line{'s' if len(found[key]) != 1 else ''} left out): "
                         f"{found[key][0][:80]}")
    if found.get("summary_rows"):
        lines.append(f"total rows left out: {', '.join(found['summary_rows'])}")
    lines += [f"repaired: {text}" for text in found.get("repaired", [])]
    for column in report.get("columns") or []:
        lines.append(f"  {column['name']}: {column['type']}{_number_format(column)}, "
                     f"{column.get('not_fitting', 0):,} not fitting"
                     + (f", {column['missing_markers']:,} missing markers" if column.get("missing_markers") else ""))
    return lines


def _guess(guess: dict, show) -> str:
    if guess.get("given"):
        return f"{show(guess['value'])} (given)"
    second = (f"; runner-up {show(guess['runner_up'])} {guess['runner_up_confidence']:.2f}"
              if guess.get("runner_up") is not None else "")
    return f"{show(guess['value'])} (confidence {guess['confidence']:.2f}{second})"


def _number_format(column: dict) -> str:
    decimal, thousands = column.get("decimal"), column.get("thousands")
    if decimal in (None, ".") and not thousands:
        return ""
    return f" (decimal {decimal!r}" + (f", thousands {thousands!r}" if thousands else "") + ")"


def render_report(report: ValidationReport, console: Console) -> None:
    """Print the summary, what was detected, and the first SHOWN problems, saying how many more."""
    console.print(summary_line(report), highlight=False)
    for line in detected_lines(report.to_dict()):
        console.print(line, highlight=False, markup=False)
    if not report.problems:
        return
    console.print(problems_table(report))
    total = max(report.problems_total, len(report.problems))
    hidden = total - min(len(report.problems), SHOWN)
    if hidden > 0:
        kept_note = "" if total == len(report.problems) else f" ({len(report.problems):,} kept in --json)"
        console.print(f"... and {hidden:,} more problem{'s' if hidden != 1 else ''}{kept_note}", highlight=False)
