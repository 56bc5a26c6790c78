"""Search among the datasets listed so that a reader may ask for them (policy "owner only, others ask",
`listed`): a logged-in reader outside the audience finds them by the words of what the listing shows
(title, description in any language, slug, publisher) and nothing else: keywords, themes, coverage,
classification and data stay unsearchable, so a search is no oracle for them. Anonymous readers and
datasets the reader may already see get nothing here (the catalog's own search has those)."""

from __future__ import annotations

from sqlalchemy import func, not_, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.datasets import listing_public
from scobank.catalog.models import Dataset, DatasetSearchTerm, Organisation
from scobank.catalog.schemas import DatasetPublic
from scobank.catalog.visibility import listed_datasets, visible_datasets
from scobank.tokens import document_terms, query_terms

CANDIDATES = 200  # listed datasets holding every word somewhere in their metadata, checked on what is shown


def _shown_terms(dataset: Dataset, org: Organisation) -> set[str]:
    texts = [*(dataset.title or {}).values(), *(dataset.description or {}).values(), dataset.slug, org.slug,
             *(v for v in (org.names or {}).values() if isinstance(v, str))]
    return set().union(*(document_terms(t) for t in texts if isinstance(t, str)))


def search_listed(session: Session, *, reader: Reader, q: str | None, limit: int = 5) -> list[DatasetPublic]:
    """The listings (title, publisher, description; no data) of datasets listed for `reader` to ask for,
    not open to `reader`, whose shown texts hold every word of `q`; most words in the title first."""
    words = query_terms(q)
    if not words or reader.user_id is None or limit <= 0:
        return []
    term = DatasetSearchTerm
    holding = (select(term.dataset_id).where(term.term.in_(sorted(words))).group_by(term.dataset_id)
               .having(func.count() == len(words)))
    rows = session.execute(
        select(Dataset, Organisation).join(Organisation, Organisation.id == Dataset.organisation_id)
        .where(Dataset.id.in_(holding), listed_datasets(session, reader), not_(visible_datasets(session, reader)))
        .order_by(Dataset.slug).limit(CANDIDATES)).all()
    found = [(d, o) for d, o in rows if words <= _shown_terms(d, o)]
    in_title = {d.id: len(words & set().union(*(document_terms(t) for t in (d.title or {}).values()
                                                if isinstance(t, str)))) for d, _ in found}
    found.sort(key=lambda pair: (-in_title[pair[0].id], pair[0].slug))
    return [listing_public(d, o) for d, o in found[:limit]]
