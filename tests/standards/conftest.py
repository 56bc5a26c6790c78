"""The bank as other tools see it: a real uvicorn server on a free 127.0.0.1 port, over a bank with two
organisations, a public dataset described in three languages, an owner-only one, and read tokens for a
steward of the publisher and for an analyst of another member. The standards' own clients (ckanapi,
frictionless, ...) talk to it over HTTP."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.live_server import live_server

REPO = Path(__file__).resolve().parents[2]
INDUSTRY_CSV = """region,year,output_mln_tenge,enterprises
Абай,2022,1234.5,120
Акмола,2022,2500.25,310
Алматы,2022,9100.0,870
Абай,2023,1300.0,125
"""
METADATA = {
    "title": {"en": "Industrial output by region", "ru": "Объём промышленного производства по регионам",
              "zh": "各地区工业产值"},
    "description": {"en": "Output of industry in million tenge, by region and year.",
                    "ru": "Объём продукции промышленности, млн тенге, по регионам и годам.",
                    "zh": "按地区和年份划分的工业产值（百万坚戈）。"},
    "keywords": {"en": ["industry", "output"], "ru": ["промышленность"], "zh": ["工业"]},
    "license": "CC-BY-4.0", "themes": ["industry"],
}


@dataclass
class LiveBank:
    url: str
    home: Path
    tokens: dict[str, str]  # "steward" (kz-stat) and "analyst" (ru-minprom)


def _ok(result) -> None:
    assert result.exit_code == 0, result.stderr


def _populate(bank, tmp: Path) -> dict[str, str]:
    table = tmp / "industry.csv"
    table.write_text(INDUSTRY_CSV, encoding="utf-8")
    _ok(bank.cli("orgs", "create", "kz-stat", "--party", "KAZ", "--name", "Bureau of National Statistics",
                 "--name-ru", "Бюро национальной статистики"))
    _ok(bank.cli("orgs", "create", "ru-minprom", "--party", "RUS", "--name", "Ministry of Industry"))
    for slug, audience in (("kz-industry", "public"), ("kz-secret", "owner")):
        _ok(bank.cli("ingest", str(table), "--org", "kz-stat", "--dataset", slug, "--title", f"{slug} table"))
        _ok(bank.cli("policy", "set", slug, "--audience", audience))
    tokens = {}
    for who, email, org, role in (("steward", "steward@stat.kz", "kz-stat", "steward"),
                                  ("analyst", "analyst@minprom.ru", "ru-minprom", "viewer")):
        _ok(bank.cli("users", "create", email, "--org", org, "--role", role, "--password-stdin",
                     input="a long enough password\n"))
        made = bank.cli("tokens", "create", email, "--scope", "write" if role == "steward" else "read", "--json")
        _ok(made)
        tokens[who] = json.loads(made.stdout)["token"]
    return tokens


@pytest.fixture
def populated(bank, tmp_path: Path) -> dict[str, str]:
    """The same bank without a server (in-process tests); the read tokens by role."""
    return _populate(bank, tmp_path)


@pytest.fixture
def live(bank, tmp_path: Path) -> Iterator[LiveBank]:
    tokens = _populate(bank, tmp_path)
    env = {**os.environ, "SCOBANK_HOME": str(bank.home), "SCOBANK_DATABASE_URL": bank.url,
           "PYTHONPATH": str(REPO / "src"), "SCOBANK_PASSWORD_HASHING": "fast"}
    with live_server(env) as url:
        answer = httpx.patch(f"{url}/api/v1/datasets/kz-industry", json=METADATA,
                             headers={"Authorization": f"Bearer {tokens['steward']}"})
        assert answer.status_code == 200, answer.text
        yield LiveBank(url=url, home=bank.home, tokens=tokens)
