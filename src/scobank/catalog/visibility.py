"""The gate's listing conditions over the catalog's own tables: which datasets a reader may know exist,
and which it owns. The gate builds them from the columns given here (`DatasetColumns`), so it never
imports the catalog."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from scobank.access.gate import DatasetColumns, listed_condition, owned_condition, visible_condition
from scobank.access.reader import Reader
from scobank.catalog.models import Dataset, Organisation

COLUMNS = DatasetColumns(id=Dataset.id, organisation_id=Dataset.organisation_id, org_id=Organisation.id,
                         org_party=Organisation.party)


def visible_datasets(session: Session, reader: Reader) -> ColumnElement[bool]:
    """SQL condition on Dataset: the datasets `reader` may know exist (agrees with authorize(METADATA))."""
    return visible_condition(session, reader, COLUMNS)


def listed_datasets(session: Session, reader: Reader) -> ColumnElement[bool]:
    """SQL condition on Dataset: the datasets listed so that `reader` may ask for them (the reader sees
    their title, publisher and description only, unless `visible_datasets` holds too)."""
    return listed_condition(session, reader, COLUMNS)


def owned_datasets(session: Session, reader: Reader) -> ColumnElement[bool]:
    """SQL condition on Dataset: the datasets `reader` owns (their organisation's; a steward: their
    party's; the operator and platform administrators: all)."""
    return owned_condition(reader, COLUMNS)


def owned_dataset_ids(session: Session, reader: Reader) -> Select:
    """The ids of the datasets `reader` owns, as a subquery for other areas' conditions."""
    return select(Dataset.id).where(owned_datasets(session, reader))
