"""The one publishing service and the one upload spooler: a new dataset, its policy and its version
stand or fall together; the API takes a declared schema and read overrides with the upload; uploads
that nobody finished, or whose process crashed, are removed."""

from __future__ import annotations

import io
import json
import os
import time

import pytest

from tests.catalog.test_declared_schemas import ATLAS, SCHEMA


def test_a_refused_policy_leaves_no_dataset_and_no_ledger_entry(bank, data_dir):
    from scobank.access.reader import OPERATOR
    from scobank.catalog.publish import publish_version
    from scobank.catalog.schemas import DatasetCreate
    from scobank.errors import BadRequest

    assert bank.cli("orgs", "create", "growth-lab", "--party", "USA", "--name", "Harvard Growth Lab").exit_code == 0
    new = DatasetCreate(slug="eci", organisation="growth-lab", title={"en": "ECI"})
    with bank.session() as session:
        with pytest.raises(BadRequest):
            publish_version(session, dataset="eci", source=data_dir / ATLAS, actor=OPERATOR, new_dataset=new,
                            policy={"audience": "everybody-on-earth"})
        # the caller's transaction goes on: the same session publishes with a valid policy
        result = publish_version(session, dataset="eci", source=data_dir / ATLAS, actor=OPERATOR,
                                 new_dataset=new, policy={"audience": "public"})
        assert result.version.number == 1
    ledger = json.loads(bank.cli("ledger", "show", "--dataset", "eci", "--json").stdout)
    assert sorted(e["action"] for e in ledger) == ["create-dataset", "policy-set", "publish"]
    assert json.loads(bank.cli("policy", "show", "eci", "--json").stdout)["policy"]["audience"] == "public"


def test_the_api_takes_a_schema_part_and_read_overrides(client, bank, data_dir, tmp_path):
    assert bank.cli("orgs", "create", "growth-lab", "--party", "USA", "--name", "Harvard Growth Lab").exit_code == 0
    body = {"slug": "eci", "organisation": "growth-lab", "title": {"en": "ECI"}}
    assert client.post("/api/v1/datasets", json=body).status_code == 201
    semicolons = tmp_path / "atlas_semicolons.csv"
    semicolons.write_text((data_dir / ATLAS).read_text().replace(",", ";"))
    answer = client.post("/api/v1/datasets/eci/versions",
                         files={"file": (semicolons.name, semicolons.read_bytes(), "text/csv"),
                                "schema": ("schema.json", json.dumps(SCHEMA).encode(), "application/json")},
                         data={"delimiter": "semicolon", "encoding": "utf-8"})
    assert answer.status_code == 201, answer.text
    version = answer.json()["version"]
    assert version["row_count"] == 1885 and version["table_schema"]["primaryKey"] == ["iso3_code", "year"]
    assert client.get("/api/v1/datasets/eci").json()["declared_schema"]["primaryKey"] == ["iso3_code", "year"]
    other = dict(SCHEMA, primaryKey=["iso3_code"])
    refused = client.post("/api/v1/datasets/eci/versions",
                          files={"file": (ATLAS.rsplit("/", 1)[1], (data_dir / ATLAS).read_bytes(), "text/csv"),
                                 "schema": ("schema.json", json.dumps(other).encode(), "application/json")})
    assert refused.status_code == 409
    assert "primaryKey: ['iso3_code', 'year'] -> ['iso3_code']" in refused.json()["message"]
    bad_option = client.post("/api/v1/datasets/eci/versions", data={"encoding": "klingon"},
                             files={"file": ("a.csv", b"year,iso3_code\n2020,KAZ\n", "text/csv")})
    assert bad_option.status_code == 400 and "encoding 'klingon'" in bad_option.json()["message"]
    assert not any((bank.home / "staging" / "uploads").iterdir())  # spooled uploads are gone


def test_abandoned_uploads_are_removed_and_waiting_ones_expire(bank):
    from scobank.catalog import uploads

    waiting = uploads.keep_upload(io.BytesIO(b"year\n2020\n"), filename="kz.csv")
    fresh = uploads.keep_upload(io.BytesIO(b"year\n2021\n"), filename="ru.csv")
    old = time.time() - 2 * uploads.UPLOAD_TTL
    os.utime(uploads.upload_path(waiting).parent, (old, old))
    crashed = uploads.uploads_dir() / ".999999-0123abcd-upload.partial"  # a process that no longer runs
    crashed.mkdir()
    (crashed / "half.csv").write_text("year,value\n2020,")
    result = bank.cli("lake", "gc")
    assert result.exit_code == 0, result.stderr
    assert "2 abandoned uploads removed" in result.stderr
    assert not crashed.exists()
    with pytest.raises(Exception, match="no longer waiting"):
        uploads.upload_path(waiting)
    assert uploads.upload_path(fresh).name == "ru.csv"
