"""The field delimiter and quote of a delimited text, by consistent field counts over many lines.

Each (delimiter, quote) pair splits the first lines with a real CSV parser; the pair whose most common
field count (above one) holds on the largest share of lines wins. A Russian or Kazakh Excel export
(`;` between fields, `1234,5` and `Объём, млн тенге` inside them) gives `;` a steady count and `,` a
ragged one. When two delimiters are equally steady, `;`, tab and `|` go before `,`, since a comma
that splits every line the same way in such a file is a decimal mark.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from scobank.ingest.guess import Guess

DELIMITERS = (";", "\t", "|", ",")
QUOTES = ('"', "'")
LINES = 200


def field_counts(lines: list[str], delimiter: str, quote: str) -> list[int]:
    """Fields per non-blank line (a quoted value may span lines)."""
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, quotechar=quote)
    try:
        return [len(row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        return []


def consistency(counts: list[int]) -> tuple[float, int]:
    """(share of lines with the most common field count above one, that count)."""
    common = Counter(c for c in counts if c > 1).most_common(1)
    if not common or not counts:
        return 0.0, 1
    count, lines = common[0]
    return lines / len(counts), count


def detect_dialect(text: str) -> tuple[Guess, str]:
    """(delimiter guess, quote) for the first LINES lines of `text`."""
    lines = text.splitlines()[:LINES]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample's last line may be cut short
    scores: dict[str, float] = {}
    quotes: dict[str, str] = {}
    for delimiter in DELIMITERS:
        best = (0.0, '"')
        for quote in QUOTES:
            share, _ = consistency(field_counts(lines, delimiter, quote))
            if share > best[0] + 0.01:
                best = (share, quote)
        scores[delimiter], quotes[delimiter] = best
    guess = Guess.ranked(scores)
    if guess.confidence == 0:  # one column: no delimiter occurs
        return Guess(",", 0.0), '"'
    return guess, quotes[guess.value]
