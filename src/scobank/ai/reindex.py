"""Rebuilding the semantic index: every stored kind, then the HS nomenclature's vectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from scobank.ai.embedding import embedder
from scobank.ai.hs_model import ensure_hs_model
from scobank.ai.hs_nomenclature import load_nomenclature
from scobank.ai.index import reindex
from scobank.ai.kinds import STORED_KINDS


@dataclass(frozen=True)
class KindReport:
    kind: str
    items: int
    embedded: int  # texts embedded now (unchanged texts are skipped)


def rebuild_index(session: Session, *, kinds: list[str] | None = None, include_hs: bool = True,
                  on_kind: Callable[[str, int], Callable[[int], None]] | None = None) -> list[KindReport]:
    """Re-embed changed texts of each stored kind (all, or `kinds`) and drop vectors of items that are
    gone; then make sure the HS model is built (cached on disk by model and nomenclature hash).
    `on_kind(name, total)` may return a progress callback (a CLI progress bar)."""
    model = embedder()
    reports = []
    for kind in STORED_KINDS:
        if kinds and kind.name not in kinds:
            continue
        total = kind.count(session)
        progress = on_kind(kind.name, total) if on_kind else None
        reports.append(KindReport(kind=kind.name, items=total, embedded=reindex(session, kind, model,
                                                                             progress=progress)))
    if include_hs and (not kinds or "hs" in kinds):
        nom = load_nomenclature(session)
        progress = on_kind("hs", len(nom.subheadings)) if on_kind else None
        _, embedded = ensure_hs_model(session, model=model)
        if progress:
            progress(len(nom.subheadings))
        reports.append(KindReport(kind="hs", items=len(nom.headings), embedded=embedded))
    return reports
