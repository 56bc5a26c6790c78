"""Number formats as offices write them: decimal mark and thousands separator, decided per column.

`1234.5`, `1234,5` (CIS), `1 234,5` (space, no-break space or narrow no-break space), `1.234,5`,
`1,234.5`, Indian lakh/crore grouping `1,23,456.78`, `1'234.5`. A column's format is the one most of
its values fit; a value that fits none is a row problem, never a reason to read the column as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPACES = " \u00a0\u202f\u2009"


@dataclass(frozen=True)
class NumberFormat:
    decimal: str  # "." or ","
    thousands: str  # "" (none), ",", ".", " " (any space kind), "'"
    pattern: str  # full-match regex (RE2 and Python)

    @property
    def label(self) -> str:
        names = {"": "none", " ": "space", ",": "comma", ".": "dot", "'": "apostrophe"}
        return f"decimal {self.decimal!r}, thousands {names[self.thousands]}"

    def translate_from(self) -> str:
        """Characters to translate: the decimal mark (to '.') first, then separators (deleted)."""
        separators = SPACES if self.thousands == " " else self.thousands
        return (self.decimal if self.decimal == "," else "") + separators

    def to_float(self, text: str) -> float | None:
        text = text.strip()
        if not re.fullmatch(self.pattern, text):
            return None
        source = self.translate_from()
        table = {ord(ch): (None if i or self.decimal != "," else ".") for i, ch in enumerate(source)}
        return float(text.translate(table))


def _fmt(decimal: str, thousands: str) -> NumberFormat:
    d = re.escape(decimal)
    if thousands == "":
        whole = r"\d+" if decimal == "," else r"(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
        return NumberFormat(decimal, thousands, rf"[-+]?{whole}" + (rf"({d}\d+)?" if decimal == "," else ""))
    t = f"[{SPACES}]" if thousands == " " else re.escape(thousands)
    groups = rf"\d+|\d{{1,3}}({t}\d{{3}})+"
    if thousands == ",":  # Indian lakh and crore: 1,23,456.78
        groups += r"|\d{1,2}(,\d{2})+,\d{3}"
    return NumberFormat(decimal, thousands, rf"[-+]?({groups})({d}\d+)?")


FORMATS = [_fmt(".", ""), _fmt(".", ","), _fmt(",", ""), _fmt(",", " "), _fmt(",", "."), _fmt(".", " "),
           _fmt(".", "'")]
PLAIN = FORMATS[0]
# When values fit two formats equally ("1,234" fits comma decimals and comma grouping), a file with
# `;` between fields (Excel in a ru-RU or kk-KZ locale) means comma decimals.
SEMICOLON_ORDER = [FORMATS[2], FORMATS[3], FORMATS[4], FORMATS[0], FORMATS[1], FORMATS[5], FORMATS[6]]
_ANY = re.compile("|".join(f"(?:{f.pattern})" for f in FORMATS))


def looks_numeric(text: str) -> bool:
    return bool(_ANY.fullmatch(text.strip()))


def format_for(decimal: str | None, thousands: str | None) -> list[NumberFormat]:
    """The formats a column may take given the steward's --decimal/--thousands (all when not given)."""
    return [f for f in FORMATS if (decimal is None or f.decimal == decimal)
            and (thousands is None or f.thousands == (" " if thousands in SPACES else thousands))]


def canonical(text: str, *, decimal: str | None = None) -> str | None:
    """A number written as text in any format ("46,7", "1 234,5", "32,497.02") as plain digits with
    a '.' decimal mark; None when `text` is no number. Comma decimals win over comma grouping unless
    `decimal` is '.'. Used where real numbers sit beside text ones (spreadsheets, HTML)."""
    text = text.strip()
    if re.fullmatch(PLAIN.pattern, text):
        return text
    order = FORMATS[1:] if decimal == "." else [f for f in SEMICOLON_ORDER if f is not PLAIN]
    for fmt in order:
        if (decimal is None or fmt.decimal == decimal) and re.fullmatch(fmt.pattern, text):
            separators = SPACES if fmt.thousands == " " else fmt.thousands
            out = "".join(ch for ch in text if ch not in separators)
            return out.replace(",", ".") if fmt.decimal == "," else out
    return None
