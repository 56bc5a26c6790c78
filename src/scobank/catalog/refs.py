"""What other areas may know of the catalog's datasets and organisations, without its tables: a
dataset as the gate's `DatasetRef`, slugs by id, a dataset's classification, organisation ids by slug,
version numbers by id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.reader import DatasetRef
from scobank.catalog.models import Dataset, DatasetVersion, Organisation
from scobank.errors import NotFound


def ref_of(session: Session, dataset: Dataset) -> DatasetRef:
    """The gate's view of `dataset`: id, organisation, that organisation's party, slug."""
    org = session.get(Organisation, dataset.organisation_id) if dataset.organisation_id is not None else None
    return DatasetRef(id=dataset.id, organisation_id=dataset.organisation_id, party=org.party if org else None,
                      slug=dataset.slug)


def ref_by_slug(session: Session, slug: str) -> DatasetRef:
    """The DatasetRef of dataset `slug`; NotFound when there is none."""
    found = session.scalars(select(Dataset).where(Dataset.slug == slug)).first()
    if found is None:
        raise NotFound(f"no dataset {slug!r}")
    return ref_of(session, found)


def ref_by_id(session: Session, dataset_id: int) -> DatasetRef | None:
    found = session.get(Dataset, dataset_id)
    return ref_of(session, found) if found is not None else None


def dataset_id_of(session: Session, slug: str) -> int | None:
    return session.scalars(select(Dataset.id).where(Dataset.slug == slug)).first()


def classification_of(session: Session, slug: str) -> str | None:
    """The catalog `classification` of dataset `slug` (HS17, SITC2, ...); None when it has none or there is
    no such dataset. No gate: for a dataset the caller has already read through it."""
    return session.scalar(select(Dataset.classification).where(Dataset.slug == slug))


def slugs_by_id(session: Session, ids: Iterable[int] | None = None) -> dict[int, str]:
    """id -> slug of the datasets `ids` (all datasets when None)."""
    stmt = select(Dataset.id, Dataset.slug)
    if ids is not None:
        stmt = stmt.where(Dataset.id.in_(list(ids)))
    return dict(session.execute(stmt).all())


def organisation_ids(session: Session, slugs: Iterable[str]) -> dict[str, int]:
    """slug -> id of the organisations among `slugs` that exist."""
    wanted = list(slugs)
    if not wanted:
        return {}
    return dict(session.execute(select(Organisation.slug, Organisation.id).where(Organisation.slug.in_(wanted))).all())


def organisation_slugs(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """id -> slug of the organisations `ids` (None ignored)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(Organisation.id, Organisation.slug).where(Organisation.id.in_(wanted))).all())


def version_numbers(session: Session, dataset_id: int, *, number: int | None = None) -> dict[int, int]:
    """version id -> number of a dataset's versions (only version `number` when given)."""
    stmt = select(DatasetVersion.id, DatasetVersion.number).where(DatasetVersion.dataset_id == dataset_id)
    if number is not None:
        stmt = stmt.where(DatasetVersion.number == number)
    return dict(session.execute(stmt).all())
