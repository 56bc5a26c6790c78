"""`scobank demo` computes the default member pages' analyses ahead of the first visitor: the next
server process serves those pages from the cache files without computing."""

from __future__ import annotations

import pyarrow.csv as pacsv
from fastapi.testclient import TestClient

from scobank.analytics.cache import PANEL_FACTS, RESULTS

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
DEFAULT_PAGES = ["/members/KAZ/profile", "/members/IRN/profile", "/opportunities/substitution",
                 "/members/KAZ/product-space", "/opportunities/joint"]


def test_the_demo_step_warms_the_default_pages_and_the_next_server_computes_nothing(bank, data_dir, sitc_table,
                                                                                    tmp_path):
    from scobank.analytics import demo
    from scobank.api.app import create_app
    from scobank.demo.datasets import publish_one

    pacsv.write_csv(sitc_table, tmp_path / "sitc_2000.csv")
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    for path, slug, kind in ((tmp_path / "sitc_2000.csv", "sitc2-exports-1998-2000", "table"),
                             (data_dir / BACI_2020, "baci-hs17-2020-afg-zaf", "trade")):
        assert bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", kind).exit_code == 0
    with bank.session() as session:
        publish_one(session, "oecd-icio-2022-intermediate-flows", data_dir=data_dir)
        session.commit()
    for slug in ("sitc2-exports-1998-2000", "baci-hs17-2020-afg-zaf", "oecd-icio-2022-intermediate-flows"):
        assert bank.cli("policy", "set", slug, "--audience", "public").exit_code == 0
    RESULTS.clear(files=True)
    PANEL_FACTS.clear(files=True)
    with bank.session() as session:
        lines = demo.populate(session, data_dir=data_dir)
        session.commit()
    # 9 (with the ranked country set) + each member's ICIO goods industries (the profile's sector view) + each
    # member's substitution page (over the one whole table the first profile wrote on the engine)
    assert lines[1].startswith("  member profiles (10 members): ready; analyses computed: 28")
    assert lines[2].startswith("  substitution explorer: ready; analyses computed: 1")  # its page of that table
    assert len(list((bank.home / "lake" / "results").iterdir())) == 1
    assert lines[4].startswith("  joint opportunities: ready; analyses computed: 1")  # what the profiles left to do
    RESULTS.clear()  # the server that follows in another process: the files only
    PANEL_FACTS.clear()
    with TestClient(create_app()) as client:
        assert [client.get(path).status_code for path in DEFAULT_PAGES] == [200] * len(DEFAULT_PAGES)
    assert RESULTS.misses == 0 and RESULTS.file_hits > 0
