"""SCO parties: who was a member, observer or dialogue partner, and from when to when.

The history is data (table `party_statuses`), seeded once from PARTY_HISTORY below and editable by a
platform administrator (`scobank reference party-set`). A period is [valid_from, valid_to): valid_to is
the first day the status no longer holds (None = still holds).

Sources of the seed dates (summit decisions; sco.int "About SCO" / "SCO history" pages, the summits'
declarations, and the Wikipedia article "Shanghai Cooperation Organisation" as cross-check):
- Shanghai summit, 2001-06-15: founding members CHN RUS KAZ KGZ TJK UZB.
- Tashkent summit, 2004-06-17: Mongolia observer.
- Astana summit, 2005-07-05: India, Pakistan, Iran observers.
- Yekaterinburg summit, 2009-06-16: Sri Lanka and Belarus dialogue partners.
- Beijing summit, 2012-06-07: Afghanistan observer, Turkey dialogue partner.
- Ufa summit, 2015-07-10: Belarus observer; Armenia, Azerbaijan, Cambodia, Nepal dialogue partners.
- Astana summit, 2017-06-09: India and Pakistan members.
- Dushanbe summit, 2021-09-17: Egypt, Qatar, Saudi Arabia dialogue partners (memoranda signed 2022-23;
  we date the status from the decision).
- Samarkand summit, 2022-09-16: Kuwait, Maldives, Myanmar, UAE, Bahrain dialogue partners.
- New Delhi (virtual) summit, 2023-07-04: Iran member.
- Astana summit, 2024-07-04: Belarus member.
- Tianjin summit, 2025-09-01: Laos partner (the summit also merged observers and dialogue partners into
  one "SCO partner" category; we keep the historical categories, with "partner" for dialogue partners).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.errors import BadRequest, NotFound
from scobank.reference.models import Country, PartyStatus

STATUSES = ("member", "observer", "partner")

_FOUNDING = date(2001, 6, 15)
_ASTANA_2005 = date(2005, 7, 5)
_YEKATERINBURG_2009 = date(2009, 6, 16)
_BEIJING_2012 = date(2012, 6, 7)
_UFA_2015 = date(2015, 7, 10)
_ASTANA_2017 = date(2017, 6, 9)
_DUSHANBE_2021 = date(2021, 9, 17)
_SAMARKAND_2022 = date(2022, 9, 16)
_DELHI_2023 = date(2023, 7, 4)
_ASTANA_2024 = date(2024, 7, 4)
_TIANJIN_2025 = date(2025, 9, 1)

# (iso3, status, valid_from, valid_to, source)
PARTY_HISTORY: tuple[tuple[str, str, date, date | None, str], ...] = (
    *((iso3, "member", _FOUNDING, None, "Shanghai summit 2001") for iso3 in ("CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB")),
    ("MNG", "observer", date(2004, 6, 17), None, "Tashkent summit 2004"),
    ("IND", "observer", _ASTANA_2005, _ASTANA_2017, "Astana summit 2005"),
    ("PAK", "observer", _ASTANA_2005, _ASTANA_2017, "Astana summit 2005"),
    ("IND", "member", _ASTANA_2017, None, "Astana summit 2017"),
    ("PAK", "member", _ASTANA_2017, None, "Astana summit 2017"),
    ("IRN", "observer", _ASTANA_2005, _DELHI_2023, "Astana summit 2005"),
    ("IRN", "member", _DELHI_2023, None, "New Delhi summit 2023"),
    ("BLR", "partner", _YEKATERINBURG_2009, _UFA_2015, "Yekaterinburg summit 2009"),
    ("BLR", "observer", _UFA_2015, _ASTANA_2024, "Ufa summit 2015"),
    ("BLR", "member", _ASTANA_2024, None, "Astana summit 2024"),
    ("AFG", "observer", _BEIJING_2012, None, "Beijing summit 2012"),
    ("LKA", "partner", _YEKATERINBURG_2009, None, "Yekaterinburg summit 2009"),
    ("TUR", "partner", _BEIJING_2012, None, "Beijing summit 2012"),
    *((iso3, "partner", _UFA_2015, None, "Ufa summit 2015") for iso3 in ("ARM", "AZE", "KHM", "NPL")),
    *((iso3, "partner", _DUSHANBE_2021, None, "Dushanbe summit 2021") for iso3 in ("EGY", "QAT", "SAU")),
    *((iso3, "partner", _SAMARKAND_2022, None, "Samarkand summit 2022")
      for iso3 in ("KWT", "MDV", "MMR", "ARE", "BHR")),
    ("LAO", "partner", _TIANJIN_2025, None, "Tianjin summit 2025"),
)


def seed_parties(session: Session) -> int:
    """Write PARTY_HISTORY when the table is empty (an edited history is never overwritten)."""
    if session.scalar(select(func.count()).select_from(PartyStatus)):
        return 0
    session.add_all(PartyStatus(iso3=i, status=s, valid_from=f, valid_to=t, source=src)
                    for i, s, f, t, src in PARTY_HISTORY)
    session.flush()
    return len(PARTY_HISTORY)


def statuses_on(session: Session, on: date) -> dict[str, str]:
    """iso3 -> member | observer | partner for every party on day `on`."""
    rows = session.execute(
        select(PartyStatus.iso3, PartyStatus.status)
        .where(PartyStatus.valid_from <= on)
        .where((PartyStatus.valid_to.is_(None)) | (PartyStatus.valid_to > on))
        .order_by(PartyStatus.iso3)
    )
    return {iso3: status for iso3, status in rows}


def set_status(session: Session, *, iso3: str, status: str, valid_from: date,
               valid_to: date | None = None, source: str = "edited by an administrator") -> PartyStatus:
    """Give `iso3` `status` over [valid_from, valid_to), trimming the periods it overlaps (the caller
    has checked that it may; `scobank.stewardship.parties` records the change in the ledger).

    Raises BadRequest for an unknown status or an empty period, NotFound for an unknown country.
    """
    if status not in STATUSES:
        raise BadRequest(f"unknown party status {status!r}; expected one of {', '.join(STATUSES)}")
    if valid_to is not None and valid_to <= valid_from:
        raise BadRequest(f"the period {valid_from}..{valid_to} is empty: --to must come after --from")
    if session.get(Country, iso3) is None:
        raise NotFound(f"no country with ISO3 code {iso3!r}")
    end = valid_to or date.max
    for period in session.scalars(select(PartyStatus).where(PartyStatus.iso3 == iso3)).all():
        p_end = period.valid_to or date.max
        if p_end <= valid_from or period.valid_from >= end:
            continue  # no overlap
        if period.valid_from < valid_from and p_end > end:  # the new period splits an old one
            session.add(PartyStatus(iso3=iso3, status=period.status, valid_from=end,
                                    valid_to=period.valid_to, source=period.source))
            period.valid_to = valid_from
        elif period.valid_from < valid_from:
            period.valid_to = valid_from
        elif p_end > end:
            period.valid_from = end
        else:
            session.delete(period)
    new = PartyStatus(iso3=iso3, status=status, valid_from=valid_from, valid_to=valid_to, source=source)
    session.add(new)
    session.flush()
    return new


def history(session: Session, iso3: str | None = None) -> list[PartyStatus]:
    """All periods (of one country when `iso3` is given), ordered by country and start."""
    stmt = select(PartyStatus).order_by(PartyStatus.iso3, PartyStatus.valid_from)
    if iso3:
        stmt = stmt.where(PartyStatus.iso3 == iso3)
    return list(session.scalars(stmt))


def last_day_of(year: int) -> date:
    return date(year + 1, 1, 1) - timedelta(days=1)
