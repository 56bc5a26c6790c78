"""Every published version is signed by its party; anyone can check a file against the signature."""

from __future__ import annotations

import json
import stat

from scobank.access import signatures
from scobank.lake.store import path_for

from .conftest import publish


def _signature(client, world, slug: str) -> dict:
    answer = client.get(f"/api/v1/datasets/{slug}/signature", headers=world.headers("kz_viewer"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_published_version_is_signed_by_its_party_and_the_file_verifies(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    body = _signature(client, world, "kz-steel")
    [v1] = body["versions"]
    assert (body["algorithm"], v1["number"], v1["party"]) == ("Ed25519", 1, "KAZ")
    parquet = path_for(v1["content_hash"])
    sig_file = tmp_path / "kz-steel.sig.json"
    sig_file.write_text(json.dumps(body))
    ok = bank.cli("verify", str(parquet), "--signature", str(sig_file))
    assert ok.exit_code == 0 and "signature valid" in ok.stdout
    by_hand = bank.cli("verify", str(parquet), "--signature", v1["signature"], "--public-key", v1["public_key"])
    assert by_hand.exit_code == 0


def test_a_changed_file_or_another_partys_key_fails_verification(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    publish(bank, tmp_path, "ru-steel", "ru-minprom", "a,b\n1,2\n")
    kz = _signature(client, world, "kz-steel")["versions"][0]
    ru_key = client.get("/api/v1/datasets/ru-steel/signature", headers=world.headers("ru_viewer")).json()
    copy = tmp_path / "copy.parquet"
    copy.write_bytes(path_for(kz["content_hash"]).read_bytes() + b"\x00")
    tampered = bank.cli("verify", str(copy), "--signature", kz["signature"], "--public-key", kz["public_key"])
    assert tampered.exit_code == 15 and "does NOT match" in tampered.stderr
    assert not signatures.verify_bytes_hash(content_hash=kz["content_hash"], signature_hex=kz["signature"],
                                            public_key_hex=ru_key["versions"][0]["public_key"])


def test_private_keys_are_owner_only_files_and_encrypted(bank, world, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    key_file = bank.home / "keys" / "KAZ.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert b"ENCRYPTED PRIVATE KEY" in key_file.read_bytes()


def test_each_version_gets_its_own_signature_with_the_same_party_key(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    publish(bank, tmp_path, "kz-steel", "kz-stat", "region,year,tonnes\nAkmola,2024,140\n")
    versions = _signature(client, world, "kz-steel")["versions"]
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["public_key"] == versions[1]["public_key"]
    assert versions[0]["signature"] != versions[1]["signature"]
    one = client.get("/api/v1/datasets/kz-steel/signature?version=2", headers=world.headers("kz_viewer")).json()
    assert [v["number"] for v in one["versions"]] == [2]


def test_the_signature_of_a_hidden_dataset_is_not_found(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-steel", "kz-stat")
    assert bank.cli("policy", "set", "kz-steel", "--audience", "owner").exit_code == 0
    assert client.get("/api/v1/datasets/kz-steel/signature", headers=world.headers("ru_steward")).status_code == 404
    assert client.get("/api/v1/datasets/kz-steel/signature").status_code == 404
