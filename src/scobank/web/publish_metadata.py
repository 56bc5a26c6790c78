"""The last step of the publish wizard: the form's fields read into the publishing service's arguments
(a new dataset with its metadata in several languages and its policy, or an existing one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from scobank.access import policies
from scobank.access.reader import Reader
from scobank.catalog import publish
from scobank.catalog.schemas import DatasetCreate
from scobank.errors import BadRequest, Conflict, IngestRejected, NotFound
from scobank.ingest.options import ReadOptions
from scobank.web.i18n import LANGUAGES


@dataclass
class Outcome:
    slug: str | None = None
    version: int | None = None
    problems: list[str] = field(default_factory=list)


def _texts(form: dict, prefix: str) -> dict[str, str]:
    return {lang: form[f"{prefix}_{lang}"].strip() for lang in LANGUAGES if form.get(f"{prefix}_{lang}", "").strip()}


def _keywords(form: dict) -> dict[str, list[str]]:
    out = {}
    for lang, text in _texts(form, "keywords").items():
        out[lang] = [w.strip() for w in text.replace("，", ",").split(",") if w.strip()]
    return out


def _year(form: dict, name: str) -> int | None:
    value = form.get(name, "").strip()
    return int(value) if value.isdigit() else None


def policy_document(form: dict) -> dict:
    """The policy the steward chose, in the access area's document form (it validates it)."""
    audience = form.get("audience", "members")  # "owner": others ask; "hidden": others never see it
    chosen = {"parties": f"parties:{form.get('parties', '')}", "hidden": "owner"}.get(audience, audience)
    doc = policies.parse_audience(chosen)
    doc["listed"] = audience == "owner"
    k = form.get("aggregates_only_k", "").strip()
    purposes = [p for p in policies.PURPOSES if form.get(f"purpose_{p}") == "on"]
    doc.update(purposes=purposes or None, aggregates_only_k=int(k) if k.isdigit() else None,
               export=form.get("export") == "on", embargo_until=None, expires=None)
    return doc


def _new_dataset(form: dict, organisation: str) -> DatasetCreate:
    kind = form.get("kind", "table")
    return DatasetCreate(
        slug=form.get("slug", "").strip(), organisation=organisation, kind=kind,
        title=_texts(form, "title"), description=_texts(form, "description"), keywords=_keywords(form),
        license=form.get("license") or None, temporal_start=_year(form, "temporal_start"),
        temporal_end=_year(form, "temporal_end"), source_note=form.get("source_note") or None,
        classification=(form.get("hs_revision") or None) if kind == "trade" else None)


def publish_described(session: Session, *, reader: Reader, path: Path, form: dict,
                      organisation: str | None, schema: dict | None = None,
                      options: ReadOptions | None = None) -> Outcome:
    """Publish `path` as described by `form` through the publishing service (a new dataset, its policy
    and the version in one savepoint: nothing of it stays when any part fails), a table staged with
    `schema` as the steward edited it; problems to show on the form instead of raising for what the
    steward can fix."""
    target = form.get("target", "").strip()
    if not target and organisation is None:
        return Outcome(problems=["your account belongs to no organisation, so it cannot publish a new dataset"])
    try:
        new = None if target else _new_dataset(form, organisation)
        result = publish.publish_version(
            session, dataset=target or new.slug, source=path, actor=reader, kind=form.get("kind") or None,
            on_error=form.get("on_error", "abort"), hs_revision=form.get("hs_revision") or None,
            source_name=path.name, new_dataset=new, policy=None if target else policy_document(form),
            schema=schema, schema_change=form.get("schema_change") == "on", options=options)
    except ValidationError as exc:
        return Outcome(problems=[f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()])
    except (BadRequest, Conflict, NotFound, IngestRejected) as exc:
        return Outcome(problems=[exc.message])
    return Outcome(slug=result.version.dataset, version=result.version.number)
