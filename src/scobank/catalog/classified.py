"""The datasets a reader may see that are classified by a product system, for a search that found
products of that system ("has data by HS product"): one SELECT for every classification at once,
through the gate's visibility condition, instead of a facet count and one catalog search per
classification."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.models import Dataset
from scobank.catalog.visibility import visible_datasets


def classified_datasets(session: Session, reader: Reader, *, per_classification: int = 50) -> dict[str, list[str]]:
    """classification -> slugs of the visible datasets classified by it, newest first (ties by slug, as
    the catalog lists them), at most `per_classification` each; classifications in sorted order."""
    place = func.row_number().over(partition_by=Dataset.classification,
                                   order_by=(Dataset.updated_at.desc(), Dataset.slug)).label("place")
    ranked = (select(Dataset.classification, Dataset.slug, place)
              .where(Dataset.classification.is_not(None), Dataset.classification != "",
                     visible_datasets(session, reader))
              .subquery())
    rows = session.execute(select(ranked.c.classification, ranked.c.slug)
                           .where(ranked.c.place <= per_classification)
                           .order_by(ranked.c.classification, ranked.c.place))
    out: dict[str, list[str]] = {}
    for classification, slug in rows:
        out.setdefault(classification, []).append(slug)
    return dict(sorted(out.items()))
