"""Organisations and dataset metadata, from the CLI and the REST API."""

from __future__ import annotations

import json

STEEL = {
    "slug": "kz-steel-output",
    "organisation": "kz-stat",
    "title": {"en": "Steel output by region", "ru": "Производство стали по регионам", "zh": "各地区钢铁产量"},
    "description": {"en": "Monthly rolled steel output.", "ru": "Ежемесячный выпуск проката."},
    "keywords": {"en": ["steel", "metallurgy"], "ru": ["сталь", "прокат"], "zh": ["钢铁"]},
    "themes": ["industry"],
    "license": "CC-BY-4.0",
    "temporal_start": 2015,
    "temporal_end": 2023,
    "spatial": ["KAZ"],
    "classification": "HS17",
    "contact": "data@stat.gov.kz",
    "update_frequency": "monthly",
}


def test_an_organisation_belongs_to_a_party(bank, kz_stat):
    result = bank.cli("orgs", "list", "--json")
    assert result.exit_code == 0, result.stderr
    orgs = {o["slug"]: o for o in json.loads(result.stdout)}
    assert orgs["kz-stat"]["party"] == "KAZ"
    assert orgs["kz-stat"]["names"] == {"en": "Bureau of National Statistics", "ru": "Бюро национальной статистики"}


def test_an_organisation_of_an_unknown_party_is_refused(bank):
    result = bank.cli("orgs", "create", "atlantis-stat", "--party", "ATL", "--name", "Atlantis")
    assert result.exit_code == 3
    assert "party 'ATL' is not a known country" in result.stderr
    twice = [bank.cli("orgs", "create", "cn-nbs", "--party", "CHN", "--name", "NBS") for _ in range(2)]
    assert twice[0].exit_code == 0 and twice[1].exit_code == 7
    assert "organisation 'cn-nbs' already exists" in twice[1].stderr


def test_a_dataset_is_described_in_every_language(client, kz_stat):
    created = client.post("/api/v1/datasets", json=STEEL)
    assert created.status_code == 201, created.text
    body = client.get("/api/v1/datasets/kz-steel-output").json()
    assert body["title"]["zh"] == "各地区钢铁产量"
    assert body["keywords"]["ru"] == ["сталь", "прокат"]
    assert (body["organisation"], body["party"], body["kind"]) == ("kz-stat", "KAZ", "table")
    assert (body["latest_version"], body["version_count"]) == (None, 0)
    listed = client.get("/api/v1/datasets", params={"party": "KAZ"}).json()
    assert [d["slug"] for d in listed] == ["kz-steel-output"]
    assert client.get("/api/v1/datasets", params={"party": "CHN"}).json() == []


def test_metadata_changes_only_what_is_given(client, kz_stat):
    client.post("/api/v1/datasets", json=STEEL)
    changed = client.patch("/api/v1/datasets/kz-steel-output",
                           json={"title": {"en": "Steel output", "ru": "Выпуск стали"}, "temporal_end": 2024})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["title"] == {"en": "Steel output", "ru": "Выпуск стали"}
    assert body["temporal_end"] == 2024 and body["temporal_start"] == 2015
    assert body["description"]["en"] == "Monthly rolled steel output."


def test_the_cli_shows_what_the_api_shows(bank, client, kz_stat):
    client.post("/api/v1/datasets", json=STEEL)
    shown = bank.cli("datasets", "show", "kz-steel-output", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout) == client.get("/api/v1/datasets/kz-steel-output").json()
    listed = bank.cli("datasets", "list", "--json")
    assert [d["slug"] for d in json.loads(listed.stdout)] == ["kz-steel-output"]


def test_bad_metadata_and_unknown_datasets_get_clear_errors(client, kz_stat):
    bad_language = client.post("/api/v1/datasets", json={**STEEL, "title": {"english": "Steel"}})
    assert bad_language.status_code == 422 and "is not a language code" in bad_language.text
    unknown_org = client.post("/api/v1/datasets", json={**STEEL, "organisation": "nobody"})
    assert unknown_org.status_code == 404
    assert unknown_org.json() == {"ok": False, "code": "not-found",
                                  "message": "organisation 'nobody' does not exist", "problems": []}
    client.post("/api/v1/datasets", json=STEEL)
    assert client.post("/api/v1/datasets", json=STEEL).json()["code"] == "conflict"
    missing = client.get("/api/v1/datasets/no-such-thing")
    assert missing.status_code == 404 and missing.json()["message"] == "no dataset 'no-such-thing'"
    assert client.patch("/api/v1/datasets/kz-steel-output", json={"owner": "me"}).status_code == 422


def test_a_new_title_is_found_by_catalog_search_at_once(client, kz_stat):
    client.post("/api/v1/datasets", json=STEEL)
    client.patch("/api/v1/datasets/kz-steel-output", json={"title": {"en": "Ferroalloy output", "zh": "铁合金产量"}})
    found = client.get("/api/v1/search", params={"q": "铁合金"}).json()
    assert [d["slug"] for d in found["items"]] == ["kz-steel-output"]
    assert client.get("/api/v1/search", params={"q": "各地区"}).json()["total"] == 0  # the old title is gone


def test_the_list_pages_by_slug_with_version_counts(client, kz_stat):
    for slug in ("c-data", "a-data", "b-data"):
        assert client.post("/api/v1/datasets", json={**STEEL, "slug": slug}).status_code == 201
    page = client.get("/api/v1/datasets", params={"limit": 2}).json()
    assert [(d["slug"], d["version_count"], d["latest_version"]) for d in page] == [("a-data", 0, None),
                                                                                    ("b-data", 0, None)]
    rest = client.get("/api/v1/datasets", params={"limit": 2, "offset": 2}).json()
    assert [d["slug"] for d in rest] == ["c-data"] and rest[0]["organisation"] == "kz-stat"
