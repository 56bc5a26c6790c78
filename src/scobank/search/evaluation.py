"""Cross-lingual listing search, measured: a listing written in one language, searched from the others.

The set (tests/data/listings_xling.jsonl) holds listings (title, description) each written in ONE of
en/ru/zh, and for each the short queries a buyer would type in the two other languages. Recall@k: the
share of (listing, query) pairs whose listing is among the first k listings the search service returns
(all the set's listings are in the bank: similar topics compete)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.search.service import search


@dataclass(frozen=True)
class XlingItem:
    id: str
    lang: str  # the language the listing is written in
    title: str
    description: str
    queries: dict[str, str]  # language -> a query in it


@dataclass(frozen=True)
class ListingRecall:
    pairs: int
    at1: float
    at5: float
    by_direction: dict[str, tuple[int, float]]  # "zh->ru": (pairs, recall@5)


def load_xling(path: Path) -> list[XlingItem]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [XlingItem(**r) for r in rows]


def listing_recall(session: Session, *, reader: Reader, items: list[XlingItem],
                   listing_ids: dict[str, str]) -> ListingRecall:
    """Recall@1 and @5 of the search service over every (item, query) pair; `listing_ids` maps an
    item's id to the id of its listing in the bank."""
    ranks, directions = [], defaultdict(list)
    for item in items:
        for lang, query in item.queries.items():
            answer = search(session, reader=reader, q=query, kinds=["listing"], per_kind=5)
            found = [r.id for g in answer.groups for r in g.items]
            rank = found.index(listing_ids[item.id]) if listing_ids[item.id] in found else 99
            ranks.append(rank)
            directions[f"{lang}->{item.lang}"].append(rank < 5)
    n = len(ranks)
    return ListingRecall(pairs=n, at1=sum(r < 1 for r in ranks) / n, at5=sum(r < 5 for r in ranks) / n,
                         by_direction={d: (len(v), sum(v) / len(v)) for d, v in sorted(directions.items())})
