"""The demo's datasets step: real files of SCOBANK_DATA_DIR published by their organisations, once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from scobank.access.reader import OPERATOR
from scobank.catalog.models import Dataset, DatasetVersion, Organisation
from scobank.catalog.search import search_datasets
from scobank.demo import datasets as step
from scobank.demo.catalog import DATASETS, ORGANISATIONS


def test_every_demo_dataset_names_a_real_file_and_speaks_three_languages(data_dir):
    orgs = {o.slug for o in ORGANISATIONS}
    for spec in DATASETS:
        assert (data_dir / spec.path).is_file(), spec.path
        assert spec.organisation in orgs
        for field in (spec.title, spec.description, spec.keywords):
            assert set(field) >= {"en", "ru", "zh"}, spec.slug
        assert "SOURCE.md" in spec.source_note
    assert {o.party for o in ORGANISATIONS if o.slug in ("oecd", "imf", "world-bank")} == {"INT"}


SMALL = ("baci-hs17-2020-afg-zaf", "gdp-per-capita-1998-2000", "tnved-chapters-headings-ru")


@pytest.fixture
def small_demo(monkeypatch):
    monkeypatch.setattr(step, "DATASETS", tuple(s for s in DATASETS if s.slug in SMALL))


def test_the_step_publishes_real_files_once(bank, data_dir, small_demo):
    with bank.session() as s:
        first = step.populate(s, data_dir=data_dir)
    with bank.session() as s:
        second = step.populate(s, data_dir=data_dir)
        versions = dict(s.execute(select(Dataset.slug, func.count(DatasetVersion.id))
                                  .join(DatasetVersion, DatasetVersion.dataset_id == Dataset.id)
                                  .group_by(Dataset.slug)).all())
        baci = s.scalar(select(Dataset).where(Dataset.slug == "baci-hs17-2020-afg-zaf"))
        cepii = s.get(Organisation, baci.organisation_id)
        rows = s.scalar(select(DatasetVersion.row_count).where(DatasetVersion.dataset_id == baci.id))
        found = search_datasets(s, reader=OPERATOR, q="ТН ВЭД")
    assert "baci-hs17-2020-afg-zaf: version 1, 72,097 rows" in "\n".join(first)
    assert "baci-hs17-2020-afg-zaf: version 1 already loaded" in "\n".join(second)
    assert versions == {slug: 1 for slug in SMALL}
    assert (cepii.slug, cepii.party, baci.kind, baci.classification) == ("cepii", "FRA", "trade", "HS17")
    assert rows == 72097
    assert [i.slug for i in found.items] == ["tnved-chapters-headings-ru"]
    assert found.items[0].party == "RUS"


def test_without_a_data_dir_a_generated_world_says_so(bank):
    with bank.session() as s:
        lines = step.populate(s, data_dir=None)
        dataset = s.scalar(select(Dataset).where(Dataset.slug == "generated-member-exports"))
        version = s.scalar(select(DatasetVersion).where(DatasetVersion.dataset_id == dataset.id))
    assert "GENERATED" in lines[0]
    assert dataset.title["en"].startswith("GENERATED") and "СГЕНЕРИРОВАННЫЕ" in dataset.title["ru"]
    assert "生成" in dataset.title["zh"] and dataset.source_note.startswith("GENERATED")
    assert version.row_count == 5 * 5 * 9 * 12  # years x exporters x partners x products


def test_the_demo_publishes_indias_eidb_exports_as_indias_signed_dataset(bank, data_dir):
    import json

    slug = "india-eidb-exports-to-sco-fy2017-2024"
    with bank.session() as s:
        line = step.publish_one(s, slug, data_dir=data_dir)
    assert line.startswith(f"  {slug}: version 1, 76,424 rows (dgcis-india"), line
    shown = json.loads(bank.cli("datasets", "show", slug, "--json").stdout)
    assert (shown["party"], shown["organisation"], shown["kind"]) == ("IND", "dgcis-india", "trade")
    versions = json.loads(bank.cli("datasets", "versions", slug, "--json").stdout)
    assert versions[0]["report"]["rows_read"] == 114_265 and versions[0]["report"]["problems_total"] == 9
    assert versions[0]["table_schema"]["period"]["periods"]["2017"] == "FY2017-18"
    signature = json.loads(bank.cli("signature", slug).stdout)
    assert signature["versions"][0]["party"] == "IND"
    rows = json.loads(bank.cli("query", slug, "--filter", "importer:eq:PAK", "--filter", "year:eq:2017",
                               "--agg", "value_usd:sum", "--json").stdout)["rows"]
    assert round(rows[0]["value_usd_sum"] / 1e6) == 1632  # India's exports to Pakistan, FY2017-18, US$ mn
