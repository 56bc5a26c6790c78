"""A steward withdraws a wrong version and rolls back to older content, from the command line and the
API; readers see the withdrawn version marked (versions, dataset page, DCAT) and get the newest good
version by default; the ledger records both. On the Growth Lab's real ECI table (1,885 rows), whose
second version has Kazakhstan's 2021 ECI typed wrong."""

from __future__ import annotations

import json

import pytest

from tests.catalog.test_declared_schemas import ATLAS, _edited

KAZ_2021 = "2021,KAZ,"


@pytest.fixture
def two_versions(bank, data_dir, tmp_path):
    assert bank.cli("orgs", "create", "growth-lab", "--party", "USA", "--name", "Harvard Growth Lab").exit_code == 0
    wrong = _edited(data_dir / ATLAS, tmp_path / "atlas_wrong.csv", {KAZ_2021: "2021,KAZ,4.4668004,3.21"})
    for path in (data_dir / ATLAS, wrong):
        result = bank.cli("ingest", str(path), "--org", "growth-lab", "--dataset", "eci")
        assert result.exit_code == 0, result.stderr
    return data_dir / ATLAS


def _kaz_2021(bank, *version: str) -> float:
    out = bank.cli("query", "eci", "--filter", "iso3_code:eq:KAZ", "--filter", "year:eq:2021", "--json", *version)
    assert out.exit_code == 0, out.stderr
    return json.loads(out.stdout)["rows"][0]["eci"]


def test_a_withdrawn_version_is_marked_and_the_newest_good_one_serves(bank, two_versions):
    assert _kaz_2021(bank) == 4.4668004
    result = bank.cli("datasets", "withdraw", "eci", "2", "--reason", "KAZ 2021 ECI mistyped (4.47 for -0.45)")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "eci: version 2 withdrawn (KAZ 2021 ECI mistyped (4.47 for -0.45))"
    assert _kaz_2021(bank) == -0.44668004  # the default read is version 1 again
    assert _kaz_2021(bank, "--version", "2") == 4.4668004  # still there, by its number, for the record
    shown = json.loads(bank.cli("datasets", "show", "eci", "--json").stdout)
    assert (shown["latest_version"], shown["version_count"]) == (1, 2)
    listed = json.loads(bank.cli("datasets", "versions", "eci", "--json").stdout)
    assert [(v["number"], v["withdrawn"], v["withdrawal_reason"]) for v in listed] == [
        (1, False, None), (2, True, "KAZ 2021 ECI mistyped (4.47 for -0.45)")]
    again = bank.cli("datasets", "withdraw", "eci", "2", "--reason", "twice")
    assert again.exit_code == 7 and "already withdrawn" in again.stderr
    no_reason = bank.cli("datasets", "withdraw", "eci", "1", "--reason", " ")
    assert no_reason.exit_code == 2 and "say why" in no_reason.stderr
    ledger = json.loads(bank.cli("ledger", "show", "--dataset", "eci", "--json").stdout)
    withdrawal = next(e for e in ledger if e["action"] == "withdraw")
    assert withdrawal["detail"]["reason"] == "KAZ 2021 ECI mistyped (4.47 for -0.45)"
    assert bank.cli("ledger", "verify").exit_code == 0
    signature = json.loads(bank.cli("signature", "eci").stdout)
    assert [v["number"] for v in signature["versions"]] == [1, 2]  # the withdrawn bytes stay signed


def test_older_content_becomes_the_newest_version_with_as_new(bank, two_versions):
    same = bank.cli("ingest", str(two_versions), "--org", "growth-lab", "--dataset", "eci")
    assert same.exit_code == 0
    assert same.stdout.splitlines()[0].startswith("eci: identical content: existing version 1,")
    assert "version 2 is the newest; publish with --as-new" in same.stdout
    rolled = bank.cli("ingest", str(two_versions), "--org", "growth-lab", "--dataset", "eci", "--as-new", "--json")
    assert rolled.exit_code == 0, rolled.stderr
    version = json.loads(rolled.stdout)["version"]
    assert (version["number"], version["republished_from"]) == (3, 1)
    assert _kaz_2021(bank) == -0.44668004
    back = bank.cli("datasets", "republish", "eci", "2", "--reason", "the correction was itself wrong")
    assert back.exit_code == 0, back.stderr
    assert back.stdout.startswith("eci: new version 4 with the content of version 2, 1,885 rows")
    assert _kaz_2021(bank) == 4.4668004
    ledger = json.loads(bank.cli("ledger", "show", "--dataset", "eci", "--json").stdout)
    published = sorted((e["seq"], e["detail"].get("republished_from")) for e in ledger
                       if e["action"] in ("publish", "republish"))
    assert [origin for _, origin in published] == [None, None, 1, 2]


def test_the_api_withdraws_and_republishes_and_dcat_and_the_page_show_it(bank, two_versions, client):
    answer = client.post("/api/v1/datasets/eci/versions/2/withdraw", json={"reason": "KAZ 2021 ECI mistyped"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["withdrawn"] is True
    assert client.get("/api/v1/datasets/eci").json()["latest_version"] == 1
    catalog = client.get("/api/v1/catalog.jsonld").json()
    entry = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "eci")
    assert entry["dcat:version"] == "1"
    statuses = {v["dcat:version"]: (v["adms:status"]["@id"].rsplit("/", 1)[1],
                                    v.get("adms:versionNotes", {}).get("@value")) for v in entry["dcat:hasVersion"]}
    assert statuses["2"][0] == "WITHDRAWN" and statuses["2"][1].endswith("KAZ 2021 ECI mistyped")
    assert statuses["1"] == ("COMPLETED", None)
    republished = client.post("/api/v1/datasets/eci/versions/1/republish", json={})
    assert republished.status_code == 201 and republished.json()["republished_from"] == 1
    assert bank.cli("policy", "set", "eci", "--audience", "public").exit_code == 0
    page = client.get("/datasets/eci?version=2")
    assert page.status_code == 200
    assert "This version was withdrawn on" in page.text and "KAZ 2021 ECI mistyped" in page.text
    assert "the content of version 1, published again" in client.get("/datasets/eci").text
