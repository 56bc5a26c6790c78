"""A listing's HS codes must exist in the reference HS 2022 nomenclature (`999999` is well formed but
names nothing): each code is looked up in the reference tables when a listing is saved."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.errors import NotInitialised, Problem, UnknownCode
from scobank.problem_kinds import Kind
from pydantic import BaseModel
from scobank.reference.texts import product_texts

REVISION = "HS22"


def codes_of(model: BaseModel) -> list[tuple[str, str]]:
    """(field path, code) of every HS code in a listing's details (a project's missing inputs too)."""
    found = [("details.hs_code", code)] if (code := getattr(model, "hs_code", None)) else []
    for i, item in enumerate(getattr(model, "missing", None) or []):
        if getattr(item, "hs_code", None):
            found.append((f"details.missing.{i}.hs_code", item.hs_code))
    return found


def known_codes(session: Session) -> frozenset[str]:
    """Every HS 2022 code (chapters, headings, subheadings), for checking many rows at once."""
    return frozenset(product_texts(session, REVISION))


def require_known_hs(session: Session, model: BaseModel) -> None:
    """Raise UnknownCode naming each field whose HS code is not in HS 2022 (NotInitialised when the
    bank holds no HS 2022 at all, so that nothing is accepted unchecked)."""
    problems = [Problem(Kind.BAD_HS_CODE, f"HS code {code!r} is not in the HS 2022 nomenclature", "listing",
                        column=path, value=code)
                for path, code in codes_of(model) if code not in product_texts(session, REVISION, prefix=code)]
    if not problems:
        return
    if not product_texts(session, REVISION, prefix="01"):
        raise NotInitialised("the HS 2022 nomenclature is not loaded in this bank; run `scobank init`")
    raise UnknownCode("; ".join(f"{p.column}: {p.message}" for p in problems), problems=problems)
