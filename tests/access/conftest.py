"""A small world for access tests: parties with their SCO status, organisations, users and tokens.

Reference data (countries, party statuses) normally comes from the reference area; rows missing from
the template bank are added here so these tests stand on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

# (iso3, status, since): a member, an observer and a dialogue partner besides the members used.
PARTIES = [("KAZ", "member", date(2001, 6, 15)), ("RUS", "member", date(2001, 6, 15)),
           ("CHN", "member", date(2001, 6, 15)), ("MNG", "observer", date(2004, 6, 17)),
           ("TUR", "partner", date(2012, 6, 7))]


def ensure_parties(session) -> None:
    from scobank.reference.models import Country, PartyStatus

    for iso3, status, since in PARTIES:
        if session.get(Country, iso3) is None:
            session.add(Country(iso3=iso3, names={"en": iso3}))
        session.flush()
        if not session.query(PartyStatus).filter_by(iso3=iso3).first():
            session.add(PartyStatus(iso3=iso3, status=status, valid_from=since, valid_to=None))
    session.flush()


def make_org(session, slug: str, party: str):
    from scobank.catalog.models import Organisation

    org = Organisation(slug=slug, party=party, names={"en": slug})
    session.add(org)
    session.flush()
    return org


def make_dataset(session, slug: str, org) -> int:
    from scobank.catalog.models import Dataset

    ds = Dataset(slug=slug, organisation_id=org.id, title={"en": slug})
    session.add(ds)
    session.flush()
    return ds.id


@dataclass
class World:
    """Users by nickname -> e-mail; tokens by nickname -> secret."""

    bank: object
    emails: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add_user(self, nick: str, org: str | None, role: str, *, password: str = "correct horse battery",
                 scope: str = "admin") -> str:
        from scobank.access import tokens, users

        email = f"{nick}@example.org"
        with self.bank.session() as s:
            user = users.create_user(s, email=email, organisation=org, role=role, password=password)
            self.tokens[nick] = tokens.create_token(s, user=user, scope=scope).token
        self.emails[nick] = email
        return email

    def headers(self, nick: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[nick]}"} if nick in self.tokens else {}


@pytest.fixture
def world(bank) -> World:
    """KAZ (member) with kz-stat, RUS (member) with ru-minprom, MNG (observer), TUR (partner), and
    users: kz steward/admin/editor/viewer, ru steward and viewer, mn and tr viewers, a platform admin."""
    with bank.session() as s:
        ensure_parties(s)
        make_org(s, "kz-stat", "KAZ")
        make_org(s, "ru-minprom", "RUS")
        make_org(s, "mn-nso", "MNG")
        make_org(s, "tr-tuik", "TUR")
    w = World(bank)
    for nick, org, role in [("kz_steward", "kz-stat", "steward"), ("kz_admin", "kz-stat", "admin"),
                            ("kz_editor", "kz-stat", "editor"), ("kz_viewer", "kz-stat", "viewer"),
                            ("ru_steward", "ru-minprom", "steward"), ("ru_viewer", "ru-minprom", "viewer"),
                            ("mn_viewer", "mn-nso", "viewer"), ("tr_viewer", "tr-tuik", "viewer"),
                            ("platform", None, "platform-admin")]:
        w.add_user(nick, org, role)
    return w


@pytest.fixture
def client(bank):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    with TestClient(create_app()) as c:
        yield c


CSV = "region,year,tonnes\nAkmola,2022,120\nAlmaty,2022,340\nAtyrau,2022,15\nAkmola,2023,130\nAlmaty,2023,360\n"


def publish(bank, tmp_path, slug: str, org: str, text: str = CSV) -> dict:
    """Publish `text` as a new version of `slug` (created when new) through `scobank ingest`."""
    import json

    path = tmp_path / f"{slug}.csv"
    path.write_text(text, encoding="utf-8")
    result = bank.cli("ingest", str(path), "--org", org, "--dataset", slug, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)
