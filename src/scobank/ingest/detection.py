"""What reading a file found out, shown to the steward: format, encoding and delimiter (with their
confidence and runner-up), header rows, lines left out above and below, and per column its type,
number format and how many values did not fit. `ingest-check`, the publish report and the API show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scobank.ingest.guess import Guess


@dataclass
class Detection:
    format: str  # "CSV", "XLSX", "XLS", "ODS", "HTML", "JSON", "Parquet"
    encoding: Guess | None = None
    delimiter: Guess | None = None
    quote: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_rows: list[int] = field(default_factory=list)  # 1-based rows (lines) of the file
    first_data_row: int | None = None  # 1-based row (line) of the file that is data row 1
    title: list[str] = field(default_factory=list)  # lines above the header, as text
    notes: list[str] = field(default_factory=list)  # lines below the data (footnotes, sources)
    summary_rows: list[str] = field(default_factory=list)  # total rows under the table, left out
    footnotes: dict[str, str] = field(default_factory=dict)  # column -> footnote mark on its header
    repaired: list[str] = field(default_factory=list)  # what was read differently from how it was written
    columns: list[dict[str, Any]] = field(default_factory=list)  # filled when the columns are typed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": self.format}
        for key in ("encoding", "delimiter"):
            guess = getattr(self, key)
            if guess is not None:
                out[key] = guess.to_dict()
        for key in ("quote", "sheet", "sheets", "header_rows", "first_data_row", "title", "notes",
                    "summary_rows", "footnotes", "repaired"):
            value = getattr(self, key)
            if value not in (None, [], {}):
                out[key] = value
        return out
