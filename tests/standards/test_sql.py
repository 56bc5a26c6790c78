"""SQL for analysts: one read-only SELECT over the datasets the caller may read row by row, with the
escapes an attacker tries refused in plain words, and every dataset read in the ledger with the query."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select


@pytest.fixture
def api(populated):
    from scobank.api.app import create_app

    client = TestClient(create_app())

    def as_(who: str | None):
        return {"Authorization": f"Bearer {populated[who]}"} if who else {}
    return client, as_


def test_an_analyst_aggregates_with_sql(api):
    client, as_ = api
    answer = client.get("/api/v1/sql", headers=as_("analyst"), params={
        "q": 'SELECT region, sum(output_mln_tenge) AS output FROM "kz-industry" GROUP BY region ORDER BY region'})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["name"] for c in body["columns"]] == ["region", "output"]
    assert body["rows"][0] == {"region": "Абай", "output": pytest.approx(2534.5)}
    assert body["datasets"] == [{"view": "kz-industry", "dataset": "kz-industry", "version": 1}]
    joined = client.post("/api/v1/sql", headers=as_("analyst"), json={"sql": """
        WITH y AS (SELECT year, count(*) AS n FROM kz_industry GROUP BY year)
        SELECT i.region, y.n FROM "kz-industry" i JOIN y USING (year) WHERE i.year = 2023"""})
    assert joined.status_code == 200, joined.text
    assert joined.json()["rows"] == [{"region": "Абай", "n": 1}]


def test_rows_are_capped_and_csv_has_an_optional_bom(api):
    client, as_ = api
    capped = client.get("/api/v1/sql", headers=as_("analyst"),
                        params={"q": 'SELECT * FROM "kz-industry"', "max_rows": 2}).json()
    assert capped["row_count"] == 2 and capped["truncated"] is True
    csv = client.get("/api/v1/sql", headers=as_("analyst"), params={
        "q": 'SELECT region FROM "kz-industry" ORDER BY region LIMIT 1', "format": "csv", "bom": "true"})
    assert csv.content.decode("utf-8") == "\ufeffregion\r\nАбай\r\n"


@pytest.mark.parametrize(("sql", "status", "words"), [
    ("SELECT * FROM read_csv('/etc/passwd')", 403, "no files"),
    ("SELECT * FROM '/etc/passwd'", 403, "no files"),
    ("SELECT * FROM glob('/work/*')", 403, "no files"),
    ("ATTACH '/tmp/other.db' AS other", 400, "only SELECT"),
    ("COPY (SELECT 1) TO '/tmp/out.csv'", 400, "only SELECT"),
    ("PRAGMA database_list", 400, "only SELECT"),
    ("INSTALL httpfs", 400, "only SELECT"),
    ("SET enable_external_access = true", 400, "only SELECT"),
    ('SELECT 1; DROP TABLE "kz-industry"', 400, "one statement"),
    ('SELECT * FROM "kz-secret"', 404, "no table 'kz-secret'"),  # another member's owner-only dataset
    ('SELECT * FROM "no-such-data"', 404, "no table 'no-such-data'"),  # reads exactly like a hidden one
    ("SELEC 1", 400, "SQL:"),
])
def test_escapes_are_refused_in_plain_words(api, sql, status, words):
    client, as_ = api
    answer = client.post("/api/v1/sql", headers=as_("analyst"), json={"sql": sql})
    assert answer.status_code == status, answer.text
    assert words in answer.json()["message"]


def test_aggregates_only_data_is_out_of_reach(api, bank):
    client, as_ = api
    assert bank.cli("policy", "set", "kz-industry", "--audience", "members", "--aggregates-only", "3").exit_code == 0
    answer = client.get("/api/v1/sql", headers=as_("analyst"), params={"q": 'SELECT count(*) FROM "kz-industry"'})
    assert answer.status_code == 403 and "aggregates" in answer.json()["message"]


def test_the_owner_reads_its_own_and_the_ledger_keeps_the_query(api, bank):
    from scobank.access.models import LedgerEntry

    client, as_ = api
    own = client.get("/api/v1/sql", headers=as_("steward"), params={"q": 'SELECT count(*) AS n FROM "kz-secret"'})
    assert own.json()["rows"] == [{"n": 4}]
    client.get("/api/v1/sql", headers={**as_("analyst"), "X-Purpose": "research"},
               params={"q": 'SELECT max(year) FROM "kz-industry"'})
    with bank.session() as session:
        entry = session.scalars(select(LedgerEntry).where(LedgerEntry.actor == "analyst@minprom.ru",
                                                          LedgerEntry.action == "sql")).one()
        assert entry.purpose == "research"
        assert json.loads(entry.detail)["sql"] == 'SELECT max(year) FROM "kz-industry"'


def test_a_runaway_query_is_stopped(bank, populated):
    from scobank.access.reader import OPERATOR
    from scobank.catalog.sql import run_sql
    from scobank.errors import BadRequest

    with bank.session() as session, pytest.raises(BadRequest, match="ran past 0.5 s"):
        run_sql(session, sql="SELECT count(*) FROM range(100000000000) a", reader=OPERATOR, timeout_s=0.5)


def test_the_cli_answers_as_the_user_named(bank, populated):
    result = bank.cli("--as", "analyst@minprom.ru", "sql", 'SELECT count(*) AS n FROM "kz-industry"', "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "4"]
    hidden = bank.cli("--as", "analyst@minprom.ru", "sql", 'SELECT * FROM "kz-secret"')
    assert hidden.exit_code != 0 and "no table" in hidden.stderr and "Traceback" not in hidden.stderr
