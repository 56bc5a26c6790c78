"""What owners see of the ledger: who used my data, for what, under which agreement."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.gate import authorize
from scobank.access.reader import Action, Reader
from scobank.catalog.refs import dataset_id_of, ref_by_id, slugs_by_id
from scobank.catalog.visibility import owned_dataset_ids
from scobank.errors import AccessDenied, NotFound, Unauthenticated


def _owner_filter(session: Session, *, reader: Reader, dataset: str | None, actor: str | None, action: str | None,
                  party: str | None, since: str | None, until: str | None, limit: int,
                  before_seq: int | None) -> tuple[ledger.LedgerFilter, dict[int, str]]:
    if reader.is_anonymous:
        raise Unauthenticated("log in to see who used your data")
    slugs = slugs_by_id(session, None if reader.is_operator else session.scalars(owned_dataset_ids(session, reader)))
    ids: list[int] | None = None if reader.is_operator else list(slugs)
    if dataset is not None:
        found = dataset_id_of(session, dataset)
        if found is None:
            raise NotFound(f"no dataset {dataset!r}")
        if found not in slugs:
            authorize(session, reader=reader, dataset=ref_by_id(session, found), action=Action.LISTING)  # NotFound if hidden
            raise AccessDenied(f"only the owners of {dataset} may see who used it")
        ids = [found]
        slugs = {found: dataset}
    where = ledger.LedgerFilter(dataset_ids=ids, actor=actor, action=action, party=party, since=since,
                                until=until, limit=limit, before_seq=before_seq)
    return where, slugs


def owner_entries(session: Session, *, reader: Reader, dataset: str | None = None, actor: str | None = None,
                  action: str | None = None, party: str | None = None, since: str | None = None,
                  until: str | None = None, limit: int = 100, before_seq: int | None = None) -> list[dict]:
    """Ledger entries about datasets `reader` owns (their organisation's; a steward: their party's;
    the operator and platform administrators: all, including entries with no dataset).

    `dataset` (slug) narrows to one dataset: NotFound when it does not exist or the reader may not know
    it, AccessDenied when it exists but belongs to someone else.
    """
    where, slugs = _owner_filter(session, reader=reader, dataset=dataset, actor=actor, action=action, party=party,
                                 since=since, until=until, limit=limit, before_seq=before_seq)
    return [ledger.entry_dict(e, slugs=slugs) for e in ledger.entries(session, where=where)]


def owner_page(session: Session, *, reader: Reader, limit: int = 100, before_seq: int | None = None,
               **filters: str | None) -> dict:
    """One page of `owner_entries` (the same filters), the `before` of the next page and the total of
    entries matching over all pages."""
    where, slugs = _owner_filter(session, reader=reader, limit=limit, before_seq=before_seq,
                                 **{k: filters.get(k) for k in ("dataset", "actor", "action", "party", "since", "until")})
    found = [ledger.entry_dict(e, slugs=slugs) for e in ledger.entries(session, where=where)]
    return {"entries": found, "next_before": found[-1]["seq"] if len(found) == limit else None,
            "total": ledger.count(session, where=where)}
