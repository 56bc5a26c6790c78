"""Relevance as people read it: a 0-100 match, a word for it, and why (matched words, closeness of meaning).

- meaning: cosine similarity of the multilingual sentence vectors of the query and the item's nearest
  text, mapped linearly from MEANING_ZERO (0) to MEANING_FULL (100);
- words: the share of the query's terms (stems; Chinese character pairs) found in the item's texts;
- the match is the larger of the meaning and the mean of meaning and words (words alone when meaning
  is not measured: a language the embedder does not know); a product's match is also at least its
  suggestion confidence.
Words: >= 75 "strong", >= 50 "good", >= 25 "partial", else "weak".
"""

from __future__ import annotations

from pydantic import BaseModel, Field

MEANING_ZERO, MEANING_FULL = 0.25, 0.75
LABELS = ((75, "strong"), (50, "good"), (25, "partial"), (0, "weak"))


class Match(BaseModel):
    score: int = Field(description="0-100: how well the item matches the query")
    label: str = Field(description="strong | good | partial | weak")
    words: list[str] = Field(default_factory=list, description="words of the query found in the item")
    meaning: int | None = Field(None, description="0-100 closeness of meaning (multilingual sentence vectors)")
    reason: str | None = Field(None, description="why the item is listed when neither words nor meaning say it")
    reason_code: str | None = Field(None, description="hs-code | product-system | same-product")
    reason_args: dict[str, str] = Field(default_factory=dict)


def meaning_percent(similarity: float | None) -> int | None:
    if similarity is None:
        return None
    share = (similarity - MEANING_ZERO) / (MEANING_FULL - MEANING_ZERO)
    return round(100 * min(1.0, max(0.0, share)))


def label(score: int) -> str:
    return next(name for floor, name in LABELS if score >= floor)


def match(*, similarity: float | None = None, words: list[str] | None = None, query_terms: int = 0,
          word_terms: int | None = None, floor: int = 0, reason: str | None = None,
          reason_code: str | None = None, reason_args: dict[str, str] | None = None) -> Match:
    """The Match of an item: `words` found of `query_terms`, `similarity` of meaning, at least `floor`."""
    words = words or []
    found = len(words) if word_terms is None else word_terms
    by_words = round(100 * min(1.0, found / query_terms)) if query_terms else 0
    meaning = meaning_percent(similarity)
    score = by_words if meaning is None else max(meaning, round((meaning + by_words) / 2))
    score = max(score, floor)
    return Match(score=score, label=label(score), words=words, meaning=meaning, reason=reason,
                 reason_code=reason_code, reason_args=reason_args or {})
