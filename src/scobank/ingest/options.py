"""How to read a file, when detection should not decide: the overrides a steward gives.

One `ReadOptions` travels from every surface (CLI `--encoding ... --na`, the API upload's form fields,
the wizard) into `stage_file(options=...)`. Every field left as None is detected from the file, and
the detection report (`scobank.ingest.detection`) says what was found and how sure it is.
"""

from __future__ import annotations

import codecs
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from scobank.errors import BadRequest

DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
DECIMAL_MARKS = (".", ",")
THOUSANDS_NAMES = {"none": "", "space": " ", "nbsp": "\u00a0", "thin": "\u202f", "comma": ",", "dot": ".",
                   "apostrophe": "'"}


@dataclass(frozen=True)
class ReadOptions:
    """Overrides for reading one file; None (or empty) means "detect it".

    encoding: a Python codec name ("cp1251", "kz1048", "gb18030", "utf-16", "utf-8").
    delimiter: one character (or tab, comma, semicolon, pipe).
    decimal: "." or ","; thousands: the grouping separator ("" for none, " ", "\u00a0", ",", ".", "'").
    sheet: a worksheet's name or its 1-based position (spreadsheets).
    header_row: the 1-based row (line) of the header as the file shows it; header_rows: how many rows
    the header spans (a two-row header is joined into one name per column).
    skip_rows: rows to drop at the top before anything else is looked at.
    na: more missing-value markers, besides the standard ones (`scobank.ingest.missing`).
    """

    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    header_rows: int | None = None
    skip_rows: int = 0
    na: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _check(self)

    @property
    def given(self) -> dict[str, Any]:
        """The options the steward set (for reports: "delimiter: ';' (given)")."""
        return {k: v for k, v in asdict(self).items() if v not in (None, 0, (), [])}

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["na"] = list(self.na)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ReadOptions:
        """From a form or JSON body: unknown keys are a BadRequest; empty strings mean "detect"."""
        data = {k: v for k, v in (data or {}).items() if v not in (None, "")}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise BadRequest(f"unknown read option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return from_text(**{k: (v if isinstance(v, str | list | tuple) else str(v)) for k, v in data.items()})


def from_text(*, encoding: str | None = None, delimiter: str | None = None, decimal: str | None = None,
              thousands: str | None = None, sheet: str | None = None, header_row: str | None = None,
              header_rows: str | None = None, skip_rows: str | None = None,
              na: str | list[str] | tuple[str, ...] | None = None) -> ReadOptions:
    """ReadOptions from the text a person types (CLI options, form fields): "--delimiter tab",
    "--header-row 3-4" (rows 3 and 4 make the header), "--na 'н/д,*'" (comma separated or repeated),
    "--sheet 2" (position) or "--sheet 'Лист 1'". BadRequest naming the option when one is wrong."""
    first, count = _header(header_row, header_rows)
    markers: list[str] = []
    for item in [na] if isinstance(na, str) else list(na or []):
        markers += [m.strip() for m in str(item).split(",") if m.strip()]
    return ReadOptions(
        encoding=encoding or None,
        delimiter=DELIMITER_NAMES.get((delimiter or "").lower(), delimiter) or None,
        decimal=decimal or None,
        thousands=None if thousands is None else THOUSANDS_NAMES.get(thousands.lower(), thousands),
        sheet=int(sheet) if sheet is not None and str(sheet).isdigit() else (sheet or None),
        header_row=first,
        header_rows=count,
        skip_rows=_int(skip_rows, "skip_rows") or 0,
        na=tuple(markers),
    )


def _header(header_row: str | None, header_rows: str | None) -> tuple[int | None, int | None]:
    if header_row is None or str(header_row).strip() == "":
        return None, _int(header_rows, "header_rows")
    text = str(header_row).strip()
    if "-" in text:
        start, _, end = text.partition("-")
        first, last = _int(start, "header_row"), _int(end, "header_row")
        if first is None or last is None or last < first:
            raise BadRequest(f"header_row {text!r}: expected a row number or a range such as 3-4")
        return first, last - first + 1
    return _int(text, "header_row"), _int(header_rows, "header_rows")


def _int(value: str | int | None, name: str) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {value!r}") from None


def _check(options: ReadOptions) -> None:
    if options.encoding is not None:
        try:
            codecs.lookup(options.encoding)
        except LookupError:
            raise BadRequest(f"encoding {options.encoding!r} is not one Python knows (e.g. utf-8, cp1251, "
                             "kz1048, gb18030, utf-16)") from None
    if options.delimiter is not None and len(options.delimiter) != 1:
        raise BadRequest(f"delimiter {options.delimiter!r} must be one character (or tab, comma, semicolon, pipe)")
    if options.decimal is not None and options.decimal not in DECIMAL_MARKS:
        raise BadRequest(f"decimal {options.decimal!r} must be '.' or ','")
    if options.thousands is not None and len(options.thousands) > 1:
        raise BadRequest(f"thousands {options.thousands!r} must be one character, or none")
    if options.decimal is not None and options.thousands == options.decimal:
        raise BadRequest("the decimal mark and the thousands separator cannot be the same character")
    for name in ("header_row", "header_rows"):
        value = getattr(options, name)
        if value is not None and value < 1:
            raise BadRequest(f"{name} counts from 1, not {value}")
    if options.skip_rows < 0:
        raise BadRequest(f"skip_rows cannot be negative ({options.skip_rows})")
