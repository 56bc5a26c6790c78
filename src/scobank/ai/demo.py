"""Demo step of the ai area: build the semantic index over what the earlier steps published.

Idempotent and cheap on a second run: unchanged texts are skipped by hash, and the HS nomenclature's
vectors come from the disk cache (SCOBANK_AI_CACHE_DIR, keyed by model and nomenclature hash)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy.orm import Session


def populate(session: Session, *, data_dir: Path) -> list[str]:
    from scobank.ai.reindex import rebuild_index

    started = time.perf_counter()
    reports = rebuild_index(session)
    lines = [f"ai index: {r.kind} {r.items} items ({r.embedded} texts embedded now)" for r in reports]
    lines.append(f"ai index built in {time.perf_counter() - started:.1f} s; try `scobank search \"steel\"`")
    return lines
