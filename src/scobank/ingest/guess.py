"""A detected setting with its evidence: the value chosen, how sure, and what came second.

Every detector (encoding, delimiter) answers with a `Guess`, so the report can say "encoding kz1048
(confidence 1.00; runner-up cp1251 0.59)" and a steward sees when to override.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guess:
    value: Any
    confidence: float  # 0..1; 1.0 for a value the steward gave or a byte-order mark
    runner_up: Any = None
    runner_up_confidence: float | None = None
    given: bool = False  # True when the steward set it (ReadOptions), not detected

    @classmethod
    def of(cls, value: Any) -> Guess:
        return cls(value, 1.0, given=True)

    @classmethod
    def ranked(cls, scores: dict[Any, float]) -> Guess:
        """The best of `scores` (value -> score, insertion order breaks ties) with its runner-up."""
        order = sorted(scores.items(), key=lambda kv: -kv[1])
        best, second = order[0], order[1] if len(order) > 1 else (None, None)
        return cls(best[0], round(best[1], 3), second[0],
                   None if second[1] is None else round(second[1], 3))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "confidence": self.confidence}
        if self.given:
            out["given"] = True
        elif self.runner_up is not None:
            out["runner_up"] = self.runner_up
            out["runner_up_confidence"] = self.runner_up_confidence
        return out
