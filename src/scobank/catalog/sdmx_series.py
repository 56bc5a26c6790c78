"""Observations grouped into series, as SDMX messages carry them when `dimensionAtObservation` is one
dimension (TIME_PERIOD by default): a series is keyed by every other dimension, and each of its
observations by the value of that one. AllDimensions means no series: every observation carries its
whole key.

The rows come sorted by the series' columns (`sort_columns`), so a series ends where its key changes;
with several measures (the MEASURE dimension), the series of one row's measures are gathered together."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from scobank.catalog.sdmx_structure import MEASURE, TIME, DataStructure
from scobank.errors import BadRequest

ALL_DIMENSIONS = "AllDimensions"


def component_ids(structure: DataStructure) -> list[str]:
    """The ids of an observation's key, in the DSD's order: the dimensions (MEASURE among them when
    there are several measures), then TIME_PERIOD."""
    ids = [d.id for d in structure.dimensions if d.column is not None]
    ids += [MEASURE] if len(structure.measures) > 1 else []
    return ids + ([TIME] if structure.time else [])


def observation_dimension(structure: DataStructure, asked: str | None) -> str:
    """`dimensionAtObservation`: TIME_PERIOD when there is one (else AllDimensions) unless asked."""
    if asked is None:
        return TIME if structure.time else ALL_DIMENSIONS
    ids = component_ids(structure)
    if asked != ALL_DIMENSIONS and asked not in ids:
        raise BadRequest(f"dimensionAtObservation {asked!r}: expected {ALL_DIMENSIONS} or one of {', '.join(ids)}")
    return asked


def sort_columns(structure: DataStructure, at: str) -> list[str]:
    """The columns to sort rows by so that each series is one run: the series' own, then `at`'s."""
    if at == ALL_DIMENSIONS:
        return []
    columns = {d.id: d.column for d in structure.key_columns if d.column is not None}
    return [c for i, c in columns.items() if i != at] + ([columns[at]] if at in columns else [])


@dataclass
class Series:
    key: list[tuple[str, str]]  # (dimension id, code) of every dimension but the observation's
    observations: list[tuple[str, object]] = field(default_factory=list)  # (the observation's code, obs)


def series_of(structure: DataStructure, observations: Iterable, at: str) -> Iterator[Series]:
    """The series of `observations` (sdmx_data.Observation, from rows sorted by `sort_columns`)."""
    ids = component_ids(structure)
    at_index = ids.index(at)
    measure_index = ids.index(MEASURE) if MEASURE in ids else -1
    run: tuple | None = None
    open_series: dict[tuple, Series] = {}
    for obs in observations:
        values = obs.key + ([obs.time] if structure.time else [])
        this_run = tuple(v for i, v in enumerate(values) if i not in (at_index, measure_index))
        if this_run != run:
            yield from open_series.values()
            open_series, run = {}, this_run
        key = tuple(v for i, v in enumerate(values) if i != at_index)
        series = open_series.get(key)
        if series is None:
            series = open_series[key] = Series([(ids[i], v) for i, v in enumerate(values) if i != at_index])
        series.observations.append((values[at_index], obs))
    yield from open_series.values()
