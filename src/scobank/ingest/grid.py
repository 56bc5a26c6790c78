"""Finding the table in a grid of cells, as offices lay it out: a title block above, one or more
header rows (merged cells, years with footnote marks), the data, footnotes and sources below.

Used for spreadsheets and HTML (the whole grid) and for delimited text (its first and last lines).
Rows are classified one by one:

    empty   no cell filled
    note    one cell filled (a title, a unit line, a footnote, "Source: ...")
    data    numbers or missing-value markers beside labels
    header  two or more text cells, or years ("2015", 2019.0, "20221", "2016 1)", "2024年")

The data block starts at the first data row and runs on through rows that are data, or that lead
back to data within two rows (a label row without values, a section heading); it stops at anything
else (footnotes, a second table's header). The header is the run of header rows just above it
(blank rows between allowed), the widest first; rows above it are the title. Where rows use merged
cells, a merged header cell names every column it spans, and names of stacked header rows are joined
("Population 2015").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scobank.ingest.markers import MARKERS
from scobank.ingest.numbers import looks_numeric
from scobank.ingest.scripts import fix_mixed_script

Cell = str | None
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based, inclusive)

# A year label as headers print it: 2015, 2019.0, "20221" (2022 + footnote 1), "20241,2", "20061)",
# "2016 1)", "2015¹", "2015*", "2021 year", "2024年", "2020 г.", "2020 жыл".
YEAR = re.compile(
    r"(?P<year>1[89]\d\d|20\d\d)(?:\.0+)?\s*(?:years?|г\.?|гг\.?|год|годы|жыл|yil|年)?\s*"
    r"(?P<mark>[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:,[¹²³⁴⁵⁶⁷⁸⁹⁰]+)*|\d(?:,\d)*\)?|\d?\)|\*+)?"
)
# How notes under a table begin: "1)", "*", "¹", "注：", "数据来源：", "Примечание", "Источник", "Note",
# "Source", Kazakh "Ескерту" / "Дереккөз"; or a long sentence.
NOTE_START = re.compile(r"^(\d+\)|\d+\s+\D|\*|[¹²³⁴⁵⁶⁷⁸⁹]|注|数据来源|资料来源|来源|примечани|источник|note|source|"
                        r"ескерту|дереккөз|справочно)", re.I)
MAX_HEADER_ROWS = 4
HEADER_COVERAGE = 0.3  # a header row names at least this share of the table's columns


@dataclass
class TableShape:
    header_rows: list[int]  # 0-based grid rows that make the header
    first_row: int  # first data row (0-based)
    last_row: int  # last data row (0-based, inclusive)
    columns: list[int]  # grid columns of the table
    names: list[str]
    title: list[str] = field(default_factory=list)  # text of the rows above the header
    notes: list[str] = field(default_factory=list)  # text of the rows below the data
    footnotes: dict[str, str] = field(default_factory=dict)  # column name -> mark stripped from it
    repaired_names: list[tuple[str, str]] = field(default_factory=list)  # (as written, as read)
    summary_rows: list[str] = field(default_factory=list)  # trailing total rows left out


def is_note_text(row: list[Cell]) -> bool:
    """Whether a one-cell row reads as a note or a source line rather than a row of the table."""
    text = " ".join(c for _, c in filled(row))
    return bool(NOTE_START.match(text)) or len(text) > 60


def filled(row: list[Cell]) -> list[tuple[int, str]]:
    return [(j, c.strip()) for j, c in enumerate(row) if c is not None and c.strip()]


def year_of(text: str) -> tuple[str, str] | None:
    """("2022", "1") for "20221" and the like; None when `text` is no year label."""
    match = YEAR.fullmatch(text.strip())
    return (match["year"], match["mark"] or "") if match else None


def row_kind(row: list[Cell]) -> str:
    cells = filled(row)
    if not cells:
        return "empty"
    values = sum(1 for _, c in cells if c in MARKERS or (looks_numeric(c) and year_of(c) is None))
    years = sum(1 for _, c in cells if year_of(c) is not None)
    if values and values >= years:
        return "data"
    if len(cells) == 1:
        return "note"
    return "header"


def find_table(grid: list[list[Cell]], *, merges: list[Merge] = (), header_row: int | None = None,
               header_rows: int | None = None) -> TableShape:
    """Where the table is in `grid` (see the module docstring). `header_row` (0-based) and
    `header_rows` fix the header when detection cannot tell."""
    kinds = [row_kind(r) for r in grid]
    if header_row is not None:
        header = list(range(header_row, header_row + (header_rows or 1)))
        first = next((i for i in range(header[-1] + 1, len(grid)) if kinds[i] != "empty"), len(grid))
    else:
        first = _first_data_row(kinds)
        header = _header_rows(grid, kinds, first, merges, count=header_rows)
    last = _last_data_row(kinds, first)
    columns = _table_columns(grid, header, first, last)
    names, footnotes, repaired = header_names(grid, header, columns, merges)
    summary = _summary_rows(grid, first, last, merges)
    top = header[0] if header else first
    return TableShape(
        header_rows=header, first_row=first, last_row=last - len(summary), columns=columns, names=names,
        title=[" ".join(c for _, c in filled(grid[i])) for i in range(top) if filled(grid[i])],
        notes=_notes(grid, kinds, last),
        footnotes=footnotes, repaired_names=repaired, summary_rows=summary,
    )


def _notes(grid: list[list[Cell]], kinds: list[str], last: int) -> list[str]:
    """Text of the rows below the data, up to a second table (which is said, not read)."""
    out = []
    for i in range(last + 1, len(grid)):
        if kinds[i] == "data":
            out.append(f"(another table follows from row {i + 1}; give --header-row to read it)")
            break
        if kinds[i] != "empty":
            out.append(" ".join(c for _, c in filled(grid[i])))
    return out


def _first_data_row(kinds: list[str]) -> int:
    for i, kind in enumerate(kinds):
        if kind == "data":
            return i
    # No numbers anywhere (a table of text): the first row of two or more cells is the header.
    header = next((i for i, k in enumerate(kinds) if k == "header"), None)
    return len(kinds) if header is None else header + 1


def _header_rows(grid: list[list[Cell]], kinds: list[str], first: int, merges: list[Merge], *,
                 count: int | None) -> list[int]:
    """The header rows directly above the first data row (up to two blank rows between)."""
    i = first - 1
    while i >= 0 and kinds[i] == "empty" and first - i <= 2:
        i -= 1
    width = max((len(filled(grid[r])) for r in range(first, min(first + 20, len(grid)))), default=1)
    rows: list[int] = []
    while i >= 0 and len(rows) < (count or MAX_HEADER_ROWS):
        kind = kinds[i]
        wide = _coverage(grid[i], i, merges) >= HEADER_COVERAGE * width
        group = kind == "note" and filled(grid[i])[0][0] > 0 and _spans(i, filled(grid[i])[0][0], merges)
        if count is None and rows and not ((kind == "header" and wide) or group):
            break
        if count is None and not rows and kind == "empty":
            break
        rows.insert(0, i)
        i -= 1
    return rows


def _coverage(row: list[Cell], index: int, merges: list[Merge]) -> int:
    total = 0
    for j, _ in filled(row):
        span = next((m[3] - m[1] + 1 for m in merges if m[0] == index and m[1] == j), 1)
        total += span
    return total


def _spans(row: int, column: int, merges: list[Merge]) -> bool:
    return any(m[0] == row and m[1] == column and m[3] > m[1] for m in merges)


def _last_data_row(kinds: list[str], first: int) -> int:
    last, i = first - 1, first
    while i < len(kinds):
        if kinds[i] == "data":
            last, i = i, i + 1
            continue
        ahead = kinds[i:i + 3]
        if kinds[i] in ("header", "note", "empty") and "data" in ahead and _no_second_header(ahead):
            i += 1
            continue
        break
    return last


def _no_second_header(ahead: list[str]) -> bool:
    """A label row inside the data may be followed by data; two header rows in a row start a new table."""
    return ahead[:2] != ["header", "header"]


def _table_columns(grid: list[list[Cell]], header: list[int], first: int, last: int) -> list[int]:
    used: set[int] = set()
    for i in [*header, *range(first, last + 1)]:
        used.update(j for j, _ in filled(grid[i]))
    return sorted(used)


def _header_text(grid: list[list[Cell]], row: int, column: int, merges: list[Merge], *, last: bool) -> str:
    """The text naming `column` in header `row`: its own, the origin of a merge over it, or (upper
    rows of a grid without merge records) the nearest text to the left."""
    text = (grid[row][column] or "").strip() if column < len(grid[row]) else ""
    if text:
        return text
    for r0, c0, r1, c1 in merges:
        if r0 <= row <= r1 and c0 <= column <= c1 and r0 == row:
            return (grid[r0][c0] or "").strip()
    if not merges and not last:
        for j in range(column - 1, -1, -1):
            left = (grid[row][j] or "").strip() if j < len(grid[row]) else ""
            if left:
                return left
    return ""


def header_names(grid: list[list[Cell]], header: list[int], columns: list[int],
           merges: list[Merge]) -> tuple[list[str], dict[str, str], list[tuple[str, str]]]:
    years_in = {r: sum(1 for _, c in filled(grid[r]) if year_of(c)) >= 2 for r in header}
    names, footnotes, repaired, seen = [], {}, [], set()
    for j in columns:
        parts, marks = [], []
        for r in header:
            text = _header_text(grid, r, j, merges, last=r == header[-1])
            year = year_of(text) if years_in[r] else None
            if year:
                text = year[0]
                if year[1]:
                    marks.append(year[1])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        written = " ".join(" ".join(parts).split())
        name = fix_mixed_script(written) or f"column {j + 1}"
        if name != written and written:
            repaired.append((written, name))
        base, n = name, 2
        while name.lower() in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name.lower())
        names.append(name)
        if marks:
            footnotes[name] = ",".join(marks)
    return names, footnotes, repaired


def _summary_rows(grid: list[list[Cell]], first: int, last: int, merges: list[Merge]) -> list[str]:
    """Trailing total rows: their label is one cell merged across several columns ("India's Total",
    colspan=3), or the first column, filled on the item rows, is empty on them ("Total" under a
    numbered list). They are totals, not items: left out and named in the report."""
    rows = [grid[i] for i in range(first, last + 1) if filled(grid[i])]
    lead = min((filled(r)[0][0] for r in rows), default=0)
    out, i = [], last
    while i > first and len(out) < 5:
        cells = filled(grid[i])
        if not cells or row_kind(grid[i]) != "data":
            break
        before = rows[: len(rows) - len(out) - 1]
        keyed = sum(1 for r in before if filled(r)[0][0] == lead)
        merged = _spans(i, cells[0][0], merges)
        unkeyed = cells[0][0] > lead and keyed >= 0.9 * len(before) and not looks_numeric(cells[0][1])
        if not (merged or unkeyed):
            break
        out.insert(0, cells[0][1])
        i -= 1
    return out
