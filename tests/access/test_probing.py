"""Existence oracles and probing (issue 17, item 10): a hidden slug is not confirmed on create,
refused attempts reach the ledger, and owners see what was asked of their data."""

from __future__ import annotations

from tests.access.conftest import publish


def _hidden(bank, tmp_path, slug="kz-secret"):
    publish(bank, tmp_path, slug, "kz-stat")
    assert bank.cli("policy", "set", slug, "--audience", "owner").exit_code == 0


def _owner_view(client, world, slug="kz-secret"):
    answer = client.get("/api/v1/ledger", params={"dataset": slug}, headers=world.headers("kz_steward"))
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]


def test_creating_a_dataset_with_a_hidden_slug_does_not_confirm_it_exists(bank, world, client, tmp_path):
    _hidden(bank, tmp_path)
    body = {"slug": "kz-secret", "organisation": "ru-minprom", "title": {"en": "mine"}}
    taken = client.post("/api/v1/datasets", json=body, headers=world.headers("ru_steward"))
    free = client.post("/api/v1/datasets", json={**body, "organisation": "kz-stat"}, headers=world.headers("kz_steward"))
    assert taken.status_code == 409 and "already exists" not in taken.text
    assert taken.json()["message"] == free.json()["message"] == "the dataset name 'kz-secret' is not available; choose another"
    probes = [e for e in _owner_view(client, world) if e["action"] == "refused"]
    assert [(e["actor"], e["detail"]["asked"]) for e in probes] == [(world.emails["ru_steward"], "create-dataset")]


def test_refused_reads_are_recorded_for_the_owner_with_actor_and_reason(bank, world, client, tmp_path):
    _hidden(bank, tmp_path)
    for path in ("/api/v1/datasets/kz-secret", "/api/v1/datasets/kz-secret/rows",
                 "/api/v1/datasets/kz-secret/export?format=csv"):
        assert client.get(path, headers=world.headers("ru_viewer")).status_code == 404
    assert bank.cli("--as", world.emails["mn_viewer"], "query", "kz-secret").exit_code == 3
    refused = [(e["actor"], e["detail"]["asked"], e["detail"]["status"], e["detail"]["reason"])
               for e in _owner_view(client, world) if e["action"] == "refused"]
    ru, mn = world.emails["ru_viewer"], world.emails["mn_viewer"]
    assert sorted(refused) == sorted([
        (ru, "metadata", 404, "no dataset 'kz-secret'"), (ru, "query", 404, "no dataset 'kz-secret'"),
        (ru, "export", 404, "no dataset 'kz-secret'"), (mn, "query", 404, "no dataset 'kz-secret'")])


def test_a_refused_purpose_is_recorded_with_the_purpose_stated(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-research", "kz-stat")
    assert bank.cli("policy", "set", "kz-research", "--audience", "members", "--purposes", "research").exit_code == 0
    answer = client.get("/api/v1/datasets/kz-research/rows",
                        headers={**world.headers("ru_viewer"), "X-Purpose": "commercial"})
    assert answer.status_code == 403
    [entry] = [e for e in _owner_view(client, world, "kz-research") if e["action"] == "refused"]
    assert (entry["actor"], entry["purpose"], entry["detail"]["status"]) == (world.emails["ru_viewer"], "commercial", 403)
    assert "not for commercial" in entry["detail"]["reason"]


def test_owners_see_the_query_that_was_asked_of_their_data(bank, world, client, tmp_path):
    publish(bank, tmp_path, "kz-open", "kz-stat")
    assert bank.cli("policy", "set", "kz-open", "--audience", "members").exit_code == 0
    answer = client.get("/api/v1/datasets/kz-open/rows", headers=world.headers("ru_viewer"),
                        params={"filter": "region:eq:Akmola", "group_by": "year", "agg": "tonnes:sum"})
    assert answer.status_code == 200, answer.text
    [entry] = [e for e in _owner_view(client, world, "kz-open") if e["action"] == "query"]
    query = entry["detail"]["query"]
    assert query["filters"] == [{"column": "region", "op": "eq", "values": ["Akmola"]}]
    assert query["group_by"] == ["year"] and query["aggregates"] == [{"fn": "sum", "column": "tonnes"}]


def test_catalog_search_as_a_user_lists_only_what_that_user_may_see(bank, world, tmp_path):
    _hidden(bank, tmp_path)
    publish(bank, tmp_path, "kz-shared", "kz-stat")
    as_ru = bank.cli("--as", world.emails["ru_viewer"], "catalog-search", "--json")
    assert as_ru.exit_code == 0, as_ru.stderr
    assert "kz-shared" in as_ru.stdout and "kz-secret" not in as_ru.stdout
    assert "kz-secret" in bank.cli("catalog-search", "--json").stdout  # the operator sees everything
