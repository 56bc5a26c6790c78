"""What search indexes outside the catalog (ai's semantic and lexical index) read of its datasets,
without its tables: their texts and card fields by id, how many there are, which of them a reader may
see, and a hook called when a dataset row changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.models import Dataset
from scobank.catalog.visibility import visible_datasets
from scobank.db import RowChanged, on_row_change


@dataclass(frozen=True)
class DatasetCard:
    id: int
    slug: str
    title: dict
    description: dict
    keywords: dict
    kind: str | None
    classification: str | None


def dataset_cards(session: Session, ids: Iterable[int] | None = None) -> list[DatasetCard]:
    """The datasets `ids` (every dataset when None), by id. No gate: metadata, for an index whose hits
    are filtered by `visible_dataset_ids`."""
    query = select(Dataset).order_by(Dataset.id)
    if ids is not None:
        query = query.where(Dataset.id.in_(list(ids)))
    return [DatasetCard(id=d.id, slug=d.slug, title=dict(d.title or {}), description=dict(d.description or {}),
                        keywords=d.keywords or {}, kind=d.kind, classification=d.classification)
            for d in session.scalars(query)]


def count_datasets(session: Session) -> int:
    return session.scalar(select(func.count(Dataset.id))) or 0


def datasets_stamp(session: Session) -> tuple:
    """The newest dataset id and edit time: changes when a dataset is added or edited (cheap reads)."""
    return tuple(session.execute(select(select(func.max(Dataset.id)).scalar_subquery(),
                                        select(func.max(Dataset.updated_at)).scalar_subquery())).one())


def visible_dataset_ids(session: Session, reader: Reader, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that `reader` may see in the catalog (`catalog.visibility.visible_datasets`)."""
    return set(session.scalars(select(Dataset.id).where(Dataset.id.in_(list(ids)),
                                                        visible_datasets(session, reader))))


def dataset_ids(session: Session, slugs: Iterable[str]) -> dict[str, int]:
    """slug -> id of the datasets `slugs` (unknown slugs left out)."""
    return dict(session.execute(select(Dataset.slug, Dataset.id).where(Dataset.slug.in_(list(slugs)))).all())


def on_dataset_change(callback: RowChanged) -> None:
    """Call `callback(connection, dataset id)` after a dataset row is updated or deleted."""
    on_row_change(Dataset, callback)
