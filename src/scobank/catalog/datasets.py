"""Datasets and their multilingual metadata. Every path asks the access gate first and writes the
ledger; listings show only what `visible_datasets` (catalog.visibility) lets the reader see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, false, func, or_, select
from sqlalchemy.orm import Session

from scobank.access import ledger, refusals
from scobank.access.gate import authorize
from scobank.access.reader import Action, DatasetRef, Reader
from scobank.catalog.models import Dataset, DatasetVersion, Organisation
from scobank.catalog.organisations import find_organisation
from scobank.catalog.refs import ref_of
from scobank.catalog.search import index_dataset
from scobank.catalog.schemas import DatasetCreate, DatasetMetadata, DatasetPublic, DatasetUpdate
from scobank.catalog.visibility import listed_datasets, visible_datasets
from scobank.errors import AccessDenied, Conflict, NotFound

METADATA_FIELDS = tuple(DatasetMetadata.model_fields)


def find_dataset(session: Session, slug: str) -> Dataset:
    """The dataset row, without any access check (for services that then call the gate)."""
    dataset = session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None:
        raise NotFound(f"no dataset {slug!r}")  # the gate's words: hidden and missing read alike
    return dataset


def _public(dataset: Dataset, org: Organisation, latest: int | None, count: int) -> DatasetPublic:
    return DatasetPublic(
        slug=dataset.slug, organisation=org.slug, party=org.party, kind=dataset.kind,
        latest_version=latest, version_count=count, created_at=dataset.created_at,
        updated_at=dataset.updated_at, declared_schema=dataset.declared_schema,
        **{f: getattr(dataset, f) for f in METADATA_FIELDS},
    )


def listing_public(dataset: Dataset, org: Organisation) -> DatasetPublic:
    """What a reader outside the audience sees of a listed dataset: title, publisher, description."""
    return DatasetPublic(slug=dataset.slug, organisation=org.slug, party=org.party, kind=dataset.kind,
                         title=dataset.title or {}, description=dataset.description or {},
                         created_at=dataset.created_at, updated_at=dataset.updated_at, listed_only=True)


_SERVING = case((DatasetVersion.withdrawn_at.is_(None), DatasetVersion.number))  # withdrawn ones never serve


def _version_stats():
    return (select(DatasetVersion.dataset_id, func.max(_SERVING).label("latest"),
                   func.count(DatasetVersion.id).label("n"))
            .group_by(DatasetVersion.dataset_id).subquery())


def dataset_public(session: Session, dataset: Dataset) -> DatasetPublic:
    org = session.get(Organisation, dataset.organisation_id)
    latest, count = session.execute(
        select(func.max(_SERVING), func.count(DatasetVersion.id))
        .where(DatasetVersion.dataset_id == dataset.id)).one()
    return _public(dataset, org, latest, count)


def _slug_not_available(session: Session, *, slug: str, taken: int, actor: Reader) -> Conflict:
    """The one answer for a taken slug, whether the actor may see its dataset or not (no existence
    oracle); a try at the slug of a dataset hidden from the actor is recorded for its owners."""
    refusal = Conflict(f"the dataset name {slug!r} is not available; choose another")
    try:
        authorize(session, reader=actor, dataset=ref_of(session, session.get(Dataset, taken)), action=Action.METADATA)
    except NotFound:
        refusals.mark(refusal, reader=actor, dataset_id=taken, action="create-dataset", purpose=actor.purpose)
    return refusal


def create_dataset(session: Session, *, data: DatasetCreate, actor: Reader) -> Dataset:
    """Add a dataset (no versions yet) to organisation `data.organisation`.

    The gate decides with Action.WRITE on the new dataset whether `actor` may publish there
    (AccessDenied rolls the whole transaction back). Raises NotFound for an unknown organisation,
    Conflict when the slug is taken."""
    org = find_organisation(session, data.organisation)
    # The gate first: whether a slug is taken is not told to someone who may not publish here.
    authorize(session, reader=actor, dataset=DatasetRef(id=None, organisation_id=org.id, party=org.party,
                                                           slug=data.slug), action=Action.WRITE)
    taken = session.scalar(select(Dataset.id).where(Dataset.slug == data.slug))
    if taken is not None:
        raise _slug_not_available(session, slug=data.slug, taken=taken, actor=actor)
    dataset = Dataset(slug=data.slug, organisation_id=org.id, kind=data.kind,
                      **data.model_dump(include=set(METADATA_FIELDS)))
    session.add(dataset)
    session.flush()
    grant = authorize(session, reader=actor, dataset=ref_of(session, dataset), action=Action.WRITE)
    ledger.record(session, actor=actor, action="create-dataset", dataset_id=dataset.id, purpose=grant.purpose)
    reindex(session, dataset)
    return dataset


def check_new_or_same(session: Session, *, slug: str, organisation: str, kind: str) -> Dataset | None:
    """For `scobank ingest`: the existing dataset `slug` (None when new), after checking that it is
    `organisation`'s and holds `kind` data (Conflict otherwise; NotFound for an unknown organisation)."""
    org = find_organisation(session, organisation)
    dataset = session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None:
        return None
    if dataset.organisation_id != org.id:
        raise Conflict(f"dataset {slug!r} belongs to another organisation than {organisation!r}")
    if dataset.kind != kind:
        raise Conflict(f"dataset {slug!r} holds {dataset.kind} data, not {kind}")
    return dataset


def update_dataset(session: Session, *, slug: str, changes: DatasetUpdate, actor: Reader) -> DatasetPublic:
    """Change the metadata fields given in `changes` (WRITE); the search index follows."""
    dataset = find_dataset(session, slug)
    grant = authorize(session, reader=actor, dataset=ref_of(session, dataset), action=Action.WRITE)
    fields = changes.model_dump(exclude_unset=True)
    for name, value in fields.items():
        setattr(dataset, name, value)
    session.flush()
    ledger.record(session, actor=actor, action="update-metadata", dataset_id=dataset.id,
                  purpose=grant.purpose, detail={"fields": sorted(fields)})
    reindex(session, dataset)
    return dataset_public(session, dataset)


def get_dataset(session: Session, *, slug: str, reader: Reader, purpose: str | None = None) -> DatasetPublic:
    """One dataset's metadata (METADATA); only its listing (`listed_only`: title, publisher,
    description) when it is listed for requests and the reader is outside its audience. NotFound when
    the reader may not know it exists."""
    dataset = find_dataset(session, slug)
    ref = ref_of(session, dataset)
    try:
        grant = authorize(session, reader=reader, dataset=ref, action=Action.METADATA, purpose=purpose)
    except AccessDenied:
        if authorize(session, reader=reader, dataset=ref, action=Action.LISTING).basis != "listing":
            raise
        ledger.record(session, actor=reader, action="listing", dataset_id=dataset.id, purpose=purpose)
        return listing_public(dataset, session.get(Organisation, dataset.organisation_id))
    ledger.record(session, actor=reader, action="metadata", dataset_id=dataset.id, purpose=grant.purpose,
                  agreement_id=grant.agreement_id)
    return dataset_public(session, dataset)


@dataclass(frozen=True)
class DatasetPage:
    items: list[DatasetPublic]
    total: int  # every dataset the reader may see under the same conditions, over all pages


def _shown(session: Session, reader: Reader, listed: bool):
    """(the datasets the reader may see, those shown: also the ones listed for requests when `listed`)."""
    visible = visible_datasets(session, reader)
    return visible, (or_(visible, listed_datasets(session, reader)) if listed else visible)


def _listing(session: Session, reader: Reader, organisation: str | None, party: str | None, query, shown):
    query = query.join(Organisation, Organisation.id == Dataset.organisation_id).where(shown)
    if organisation:
        query = query.where(Organisation.slug == organisation)
    if party:
        query = query.where(Organisation.party == party.upper())
    return query


def list_datasets(session: Session, *, reader: Reader, organisation: str | None = None,
                  party: str | None = None, limit: int | None = None, offset: int = 0,
                  listed: bool = False) -> list[DatasetPublic]:
    """The datasets the reader may see, by slug, optionally of one organisation or party; one query
    (organisation and version counts joined), `limit`/`offset` for pages (None: all). `listed`: also
    those listed for requests, shown by their listing only (`listed_only`)."""
    stats = _version_stats()
    visible, shown = _shown(session, reader, listed)
    query = _listing(session, reader, organisation, party,
                     select(Dataset, Organisation, stats.c.latest, stats.c.n, case((visible, True), else_=false())),
                     shown)
    query = query.outerjoin(stats, stats.c.dataset_id == Dataset.id).order_by(Dataset.slug).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    ledger.record(session, actor=reader, action="list", rows=len(rows))
    return [_public(d, org, latest, n or 0) if full else listing_public(d, org) for d, org, latest, n, full in rows]


def askable_datasets(session: Session, *, reader: Reader) -> list[DatasetPublic]:
    """The datasets listed so that `reader` may ask for them and not yet open to the reader: their
    listing only (title, publisher, description)."""
    return [d for d in list_datasets(session, reader=reader, listed=True) if d.listed_only]


def page_datasets(session: Session, *, reader: Reader, organisation: str | None = None,
                  party: str | None = None, limit: int | None = None, offset: int = 0,
                  listed: bool = False) -> DatasetPage:
    """One page of `list_datasets` and the total the reader may see (the API's X-Total-Count)."""
    shown = _shown(session, reader, listed)[1]
    total = session.scalar(_listing(session, reader, organisation, party, select(func.count(Dataset.id)), shown))
    items = list_datasets(session, reader=reader, organisation=organisation, party=party, limit=limit, offset=offset,
                          listed=listed)
    return DatasetPage(items=items, total=int(total or 0))


def reindex(session: Session, dataset: Dataset) -> None:
    """Refresh the catalog search index for `dataset` (scobank.catalog.search, in this transaction)."""
    session.flush()
    index_dataset(session, dataset)


def public_of(session: Session, slugs: list[str]) -> list[tuple[DatasetPublic, dict, DatasetVersion | None]]:
    """(public shape, publisher's names, newest version) of datasets a search already found visible,
    in one query (no gate here: the caller's search applied the visibility rule and records the read).
    The shapes are built without re-validating what the database holds."""
    ids = select(Dataset.id).where(Dataset.slug.in_(slugs))
    stats = (select(DatasetVersion.dataset_id, func.max(DatasetVersion.number).label("latest"),
                    func.count(DatasetVersion.id).label("n"))
             .where(DatasetVersion.dataset_id.in_(ids)).group_by(DatasetVersion.dataset_id).subquery())
    rows = session.execute(select(Dataset, Organisation, stats.c.n, DatasetVersion)
                           .join(Organisation, Organisation.id == Dataset.organisation_id)
                           .outerjoin(stats, stats.c.dataset_id == Dataset.id)
                           .outerjoin(DatasetVersion, (DatasetVersion.dataset_id == Dataset.id)
                                      & (DatasetVersion.number == stats.c.latest))
                           .where(Dataset.slug.in_(slugs)))
    out = []
    for d, org, n, version in rows:
        public = DatasetPublic.model_construct(
            slug=d.slug, organisation=org.slug, party=org.party, kind=d.kind,
            latest_version=version.number if version else None, version_count=n or 0,
            created_at=d.created_at, updated_at=d.updated_at,
            **{f: getattr(d, f) if getattr(d, f) is not None else DatasetMetadata.model_fields[f].get_default(
                call_default_factory=True) for f in METADATA_FIELDS})
        out.append((public, org.names, version))
    return out
