"""Hybrid search: full-text ranking fused with vector similarity by reciprocal rank fusion.

RRF (Cormack, Clarke & Büttcher 2009): score(item) = sum over rankings of 1 / (K + rank), K = 60.
Each kind in `scobank.ai.kinds.KINDS` contributes two rankings of the items the reader may see: by
meaning (cosine similarity of the query to the item's nearest-language text, exact numpy search; hits
below SIMILARITY_FLOOR are dropped as unrelated) and by words. A query in one language therefore finds
items written only in another through the vector ranking, while exact words (codes, names) still count.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.ai.embedding import embedder
from scobank.ai.kinds import KINDS, Hit
from scobank.errors import BadRequest

RRF_K = 60
SIMILARITY_FLOOR = 0.25
CANDIDATES = 50  # per kind and ranking


def kind_names() -> list[str]:
    return [k.name for k in KINDS]


def search(session: Session, *, reader: Reader, q: str, kinds: list[str] | None = None,
           limit: int = 10) -> list[Hit]:
    """The `limit` best items for `q` among `kinds` (default all), best first, only those `reader`
    may see. Raises BadRequest for an empty query, an unknown kind or a limit outside 1..100."""
    if not q or not q.strip():
        raise BadRequest("the search text is empty")
    if not 1 <= limit <= 100:
        raise BadRequest(f"limit must be between 1 and 100, got {limit}")
    unknown = sorted(set(kinds or []) - set(kind_names()))
    if unknown:
        raise BadRequest(f"unknown kind {', '.join(unknown)}; known: {', '.join(kind_names())}")
    model = embedder()
    vector = model.embed([q.strip()])[0]
    fused: dict[tuple[str, str], float] = {}
    similarity: dict[tuple[str, str], float] = {}
    selected = [k for k in KINDS if not kinds or k.name in kinds]
    for kind in selected:
        dense, lexical = kind.rankings(session, reader, q.strip(), vector, model, CANDIDATES)
        for rank, (item_id, sim) in enumerate(x for x in dense if x[1] >= SIMILARITY_FLOOR):
            key = (kind.name, item_id)
            fused[key] = fused.get(key, 0.0) + 1 / (RRF_K + rank + 1)
            similarity[key] = sim
        for rank, item_id in enumerate(lexical):
            key = (kind.name, item_id)
            fused[key] = fused.get(key, 0.0) + 1 / (RRF_K + rank + 1)
    best = sorted(fused, key=lambda k: (-fused[k], -similarity.get(k, 0.0), k))[:limit]
    shown = {kind.name: kind.describe(session, [i for n, i in best if n == kind.name]) for kind in selected}
    hits = []
    for key in best:
        info = shown[key[0]].get(key[1])
        if info is None:  # vanished between ranking and describing
            continue
        sim = similarity.get(key)
        hits.append(Hit(kind=key[0], id=info["id"], title=info["title"], score=round(fused[key], 5),
                        similarity=None if sim is None else round(sim, 4), url=info["url"],
                        details=info["details"]))
    return hits
