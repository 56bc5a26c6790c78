"""A Python client for a running SCO Data Bank, for analysts' notebooks and members' scripts.

    from scobank.client import Bank
    bank = Bank("https://bank.example.org", token="...", purpose="research")
    bank.search("сталь")                              # datasets found in any language
    df = bank.query("kz-industry", filters=["year:eq:2023"]).to_pandas()   # every page, as pandas
    bank.sql('SELECT region, sum(output) FROM "kz-industry" GROUP BY 1').to_pandas()
    bank.export("kz-industry", "industry.parquet")   # streamed to a file
    bank.publish("kz-industry", "industry.csv", schema="schema.json")
    bank.request_access("ru-minprom-output", purpose="research", until="2027-06-30")

It speaks only HTTP (httpx) and imports nothing of the bank's server code, so it installs and runs
anywhere `scobank` is installed. Every failure the server reports is raised as `BankError` with the
server's code, message and problems (file, row, column) intact. The stated purpose travels as the
`X-Purpose` header on every call, so the owner's ledger records why the data was read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa

PAGE_ROWS = 10_000


class BankError(Exception):
    """An answer other than success: `status`, the server's `code`, `message` and `problems`."""

    def __init__(self, status: int, code: str, message: str, problems: list | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.problems = status, code, message, problems or []


@dataclass
class Rows:
    """Rows of a query or SQL answer, with their columns; `to_arrow()` / `to_pandas()` to analyse."""

    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def to_arrow(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows) if self.rows else pa.table({c: [] for c in self.columns})

    def to_pandas(self):
        return self.to_arrow().to_pandas()


class Bank:
    """One connection to a bank: its URL, the token (`scobank tokens create`) and the stated purpose."""

    def __init__(self, url: str, *, token: str | None = None, purpose: str | None = None,
                 timeout: float = 60.0, transport: httpx.BaseTransport | None = None):
        headers = {"User-Agent": "scobank-client"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if purpose:
            headers["X-Purpose"] = purpose
        self._http = httpx.Client(base_url=url.rstrip("/") + "/api/v1", headers=headers, timeout=timeout,
                                  transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Bank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> Any:
        answer = self._http.request(method, path, **kwargs)
        if answer.status_code >= 400:
            raise _error(answer)
        return answer.json() if answer.content else None

    # -- finding --------------------------------------------------------------------------------
    def search(self, q: str | None = None, *, limit: int = 20, **filters: Any) -> list[dict]:
        """Datasets whose metadata match `q` in any language (filters: party, organisation, theme,
        license, classification, year_from, year_to)."""
        return self._call("GET", "/search", params={"q": q, "limit": limit, **filters})["items"]

    def datasets(self, *, party: str | None = None, organisation: str | None = None) -> list[dict]:
        params = {k: v for k, v in {"party": party, "organisation": organisation}.items() if v}
        return self._call("GET", "/datasets", params=params)

    def dataset(self, slug: str) -> dict:
        return self._call("GET", f"/datasets/{slug}")

    def versions(self, slug: str) -> list[dict]:
        return self._call("GET", f"/datasets/{slug}/versions")

    # -- reading --------------------------------------------------------------------------------
    def pages(self, slug: str, *, select: list[str] | None = None, filters: list[str] | None = None,
              group_by: list[str] | None = None, agg: list[str] | None = None, sort: list[str] | None = None,
              version: int | None = None, page_rows: int = PAGE_ROWS) -> Iterator[dict]:
        """Each page of a query (`COL:eq|in|range|prefix:VALUES` filters), following the cursor."""
        params: dict[str, Any] = {"select": select, "filter": filters, "group_by": group_by, "agg": agg,
                                  "sort": sort, "version": version, "limit": page_rows}
        params = {k: v for k, v in params.items() if v is not None}
        while True:
            page = self._call("GET", f"/datasets/{slug}/rows", params=params)
            yield page
            if not page.get("next_cursor"):
                return
            params = {**params, "cursor": page["next_cursor"]}

    def query(self, slug: str, *, max_rows: int | None = None, **spec: Any) -> Rows:
        """Every row of a query (all pages, or the first `max_rows`)."""
        out: Rows | None = None
        for page in self.pages(slug, **spec):
            if out is None:
                out = Rows(columns=[c["name"] for c in page["columns"]])
            out.rows.extend(page["rows"])
            if max_rows is not None and len(out.rows) >= max_rows:
                out.rows, out.truncated = out.rows[:max_rows], True
                break
        return out or Rows(columns=[])

    def sql(self, statement: str, *, max_rows: int = 1000) -> Rows:
        """One read-only SELECT (DuckDB dialect) over the datasets you may read; views by slug."""
        answer = self._call("POST", "/sql", json={"sql": statement, "max_rows": max_rows})
        return Rows(columns=[c["name"] for c in answer["columns"]], rows=answer["rows"],
                    truncated=answer["truncated"])

    def export(self, slug: str, path: str | Path, *, format: str | None = None, version: int | None = None,
               columns: list[str] | None = None, filters: list[str] | None = None) -> Path:
        """Stream a version into `path` (format from its suffix: csv, xlsx, parquet, json, ndjson; or
        sdmx-csv, sdmx-ml, sdmx-generic), its `columns` only (default all) and the rows matching `filters` (as query)."""
        path = Path(path)
        fmt = format or path.suffix.lstrip(".").lower() or "csv"
        params = {k: v for k, v in {"format": fmt, "version": version, "filter": filters or None,
                                    "columns": ",".join(columns) if columns else None}.items() if v is not None}
        part = path.with_name(f".{path.name}.part")
        with self._http.stream("GET", f"/datasets/{slug}/export", params=params) as answer:
            if answer.status_code >= 400:
                answer.read()
                raise _error(answer)
            with part.open("wb") as fh:
                for chunk in answer.iter_bytes():
                    fh.write(chunk)
        part.replace(path)
        return path

    # -- publishing and access ------------------------------------------------------------------
    def create_dataset(self, slug: str, *, organisation: str, title: dict[str, str], kind: str = "table",
                       **metadata: Any) -> dict:
        return self._call("POST", "/datasets", json={"slug": slug, "organisation": organisation, "title": title,
                                                     "kind": kind, **metadata})

    def describe(self, slug: str, **metadata: Any) -> dict:
        """Change metadata fields (title/description/keywords as language maps, license, themes, ...)."""
        return self._call("PATCH", f"/datasets/{slug}", json=metadata)

    def publish(self, slug: str, file: str | Path, *, schema: str | Path | dict | None = None,
                **form: Any) -> dict:
        """Upload `file` as the next version; `schema` is a Frictionless Table Schema (a path or a dict)
        the file is validated against. Other form fields: kind, on_error, hs_revision, encoding, ..."""
        file = Path(file)
        files: dict[str, Any] = {"file": (file.name, file.open("rb"))}
        if schema is not None:
            text = json.dumps(schema) if isinstance(schema, dict) else Path(schema).read_text(encoding="utf-8")
            files["schema"] = ("schema.json", text.encode("utf-8"), "application/json")
        try:
            return self._call("POST", f"/datasets/{slug}/versions", files=files,
                              data={k: str(v) for k, v in form.items() if v is not None})
        finally:
            files["file"][1].close()

    def request_access(self, slug: str, *, purpose: str, until: str, note: str | None = None) -> dict:
        body = {"dataset": slug, "purpose": purpose, "valid_until": until}
        if note:
            body["message"] = note
        return self._call("POST", "/access-requests", json=body)

    def access_requests(self) -> list[dict]:
        return self._call("GET", "/access-requests")


def _error(answer: httpx.Response) -> BankError:
    try:
        body = answer.json()
    except ValueError:
        return BankError(answer.status_code, "http-error", answer.text[:500])
    if isinstance(body, dict):
        return BankError(answer.status_code, str(body.get("code", "error")),
                         str(body.get("message", body.get("detail", ""))), body.get("problems"))
    return BankError(answer.status_code, "http-error", str(body)[:500])
