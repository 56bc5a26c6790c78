"""`scobank demo` computes the default member pages' analyses ahead of the first visitor."""

from __future__ import annotations

import pyarrow.csv as pacsv

from scobank.access.gate import OPERATOR
from scobank.analytics.cache import PANEL_FACTS, RESULTS

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"


def test_the_demo_step_warms_the_default_pages_and_a_second_run_computes_nothing(bank, data_dir, sitc_table,
                                                                                 tmp_path):
    from scobank.analytics import demo, profile

    pacsv.write_csv(sitc_table, tmp_path / "sitc_2000.csv")
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    for path, slug, kind in ((tmp_path / "sitc_2000.csv", "sitc2-exports-1998-2000", "table"),
                             (data_dir / BACI_2020, "baci-hs17-2020-afg-zaf", "trade")):
        assert bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", kind).exit_code == 0
    from scobank.demo.datasets import publish_one

    with bank.session() as session:  # the joint page's default input: the OECD ICIO flows by industry
        publish_one(session, "oecd-icio-2022-intermediate-flows", data_dir=data_dir)
    RESULTS.clear(files=True)
    PANEL_FACTS.clear(files=True)
    with bank.session() as session:
        lines = demo.populate(session, data_dir=data_dir)
        session.commit()
    assert lines[1].startswith("  member profiles (10 members): ready; analyses computed: 8")
    assert lines[2].startswith("  substitution explorer (HS4): ready; analyses computed: 1")
    assert lines[4].startswith("  joint opportunities: ready; analyses computed: 2")  # opportunities, exporters
    RESULTS.clear()  # the server that follows in another process: files only
    with bank.session() as session:
        again = demo.populate(session, data_dir=data_dir)
        kaz = profile.member_profile(session, reader=OPERATOR, iso3="KAZ", top=3)
    assert "analyses computed: 0" in again[1] and RESULTS.misses == 0  # every default page kept in files
    assert kaz.parameters["flows_exporters_named"] == ["AFG", "ZAF"]
