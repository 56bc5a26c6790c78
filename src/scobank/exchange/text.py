"""Text similarity through the AI area's embedder (`scobank.ai.embedder()`), when it is present.

The AI area sits beside the exchange and reads its listings, so the exchange does not import it: the
embedder's factory is handed over at start-up (`use_embedder`, called by `scobank.bank.start`).
Vectors are unit-normalised, so similarity is a dot product. Without an embedder (none handed over, or
the AI area reports none) the text factor is off and its weight goes to the other factors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

_make_embedder: Callable[[], object] | None = None
_suggest_hs: Callable[..., object] | None = None


def use_embedder(make: Callable[[], object]) -> None:
    """Register the AI area's embedder factory (once, at start-up)."""
    global _make_embedder
    _make_embedder = make


def use_hs_suggester(suggest: Callable[..., object]) -> None:
    """Register the AI area's HS suggester (`suggest_hs(session, text, top=)`), once at start-up."""
    global _suggest_hs
    _suggest_hs = suggest


def hs_suggester() -> Callable[..., object] | None:
    """The AI area's HS suggester, or None when none was handed over."""
    return _suggest_hs


def embedder():
    """The AI area's embedder, or None when there is none."""
    if _make_embedder is None:
        return None
    try:
        return _make_embedder()
    except Exception:  # the AI area signals "no model" by raising; the matcher then runs without text
        return None


def model_name(model) -> str:
    return str(getattr(model, "name", None) or getattr(model, "model", None) or type(model).__name__)[:80]


def listing_text(title: dict, description: dict, original: str) -> str:
    """The author's own words: title and description in the original language."""
    t = title.get(original) or next(iter(title.values()), "")
    d = description.get(original) or next(iter(description.values()), "")
    return f"{t}. {d}".strip(". ")


DETAIL_WORDS = ("process", "equipment", "specification")  # free text in `details` that says what


def listing_words(listing) -> str:
    """What a listing is about in the author's words: title, description, and the free text of its
    details (a capacity's process and equipment, a request's specification, a project's missing inputs)."""
    details = listing.details or {}
    extra = [str(details[k]) for k in DETAIL_WORDS if details.get(k)]
    extra += [str(m["description"]) for m in details.get("missing") or [] if m.get("description")]
    base = listing_text(listing.title or {}, listing.description or {}, listing.original_language)
    return ". ".join([base, *extra]).strip(". ")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed(model, texts: list[str]) -> np.ndarray:
    """Unit vectors (n x d, float32) for `texts`."""
    vectors = np.asarray(model.embed(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)
