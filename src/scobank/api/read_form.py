"""The read overrides as form fields of an upload (`POST /datasets/{slug}/versions`), parsed into the
ingest layer's `ReadOptions`; an empty field means "detect it"."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Form

from scobank.ingest.options import ReadOptions, from_text


@dataclass
class ReadForm:
    encoding: str | None = Form(None, description="e.g. utf-8, cp1251, kz1048, gb18030, utf-16")
    delimiter: str | None = Form(None, description="one character, or tab, comma, semicolon, pipe")
    decimal: str | None = Form(None, description="'.' or ','")
    thousands: str | None = Form(None, description="grouping separator: none, space, nbsp, comma, dot, apostrophe")
    sheet: str | None = Form(None, description="a worksheet's name or 1-based position")
    header_row: str | None = Form(None, description="1-based row of the header, or a range such as 3-4")
    skip_rows: str | None = Form(None, description="rows to drop at the top")
    na: list[str] | None = Form(None, description="more missing-value markers (repeat, or comma separated)")

    def options(self) -> ReadOptions:
        """The ReadOptions (BadRequest naming the field when one is wrong)."""
        return from_text(encoding=self.encoding, delimiter=self.delimiter, decimal=self.decimal,
                         thousands=self.thousands, sheet=self.sheet, header_row=self.header_row,
                         skip_rows=self.skip_rows, na=self.na)
