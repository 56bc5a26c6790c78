"""The demo step loads the real data as datasets of the organisations that published them, once."""

from __future__ import annotations

import pytest

from scobank.demo.datasets import DATASETS, populate


@pytest.mark.slow
def test_the_demo_publishes_every_real_file_once(bank, data_dir):
    with bank.session() as session:
        first = populate(session, data_dir=data_dir)
    assert len(first) == len(DATASETS)
    assert all(", published" in line for line in first), first
    assert "dataset baci-hs17-2020-afg-zaf (cepii): version 1, 72,097 rows, published" in first
    with bank.session() as session:
        again = populate(session, data_dir=data_dir)
    assert all("already there" in line for line in again), again


def test_without_the_data_folder_the_demo_world_is_labelled_generated(bank):
    import json

    with bank.session() as session:
        lines = populate(session, data_dir=None)
    assert lines == [lines[0]] and "generated-member-trade (sco-demo): version 1" in lines[0]
    shown = json.loads(bank.cli("datasets", "show", "generated-member-trade", "--json").stdout)
    assert "(generated)" in shown["title"]["en"] and "сгенерировано" in shown["title"]["ru"]
    assert shown["source_note"] == "generated demonstration data (not real)"
