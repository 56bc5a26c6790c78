"""Real BACI files for catalog tests, and a second 'release' derived from the real one by rules a test
can count independently: Pakistan's rows withdrawn, India's values doubled, Australia's rows repeated
for 2021 (added)."""

from __future__ import annotations

from pathlib import Path

import duckdb

HS17 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
PAKISTAN, INDIA, AUSTRALIA = 586, 699, 36  # BACI codes in the file


def revised_release(data_dir: Path, target: Path) -> dict[str, int]:
    """Write the revised file (BACI layout, CSV) and return how many rows each rule touched."""
    con = duckdb.connect()
    con.execute("CREATE TABLE src AS SELECT * FROM read_csv($p, types={'k': 'VARCHAR'})",
                {"p": str(data_dir / HS17)})
    rel = con.sql(f"""
        SELECT t, i, j, k, CASE WHEN j = {INDIA} THEN v * 2 ELSE v END AS v, q FROM src WHERE j <> {PAKISTAN}
        UNION ALL SELECT 2021 AS t, i, j, k, v, q FROM src WHERE j = {AUSTRALIA}
        ORDER BY t, i, j, k""")  # noqa: S608 - constants of this module
    rel.write_csv(str(target), header=True)
    count = lambda where: con.execute(f"SELECT count(*) FROM src WHERE {where}").fetchone()[0]  # noqa: E731, S608
    return {"removed": count(f"j = {PAKISTAN}"), "changed": count(f"j = {INDIA} AND v <> 0"),
            "added": count(f"j = {AUSTRALIA}")}
