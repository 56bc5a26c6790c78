"""Missing-value markers that statistical offices print in place of a number, and what each means.

A marker reads as a missing value (never as text that widens the column), and the marker itself is
kept in an observation-status column beside the value (`<column>_status`, like SDMX OBS_STATUS), so
nothing is lost: "x" (confidential) stays distinguishable from "-" (nothing to report) and "…" (not
available). A schema's `missingValues` and `--na` add markers, read as "missing".

Conventions (UN/Rosstat/NBS usage): "-" the phenomenon does not occur (not applicable); "…", "...",
".." data not available (missing); "x" suppressed (confidential); "н/д", "n/a", "NA" no data
(missing); "空" empty (missing), "无" none (not applicable).
"""

from __future__ import annotations

MISSING = "missing"
CONFIDENTIAL = "confidential"
NOT_APPLICABLE = "not applicable"

MARKERS: dict[str, str] = {
    "-": NOT_APPLICABLE,
    "–": NOT_APPLICABLE,
    "—": NOT_APPLICABLE,
    "…": MISSING,
    "...": MISSING,
    "..": MISSING,
    "x": CONFIDENTIAL,
    "X": CONFIDENTIAL,
    "х": CONFIDENTIAL,  # the Cyrillic letter, as Rosstat types it
    "Х": CONFIDENTIAL,
    "н/д": MISSING,
    "n/a": MISSING,
    "N/A": MISSING,
    "NA": MISSING,
    "空": MISSING,
    "无": NOT_APPLICABLE,
}


def markers_for(extra: tuple[str, ...] | list[str] = ()) -> dict[str, str]:
    """The standard markers plus `extra` (from --na or a schema's missingValues) as "missing"."""
    out = dict(MARKERS)
    for marker in extra:
        if marker.strip():
            out.setdefault(marker.strip(), MISSING)
    return out


def is_marker(text: str, markers: dict[str, str] = MARKERS) -> bool:
    return text.strip() in markers
