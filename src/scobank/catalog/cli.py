"""Commands of the catalog area: organisations, ingest, datasets, query, export, lake upkeep.

The CLI acts as the local operator (scobank.access.reader.OPERATOR). Every command goes through the
same services as the API; errors are mapped once in scobank.cli.main (one stderr line, an exit code
per error class)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.access.identity import cli_reader
from scobank.ingest import cli as read_cli
from scobank.ingest.report import detected_lines

orgs_app = typer.Typer(help="Organisations that publish datasets (each belongs to a party).", no_args_is_help=True)
datasets_app = typer.Typer(help="Datasets: list, show, versions, diff, withdraw, republish.", no_args_is_help=True)
sdmx_app = typer.Typer(help="SDMX: the structure of a dataset (its data: export --format sdmx-csv|sdmx-ml|sdmx-generic).",
                       no_args_is_help=True)
FILTER_HELP = ("COL:OP:VALUES or COL=OP:VALUES (OP: eq, in, range, prefix) or COL=VALUE; repeat; "
               "'\\,' is a comma inside a value, e.g. partner:in:Korea\\, Rep.,China.")
lake_app = typer.Typer(help="The lake of Parquet files: orphans and garbage collection.", no_args_is_help=True)


def _reader(session: Session) -> Reader:
    """OPERATOR, or the user named by `scobank --as EMAIL` (access area)."""
    return cli_reader(session)


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@orgs_app.command("create")
def orgs_create(
    slug: str = typer.Argument(..., help="Short name, e.g. kz-stat."),
    party: str = typer.Option(..., "--party", help="ISO3 of the party, e.g. KAZ."),
    name: str = typer.Option(..., "--name", help="Name in English."),
    name_ru: str | None = typer.Option(None, "--name-ru", help="Name in Russian."),
    name_zh: str | None = typer.Option(None, "--name-zh", help="Name in Chinese."),
) -> None:
    """Add an organisation of a party."""
    from scobank.catalog.organisations import create_organisation, organisation_public
    from scobank.catalog.schemas import OrganisationCreate
    from scobank.db import session_scope

    names = {k: v for k, v in {"en": name, "ru": name_ru, "zh": name_zh}.items() if v}
    with session_scope() as session:
        org = create_organisation(session, data=OrganisationCreate(slug=slug, party=party, names=names),
                                  actor=_reader(session))
        public = organisation_public(org)
    typer.echo(f"organisation {public.slug} ({public.party}) created")


@orgs_app.command("list")
def orgs_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List organisations."""
    from scobank.catalog.organisations import list_organisations
    from scobank.db import session_scope

    with session_scope() as session:
        orgs = list_organisations(session)
    if as_json:
        return _print_json([o.model_dump(mode="json") for o in orgs])
    table = Table("slug", "party", "name")
    for o in orgs:
        table.add_row(o.slug, o.party, o.names.get("en") or next(iter(o.names.values()), ""))
    Console().print(table)


def ingest(
    file: Path = typer.Argument(..., help="The file: CSV/TSV, XLSX, Parquet, JSON/NDJSON, BACI, Comtrade."),
    org: str = typer.Option(..., "--organisation", "--org", help="Publishing organisation (slug)."),
    dataset: str = typer.Option(..., "--dataset", help="Dataset slug; created when new."),
    kind: str = typer.Option("table", "--kind", help="trade (canonical trade flows) or table."),
    on_error: str = typer.Option("abort", "--on-error", help="abort: all or nothing; skip-rows: keep valid rows."),
    hs_revision: str | None = typer.Option(None, "--hs-revision", help="HS revision of product codes, e.g. HS17."),
    title: str | None = typer.Option(None, "--title", help="English title when the dataset is new."),
    as_json: bool = typer.Option(False, "--json", help="Print the version and report as JSON."),
    encoding: str | None = read_cli.ENCODING,
    delimiter: str | None = read_cli.DELIMITER,
    decimal: str | None = read_cli.DECIMAL,
    thousands: str | None = read_cli.THOUSANDS,
    sheet: str | None = read_cli.SHEET,
    header_row: str | None = read_cli.HEADER_ROW,
    skip_rows: str | None = read_cli.SKIP_ROWS,
    na: list[str] | None = read_cli.NA,
    schema: Path | None = typer.Option(None, "--schema", help="A Frictionless Table Schema (JSON): types, formats, "
                                       "primaryKey, required, minimum/maximum, enum, missingValues. The dataset "
                                       "keeps it; next versions are checked against it."),
    schema_change: bool = typer.Option(False, "--schema-change", help="State that --schema changes the dataset's "
                                       "declared schema (refused otherwise); recorded in the ledger."),
    as_new: bool = typer.Option(False, "--as-new", help="Content identical to an older version becomes the newest "
                                "version again (a rollback), instead of answering with the existing version."),
) -> None:
    """Publish FILE as a new version of a dataset (identical content: the existing version).

    Validates every row first; with --on-error abort any problem rejects the whole file and nothing
    is written. Exit 0 on success; a distinct code per error class otherwise."""
    from scobank.catalog.datasets import check_new_or_same
    from scobank.catalog.publish import publish_version
    from scobank.catalog.schemas import DatasetCreate
    from scobank.db import session_scope
    from scobank.ingest.declared_schema import load_table_schema

    if kind not in ("table", "trade") or on_error not in ("abort", "skip-rows"):
        raise typer.BadParameter("--kind is trade|table and --on-error is abort|skip-rows")
    options = read_cli.read_options(encoding=encoding, delimiter=delimiter, decimal=decimal, thousands=thousands,
                                    sheet=sheet, header_row=header_row, skip_rows=skip_rows, na=na)
    declared = load_table_schema(schema, name=schema.name) if schema is not None else None
    with _progress(file, quiet=as_json) as progress, session_scope() as session:
        new = None
        if check_new_or_same(session, slug=dataset, organisation=org, kind=kind) is None:
            new = DatasetCreate(slug=dataset, organisation=org, kind=kind, title={"en": title or dataset},
                                classification=hs_revision)
        result = publish_version(session, dataset=dataset, source=file, actor=_reader(session), kind=kind,
                                 on_error=on_error, hs_revision=hs_revision, source_name=file.name,
                                 progress=progress, new_dataset=new, options=options, schema=declared,
                                 schema_change=schema_change, as_new=as_new)
    if as_json:
        return _print_json(result.model_dump(mode="json"))
    v = result.version
    state = "new version" if result.created else "identical content: existing version"
    again = f" (the content of version {v.republished_from})" if v.republished_from else ""
    typer.echo(f"{v.dataset}: {state} {v.number}{again}, {v.row_count:,} rows, sha256 {v.content_hash}")
    if result.note:
        typer.echo(f"note: {result.note}")
    if v.schema_change and result.created:
        typer.echo(f"schema changed: {v.schema_change}")
    _print_report(result.report)


def _print_report(report: dict) -> None:
    total = report.get("problems_total", len(report.get("problems", [])))
    from scobank.ingest.report import aggregates_note

    typer.echo(f"report: {report.get('rows_read', 0):,} rows read, {report.get('rows_accepted', 0):,} accepted, "
               f"{total:,} problem{'s' if total != 1 else ''}" + aggregates_note(report.get("aggregate_rows") or {}))
    for line in detected_lines(report):
        typer.echo(f"  {line}")
    for p in report.get("problems", [])[:20]:
        where = ", ".join(x for x in (f"row {p.get('row')}" if p.get("row") else "",
                                       f"column {p.get('column')!r}" if p.get("column") else "") if x)
        typer.echo(f"  {where}: {p.get('message')}" if where else f"  {p.get('message')}")


class _progress:
    """A rich progress bar over the bytes of the file (silent when not a terminal or with --json)."""

    def __init__(self, file: Path, *, quiet: bool) -> None:
        self.total = file.stat().st_size if file.exists() else None
        self.quiet = quiet or not sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        if self.quiet:
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self.bar = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("ingesting", total=self.total)
        return self.update

    def update(self, done: int, total: int | None = None, *_: object) -> None:
        self.bar.update(self.task, completed=done, total=total or self.total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@datasets_app.command("list")
def datasets_list(
    org: str | None = typer.Option(None, "--organisation", "--org", help="Only this organisation's datasets."),
    party: str | None = typer.Option(None, "--party", help="Only datasets of this party (ISO3)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many (default all)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many first."),
    listed: bool = typer.Option(False, "--listed", help="Also those listed so that you may ask for access."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List the datasets you may see (the total of all pages on stderr)."""
    from scobank.catalog.datasets import page_datasets
    from scobank.db import session_scope

    with session_scope() as session:
        page = page_datasets(session, reader=_reader(session), organisation=org, party=party, limit=limit,
                             offset=offset, listed=listed)
    datasets = page.items
    typer.echo(f"{len(datasets)} of {page.total} dataset{'s' if page.total != 1 else ''}", err=True)
    if as_json:
        return _print_json([d.model_dump(mode="json") for d in datasets])
    table = Table("slug", "organisation", "party", "kind", "versions", "title")
    for d in datasets:
        table.add_row(d.slug, d.organisation, d.party, d.kind, str(d.version_count),
                      d.title.get("en") or next(iter(d.title.values()), ""))
    Console().print(table)


@datasets_app.command("show")
def datasets_show(slug: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show one dataset's metadata."""
    from scobank.catalog.datasets import get_dataset
    from scobank.db import session_scope

    with session_scope() as session:
        d = get_dataset(session, slug=slug, reader=_reader(session))
    if as_json:
        return _print_json(d.model_dump(mode="json"))
    for name, value in d.model_dump(mode="json").items():
        if value not in (None, [], {}):
            typer.echo(f"{name:17} {json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value}")


def _lang_pairs(values: list[str] | None, option: str) -> dict[str, list[str]]:
    """["ru=Сталь", "en=Steel"] -> {"ru": ["Сталь"], "en": ["Steel"]}; BadRequest names a bad one."""
    from scobank.errors import BadRequest

    pairs: dict[str, list[str]] = {}
    for value in values or []:
        lang, sep, text = value.partition("=")
        if not sep or not lang.strip() or not text.strip():
            raise BadRequest(f"{option} {value!r}: write LANG=TEXT, e.g. {option} ru=Сталь")
        pairs.setdefault(lang.strip().lower(), []).append(text.strip())
    return pairs


def _years(value: str | None) -> tuple[int | None, int | None]:
    from scobank.errors import BadRequest

    if not value:
        return None, None
    start, _, end = value.partition("-")
    try:
        return int(start), int(end or start)
    except ValueError:
        raise BadRequest(f"--temporal {value!r}: write a year or a range, e.g. 2017-2024") from None


@datasets_app.command("describe")
def datasets_describe(
    slug: str = typer.Argument(..., help="Dataset slug."),
    title: list[str] = typer.Option(None, "--title", help="LANG=TEXT, e.g. --title ru=Экспорт стали (repeat)."),
    description: list[str] = typer.Option(None, "--description", help="LANG=TEXT (repeat per language)."),
    keyword: list[str] = typer.Option(None, "--keyword", help="LANG=WORD (repeat)."),
    license: str | None = typer.Option(None, "--license", help="SPDX id, e.g. CC-BY-4.0."),
    theme: list[str] = typer.Option(None, "--theme", help="Theme, e.g. trade (repeat)."),
    frequency: str | None = typer.Option(None, "--frequency", help="annual, quarterly, monthly, irregular..."),
    temporal: str | None = typer.Option(None, "--temporal", help="Years covered: 2017-2024."),
    spatial: list[str] = typer.Option(None, "--spatial", help="ISO3 codes covered (repeat or KAZ,RUS)."),
    contact: str | None = typer.Option(None, "--contact", help="Contact point (e-mail)."),
    classification: str | None = typer.Option(None, "--classification", help="e.g. HS22."),
    source_note: str | None = typer.Option(None, "--source-note", help="Where the data comes from."),
) -> None:
    """Describe a dataset: titles, descriptions and keywords per language, licence, themes, frequency,
    coverage and contact (the fields DCAT-AP and CKAN show). Texts of other languages are kept."""
    from scobank.catalog.datasets import get_dataset, update_dataset
    from scobank.catalog.schemas import DatasetUpdate
    from scobank.db import session_scope

    start, end = _years(temporal)
    with session_scope() as session:
        reader = _reader(session)
        current = get_dataset(session, slug=slug, reader=reader)
        changes: dict = {}
        for name, values in (("title", title), ("description", description)):
            given = {lang: texts[-1] for lang, texts in _lang_pairs(values, f"--{name}").items()}
            if given:
                changes[name] = {**getattr(current, name), **given}
        if keyword:
            changes["keywords"] = {**current.keywords, **_lang_pairs(keyword, "--keyword")}
        codes = [c.strip().upper() for item in spatial or [] for c in item.split(",") if c.strip()]
        for name, value in (("license", license), ("themes", theme or None), ("update_frequency", frequency),
                            ("temporal_start", start), ("temporal_end", end), ("spatial", codes or None),
                            ("contact", contact), ("classification", classification),
                            ("source_note", source_note)):
            if value is not None:
                changes[name] = value
        updated = update_dataset(session, slug=slug, changes=DatasetUpdate(**changes), actor=reader)
    typer.echo(f"{slug}: {', '.join(sorted(changes)) or 'nothing'} changed", err=True)
    _print_json(updated.model_dump(mode="json"))


@datasets_app.command("versions")
def datasets_versions(slug: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List a dataset's versions, oldest first."""
    from scobank.catalog.versions import list_versions
    from scobank.db import session_scope

    with session_scope() as session:
        versions = list_versions(session, slug=slug, reader=_reader(session))
    if as_json:
        return _print_json([v.model_dump(mode="json") for v in versions])
    table = Table("version", "rows", "bytes", "published", "by", "source", "sha256", "state")
    for v in versions:
        table.add_row(str(v.number), f"{v.row_count:,}", f"{v.byte_size:,}", v.created_at.isoformat(" ", "seconds"),
                      v.created_by or "", v.source_name or "", v.content_hash[:12], _state(v))
    Console().print(table)


def _state(v) -> str:
    if v.withdrawn:
        return f"WITHDRAWN {v.withdrawn_at:%Y-%m-%d}: {v.withdrawal_reason}"
    return f"content of v{v.republished_from}" if v.republished_from else ""


@datasets_app.command("withdraw")
def datasets_withdraw(
    slug: str = typer.Argument(..., help="Dataset slug."),
    number: int = typer.Argument(..., help="The version to withdraw."),
    reason: str = typer.Option(..., "--reason", help="Why, in a sentence its readers will see."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Withdraw a wrong version: marked for its readers, the newest good version serves; bytes and
    signature stay (the ledger records who, when and why)."""
    from scobank.catalog.withdrawals import withdraw_version
    from scobank.db import session_scope

    with session_scope() as session:
        v = withdraw_version(session, slug=slug, number=number, reason=reason, actor=_reader(session))
    if as_json:
        return _print_json(v.model_dump(mode="json"))
    typer.echo(f"{slug}: version {v.number} withdrawn ({v.withdrawal_reason})")


@datasets_app.command("republish")
def datasets_republish(
    slug: str = typer.Argument(..., help="Dataset slug."),
    number: int = typer.Argument(..., help="The older version whose content becomes the newest again."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the ledger)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Roll back: publish an older version's content again as the newest version (signed again)."""
    from scobank.catalog.withdrawals import republish_version
    from scobank.db import session_scope

    with session_scope() as session:
        v = republish_version(session, slug=slug, number=number, reason=reason, actor=_reader(session))
    if as_json:
        return _print_json(v.model_dump(mode="json"))
    typer.echo(f"{slug}: new version {v.number} with the content of version {number}, {v.row_count:,} rows, "
               f"sha256 {v.content_hash}")


@datasets_app.command("diff")
def datasets_diff(
    slug: str, a: int = typer.Argument(..., help="Older version number."),
    b: int = typer.Argument(..., help="Newer version number."),
    sample: int = typer.Option(5, help="Sample rows of each kind."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Rows added, removed and changed between two versions, by primary key."""
    from scobank.catalog.diff import diff_versions
    from scobank.db import session_scope

    with session_scope() as session:
        d = diff_versions(session, slug=slug, reader=_reader(session), from_version=a, to_version=b, sample=sample)
    if as_json:
        return _print_json(d.model_dump(mode="json"))
    typer.echo(f"{slug} v{a} -> v{b} (key {', '.join(d.primary_key)}): "
               f"{d.added:,} added, {d.removed:,} removed, {d.changed:,} changed")
    for column, n in d.changed_columns.items():
        typer.echo(f"  {column}: changed in {n:,} rows")
    for row in d.changed_sample:
        typer.echo(f"  ~ {row.key}: " + "; ".join(f"{c} {o!r} -> {n!r}" for c, (o, n) in row.changes.items()))


def query(
    slug: str = typer.Argument(..., help="Dataset slug."),
    select: list[str] = typer.Option(None, "--select", help="Columns (a,b or repeat)."),
    filter: list[str] = typer.Option(None, "--filter", help=FILTER_HELP),
    group_by: list[str] = typer.Option(None, "--group-by", help="Group columns."),
    agg: list[str] = typer.Option(None, "--agg", help="COL:sum|count|mean|min|max, or count."),
    sort: list[str] = typer.Option(None, "--sort", help="COL, -COL (descending)."),
    limit: int = typer.Option(100, "--limit", help="Rows per page (at most 10000)."),
    cursor: str | None = typer.Option(None, "--cursor", help="next_cursor of the previous page."),
    version: int | None = typer.Option(None, "--version", help="Version number (default newest)."),
    as_of: datetime | None = typer.Option(None, "--as-of", help="The version current at this UTC time."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with next_cursor)."),
) -> None:
    """Query a dataset version: select, filter, group and aggregate, sort, page."""
    from scobank.catalog.query import query_dataset
    from scobank.db import session_scope
    from scobank.lake.query import QuerySpec

    spec = QuerySpec.parse(select=select, filters=filter, group_by=group_by, aggregates=agg, sort=sort,
                           limit=limit, cursor=cursor)
    with session_scope() as session:
        result = query_dataset(session, slug=slug, reader=_reader(session), spec=spec, version=version, as_of=as_of)
    if as_json:
        return _print_json(result.model_dump(mode="json"))
    table = Table(*[c.name for c in result.columns], title=f"{slug} v{result.version}")
    for row in result.rows:
        table.add_row(*["" if row[c.name] is None else str(row[c.name]) for c in result.columns])
    Console().print(table)
    if result.next_cursor:
        typer.echo(f"more: --cursor {result.next_cursor}")


def export(
    slug: str = typer.Argument(..., help="Dataset slug."),
    fmt: str = typer.Option(..., "--format", help="csv, xlsx, parquet, json, ndjson, sdmx-csv, sdmx-ml or sdmx-generic."),
    columns: list[str] = typer.Option(None, "--columns", help="Columns to export (a,b or repeat); default all."),
    filter: list[str] = typer.Option(None, "--filter", help=FILTER_HELP),
    delimiter: str | None = typer.Option(None, "--delimiter", help="CSV: ',', ';' or tab (default by --lang)."),
    decimal: str | None = typer.Option(None, "--decimal", help="CSV: decimal mark '.' or ',' (default by --lang)."),
    bom: bool | None = typer.Option(None, "--bom/--no-bom", help="CSV: UTF-8 byte-order mark (default by --lang)."),
    lang: str | None = typer.Option(None, "--lang", help="Reader's language: ru and kk get ';', ',' and a BOM."),
    labels: str = typer.Option("id", "--labels", help="SDMX-CSV: codes (id), names (name) or both, names in --lang."),
    version: int | None = typer.Option(None, "--version", help="Version number (default newest)."),
    as_of: datetime | None = typer.Option(None, "--as-of", help="The version current at this UTC time."),
    output: Path | None = typer.Option(None, "-o", "--output", help="File to write (default stdout)."),
) -> None:
    """Export the rows of a version (filtered, chosen columns), streamed."""
    from scobank.catalog.export import Selection, export_dataset
    from scobank.db import session_scope
    from scobank.lake.export import CsvDialect

    selection = Selection.parse(columns=columns, filters=filter)
    dialect = CsvDialect.for_reader(lang=lang, delimiter="\t" if delimiter == "tab" else delimiter,
                                    decimal=decimal, bom=bom)
    with session_scope() as session:
        stream = export_dataset(session, slug=slug, reader=_reader(session), fmt=fmt, version=version, as_of=as_of,
                                selection=selection, dialect=dialect, labels=labels, lang=lang)
    _write_stream(stream.chunks, output)
    if output is not None:
        typer.echo(f"{stream.rows:,} rows written to {output}", err=True)


def _write_stream(chunks, output: Path | None) -> None:
    """The chunks to stdout, or to `output` through a temporary file beside it (a reader of `output`
    never sees half a file)."""
    if output is None:
        sink = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        for chunk in chunks:
            sink.write(chunk) if sink else sys.stdout.write(chunk.decode())
        return
    tmp = output.with_name(f".{output.name}.part")
    with tmp.open("wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    tmp.replace(output)


@sdmx_app.command("structure")
def sdmx_structure(
    slug: str = typer.Argument(..., help="Dataset slug."),
    version: int | None = typer.Option(None, "--version", help="Version number (default newest)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="File to write (default stdout)."),
) -> None:
    """SDMX-ML 2.1 structure of a version (dataflow, codelists, DSD); its data: export --format sdmx-csv|sdmx-ml."""
    from scobank.catalog.sdmx import sdmx_structure as structure_of
    from scobank.db import session_scope

    with session_scope() as session:
        message = structure_of(session, slug=slug, reader=_reader(session), version=version)
    _write_stream(iter([message.body]), output)


def datapackage_command(
    slug: str = typer.Argument(..., help="Dataset slug."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write datapackage.json and the CSV into."),
    version: int | None = typer.Option(None, "--version", help="Version number (default newest)."),
) -> None:
    """Write a version as a Frictionless Data Package: datapackage.json (Table Schema, licence) and its CSV."""
    from scobank.catalog.datapackage import datapackage
    from scobank.catalog.export import export_dataset
    from scobank.db import session_scope

    output.mkdir(parents=True, exist_ok=True)
    with session_scope() as session:
        reader = _reader(session)
        descriptor = datapackage(session, slug=slug, reader=reader, version=version, data_path=f"{slug}.csv")
        stream = export_dataset(session, slug=slug, reader=reader, fmt="csv", version=int(descriptor["version"]))
    _write_stream(stream.chunks, output / f"{slug}.csv")
    (output / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(f"{stream.rows:,} rows and datapackage.json written to {output}", err=True)


@lake_app.command("gc")
def lake_gc(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list the orphans."),
    min_age: float = typer.Option(3600.0, "--min-age", help="Seconds an orphan must be old."),
) -> None:
    """Remove lake files that no version refers to (left by an interrupted publish), and uploads that
    were abandoned (their process crashed, or nobody finished the wizard within a day)."""
    from scobank.catalog.uploads import remove_abandoned
    from scobank.db import session_scope
    from scobank.catalog.garbage import collect_garbage

    with session_scope() as session:
        removed = collect_garbage(session, min_age_seconds=min_age, dry_run=dry_run)
    for path in removed:
        typer.echo(str(path))
    typer.echo(f"{len(removed)} orphan file{'s' if len(removed) != 1 else ''} {'found' if dry_run else 'removed'}",
               err=True)
    if not dry_run:
        uploads = remove_abandoned()
        for path in uploads:
            typer.echo(str(path))
        typer.echo(f"{len(uploads)} abandoned upload{'s' if len(uploads) != 1 else ''} removed", err=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root `scobank` command."""
    app.add_typer(orgs_app, name="orgs")
    app.command("ingest")(ingest)
    app.add_typer(datasets_app, name="datasets")
    app.command("query")(query)
    app.command("export")(export)
    app.command("datapackage")(datapackage_command)
    app.add_typer(sdmx_app, name="sdmx")
    app.add_typer(lake_app, name="lake")
