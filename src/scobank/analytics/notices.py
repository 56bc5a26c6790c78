"""What a result says when it cannot answer: a code a page translates, a sentence for the API reader, and
the datasets that can answer (honest emptiness: never a table of silent zeros)."""

from __future__ import annotations

from collections.abc import Iterable


def notice(code: str, message: str, *, datasets: Iterable[str] = ()) -> dict:
    """One notice of a result's `parameters["notices"]`."""
    return {"code": code, "message": message, "datasets": list(datasets)}


def no_member_exporters(dataset: str, exporters: list[str], members: list[str], *,
                        elsewhere: Iterable[str]) -> dict | None:
    """The notice for a bilateral dataset in which no bloc member exports (None when one does)."""
    if set(exporters) & set(members):
        return None
    shown = ", ".join(exporters[:12]) + ("..." if len(exporters) > 12 else "")
    return notice("no-member-exporters",
                  f"no bloc member exports in {dataset!r} (its exporters: {shown}): no member can be "
                  "named as a supplier, so every supplied or allocated value here is 0 by construction",
                  datasets=[d for d in elsewhere if d != dataset])


def no_rows(what: str, dataset: str, reason: str, *, elsewhere: Iterable[str] = ()) -> dict:
    """The notice for an empty answer, with its reason."""
    return notice("no-rows", f"{what}: nothing in {dataset!r}: {reason}",
                  datasets=[d for d in elsewhere if d != dataset])
