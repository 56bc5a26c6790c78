"""The Python client (`scobank.client.Bank`) against a live server: what an analyst's notebook does."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from scobank.client import Bank, BankError


def test_an_analyst_finds_queries_and_exports(live, tmp_path):
    with Bank(live.url, token=live.tokens["analyst"], purpose="research") as bank:
        assert [d["slug"] for d in bank.search("промышленность")] == ["kz-industry"]
        assert [d["slug"] for d in bank.datasets()] == ["kz-industry"]
        frame = bank.query("kz-industry", filters=["year:eq:2022"], sort=["region"], page_rows=2).to_pandas()
        assert list(frame["region"]) == ["Абай", "Акмола", "Алматы"]  # two pages, followed by the cursor
        assert frame["output_mln_tenge"].sum() == pytest.approx(12834.75)
        summed = bank.sql('SELECT year, sum(enterprises) AS n FROM "kz-industry" GROUP BY year ORDER BY year')
        assert summed.rows == [{"year": 2022, "n": 1300}, {"year": 2023, "n": 125}]
        target = bank.export("kz-industry", tmp_path / "industry.parquet")
        assert pq.read_table(target).num_rows == 4
        part = bank.export("kz-industry", tmp_path / "abai.parquet", columns=["year", "enterprises"],
                           filters=["region=in:Абай"])
        assert pq.read_table(part).to_pylist() == [{"year": 2022, "enterprises": 120}, {"year": 2023, "enterprises": 125}]
        with pytest.raises(BankError) as hidden:
            bank.dataset("kz-secret")
        assert hidden.value.status == 404 and hidden.value.code == "not-found"
        asked = bank.request_access("kz-industry", purpose="research", until="2030-01-01",
                                    note="for a study of regional output")
        assert asked["status"] == "pending" or asked.get("id")


def test_a_steward_publishes_and_sees_the_report(live, tmp_path):
    data = tmp_path / "output-2024.csv"
    data.write_text("region,year,output_mln_tenge,enterprises\nАбай,2024,1400.5,130\n", encoding="utf-8")
    with Bank(live.url, token=live.tokens["steward"]) as bank:
        result = bank.publish("kz-industry", data)
        assert result["version"]["number"] == 2 and result["version"]["row_count"] == 1
        bad = tmp_path / "bad.csv"
        rows = "".join(f"Регион {i},{'2O24' if i == 3 else 2024},{100 + i},{i}\n" for i in range(8))
        bad.write_text("region,year,output_mln_tenge,enterprises\n" + rows, encoding="utf-8")
        with pytest.raises(BankError) as rejected:
            bank.publish("kz-industry", bad)
        assert rejected.value.status == 422
        assert [(p["row"], p["column"], p["value"]) for p in rejected.value.problems] == [(4, "year", "2O24")]
