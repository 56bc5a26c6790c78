"""What matching reads from the bank's published datasets besides listings: distances between countries
(`cepii-geodist`), the country prior's exports (the newest the bank has per country: OECD ICIO flows,
else `sitc2-exports-1998-2000`; see `recent_prior`) and the product space
(`atlas-hs92-product-space`, `atlas-hs92-products`). Each is used through the gate with the asking
reader and recorded in the ledger on every call; each is read from the lake once per version.

A bank without one of them (no demo data), or a reader the gate does not let read its rows, still matches:
that factor then has no figure, as for a country GeoDist does not list (the factor's note says so).
`MatchingInputs.missing` names what was not there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.errors import AccessDenied, NotFound
from scobank.exchange.matching.geography import NO_DISTANCES, Distances, country_distances
from scobank.exchange.matching.priors import NO_EXPORTS, Exports, exports_by_division
from scobank.exchange.matching.productspace import related_headings
from scobank.exchange.matching.recent_prior import CountryPrior, country_prior, icio_prior, sitc_prior


@dataclass(frozen=True)
class MatchingInputs:
    distances: Distances
    exports: Exports
    related: dict[str, frozenset[str]] = field(compare=False, hash=False)
    missing: tuple[str, ...] = ()  # why an input is empty: the NotFound messages
    prior: CountryPrior = CountryPrior(())  # RCA sources, newest first

    @property
    def key(self) -> tuple:
        """The versions (bytes) a snapshot built on these inputs depends on."""
        return (self.distances.key, self.exports.key, self.prior.key)


T = TypeVar("T")


def matching_inputs(session: Session, *, reader: Reader) -> MatchingInputs:
    """The reference inputs of matching for `reader`; an input the bank does not hold (or the reader may
    not read) is empty, and `missing` says which and why (how to publish it, or the gate's answer)."""
    missing: list[str] = []

    def get(read: Callable[..., T], empty: T) -> T:
        try:
            return read(session, reader=reader)
        except (NotFound, AccessDenied) as exc:
            missing.append(exc.message)
            return empty

    distances = get(country_distances, NO_DISTANCES)
    exports = get(exports_by_division, NO_EXPORTS)
    recent = get(icio_prior, None)
    prior = country_prior([s for s in (recent, sitc_prior(exports)) if s is not None])
    return MatchingInputs(distances=distances, exports=exports, related=get(related_headings, {}),
                          missing=tuple(missing), prior=prior)
