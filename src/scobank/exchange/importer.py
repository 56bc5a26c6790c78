"""Bulk import of listings from CSV or XLSX.

The file goes the normal ingestion way (`scobank.ingest.pipeline.stage_file`, every column declared a
string), then the staged Parquet is read and each row checked as a listing of its kind. Every row is validated before anything is written: a bad cell is a Problem naming file,
row (1-based, header not counted), column and reason, and any problem rejects the whole file
(IngestRejected, nothing written).

Columns: enterprise_id, kind, language, title, description (text in `language`, marked original),
the kind's own fields by name (hs_code, volume_per_year, unit, price_min, price_max, currency,
incoterms, lead_time_days, deadline, sourced_from, specification, process, equipment, capacity,
period, available_from, available_to, trl, ip_status, transfer_mode, sector), certifications_required
and incoterms as ';'-separated lists, expires_at (date), publish (yes/no, default yes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import IngestRejected, Problem, UnsupportedFormat, ValidationReport
from scobank.exchange.hs_check import codes_of, known_codes
from scobank.exchange.kinds import MODELS, SIDE, matching_fields
from scobank.exchange.listings import DEFAULT_LIFETIME, MAX_LIFETIME
from scobank.exchange.models import Enterprise, Listing
from scobank.exchange.ownership import owns
from scobank.problem_kinds import Kind

REQUIRED = ("enterprise_id", "kind", "title")
LISTS = ("certifications_required", "incoterms")
META = {"enterprise_id", "kind", "language", "title", "description", "expires_at", "publish"}
MAX_PROBLEMS = 200
FIELDS = set().union(*(m.model_fields for m in MODELS.values()))


@dataclass
class ImportResult:
    file: str
    rows: int
    created: int
    published: int
    listing_ids: list[int]


def read_table(session: Session, path: Path) -> pa.Table:
    """The file as a table of strings, through the ingestion path (`stage_file`, every column declared
    a string so codes keep their leading zeros); the staged Parquet is read, then removed."""
    import pyarrow.parquet as pq

    from scobank.ingest.pipeline import stage_file

    header = _header(path)
    schema = {"fields": [{"name": name, "type": "string"} for name in header]}
    staged = stage_file(session, source=path, kind="table", schema=schema)
    try:
        return pq.read_table(staged.parquet_path)
    finally:
        staged.parquet_path.unlink(missing_ok=True)


def _header(path: Path) -> list[str]:
    """Column names of a CSV or XLSX file (UnsupportedFormat for anything else; BadFile when empty)."""
    from scobank.errors import BadFile

    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        import csv

        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                header = next(csv.reader(fh), None)
        except UnicodeDecodeError as exc:
            raise BadFile(f"{path.name}: not UTF-8 text (byte {exc.start})") from None
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        first = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), None)
        book.close()
        header = [str(h) for h in first if h is not None] if first else None
    else:
        raise UnsupportedFormat(f"{path.name}: listings are imported from .csv or .xlsx files")
    if not header:
        raise BadFile(f"{path.name}: the file is empty")
    return [h.strip() for h in header]


def _details(kind: str, record: dict) -> dict:
    fields = MODELS[kind].model_fields
    details = {}
    for name, value in record.items():
        if name in META or value is None or name not in fields:
            continue
        details[name] = [v.strip() for v in value.split(";") if v.strip()] if name in LISTS else value
    return details


def _row_problems(file: str, number: int, record: dict, enterprises: dict, reader: Reader, now: datetime,
                  known_hs: frozenset[str]):
    """(listing values, problems) for one row."""
    problems = [Problem(Kind.MISSING_VALUE, f"{col} is required", file, number, col)
                for col in REQUIRED if not record.get(col)]
    if problems:
        return None, problems
    kind = record["kind"].strip()
    if kind not in MODELS:
        return None, [Problem(Kind.BAD_KIND, f"unknown kind {kind!r}; expected one of {', '.join(MODELS)}", file,
                              number, "kind", kind)]
    enterprise = enterprises.get(record["enterprise_id"].strip())
    if enterprise is None or not owns(reader, enterprise):
        return None, [Problem(Kind.BAD_ENTERPRISE, f"no enterprise {record['enterprise_id']} of yours", file, number,
                              "enterprise_id", record["enterprise_id"])]
    unknown = [c for c in record if c not in META and c not in FIELDS]
    problems += [Problem(Kind.UNKNOWN_COLUMN, f"column {c!r} is not a listing field", file, number, c) for c in unknown
                 if record[c] is not None]
    try:
        model = MODELS[kind].model_validate(_details(kind, record))
    except ValidationError as exc:
        return None, problems + [Problem(Kind.BAD_VALUE, e["msg"], file, number, str(e["loc"][0]) if e["loc"] else None,
                                         str(e.get("input"))[:80] if e.get("input") is not None else None)
                                 for e in exc.errors()]
    problems += [Problem(Kind.BAD_HS_CODE, f"HS code {code!r} is not in the HS 2022 nomenclature", file, number,
                         path.removeprefix("details."), code) for path, code in codes_of(model) if code not in known_hs]
    expires = now + DEFAULT_LIFETIME
    if record.get("expires_at"):
        try:
            expires = datetime.fromisoformat(record["expires_at"].strip())
        except ValueError:
            return None, problems + [Problem(Kind.BAD_DATE, "expires_at must be a date like 2026-12-31", file, number,
                                             "expires_at", record["expires_at"])]
        if not now < expires <= now + MAX_LIFETIME:
            problems.append(Problem(Kind.BAD_EXPIRY, f"expires_at must be within {MAX_LIFETIME.days} days ahead",
                                    file, number, "expires_at", record["expires_at"]))
    lang = (record.get("language") or "en").strip()
    publish = (record.get("publish") or "yes").strip().lower() in ("yes", "y", "true", "1")
    values = dict(enterprise_id=enterprise.id, kind=kind, side=SIDE[kind], status="published" if publish else "draft",
                  title={lang: record["title"]}, description={lang: record.get("description") or ""},
                  original_language=lang, details=model.model_dump(mode="json"), expires_at=expires,
                  published_at=now if publish else None, created_by_user_id=reader.user_id, renewals=0,
                  generated=False, created_at=now, updated_at=now, **matching_fields(kind, model))
    return values, problems


def import_listings(session: Session, *, reader: Reader, path: Path, now: datetime | None = None) -> ImportResult:
    """Validate every row of `path`, then insert all listings (published unless `publish` says no).

    Raises IngestRejected with every problem (row, column, reason) and writes nothing when any row is
    bad; UnsupportedFormat / BadFile when the file cannot be read."""
    now = now or utcnow()
    table = read_table(session, Path(path))
    file = Path(path).name
    report = ValidationReport(file=file, rows_read=table.num_rows)
    enterprises = {str(e.id): e for e in session.scalars(select(Enterprise))}
    rows, known_hs = [], known_codes(session)
    for number, record in enumerate(table.to_pylist(), start=1):
        values, problems = _row_problems(file, number, record, enterprises, reader, now, known_hs)
        report.problems_total += len(problems)
        report.problems.extend(problems[: max(0, MAX_PROBLEMS - len(report.problems))])
        if values is not None and not problems:
            rows.append(values)
    if not report.valid:
        raise IngestRejected(report)
    ids = _insert(session, rows, now=now)
    published = [i for i, r in zip(ids, rows, strict=True) if r["status"] == "published"]
    _after_publish(session, published)
    ledger.record(session, actor=reader, action="exchange.import",
                  detail={"file": file, "rows": len(rows), "published": len(published)})
    return ImportResult(file=file, rows=table.num_rows, created=len(ids), published=len(published), listing_ids=ids)


def _insert(session: Session, rows: list[dict], *, now: datetime, batch: int = 5000) -> list[int]:
    """Insert in batches (plain executemany: RETURNING on many rows is slow on SQLite), then read the
    new ids back by this import's exact timestamp."""
    for start in range(0, len(rows), batch):
        session.execute(insert(Listing.__table__), rows[start: start + batch])
    return list(session.scalars(select(Listing.id).where(Listing.created_at == now).order_by(Listing.id)))


def _after_publish(session: Session, listing_ids: list[int]) -> None:
    """Alerts for saved searches, and text vectors when an embedder is present."""
    from scobank.exchange.alerts import notify_saved_searches
    from scobank.exchange import text as text_model
    from scobank.exchange.text import listing_words
    from scobank.exchange.models import SavedSearch
    from scobank.exchange.vectors import store_many

    has_searches = session.scalar(select(SavedSearch.id).limit(1)) is not None
    model = text_model.embedder()
    if not has_searches and model is None:
        return
    items = []
    for start in range(0, len(listing_ids), 1000):
        for listing in session.scalars(select(Listing).where(Listing.id.in_(listing_ids[start: start + 1000]))):
            if has_searches:
                notify_saved_searches(session, listing=listing)
            items.append((listing.id, listing_words(listing)))
    if model is not None:
        store_many(session, owner="listing", items=items, model=model)
