"""The lake stores each distinct content once, under the sha256 of its bytes."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scobank.lake import store


def _parquet(path: Path, values: list[int]) -> Path:
    pq.write_table(pa.table({"year": values}), path)
    return path


def test_a_file_is_moved_into_the_lake_under_its_sha256(lake_home, tmp_path):
    staged = _parquet(tmp_path / "staged.parquet", [2019, 2020])
    expected = hashlib.sha256(staged.read_bytes()).hexdigest()
    obj = store.put(staged)
    assert obj.content_hash == expected
    assert obj.path == lake_home.resolve() / "lake" / expected[:2] / f"{expected}.parquet"
    assert obj.byte_size == obj.path.stat().st_size
    assert not staged.exists()
    assert store.path_for(expected) == obj.path


def test_identical_content_is_stored_once(lake_home, tmp_path):
    first = store.put(_parquet(tmp_path / "a.parquet", [1, 2, 3]))
    second_staged = _parquet(tmp_path / "b.parquet", [1, 2, 3])
    second = store.put(second_staged)
    assert second == first
    assert not second_staged.exists()
    assert len(list((lake_home / "lake").glob("??/*.parquet"))) == 1


def test_a_hash_that_is_not_hex_is_refused_before_touching_a_path(lake_home):
    import pytest

    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd" + "0" * 48)


def test_files_whose_hash_is_not_referenced_are_orphans_and_gc_removes_only_old_ones(lake_home, tmp_path):
    kept = store.put(_parquet(tmp_path / "kept.parquet", [0]))
    old = store.put(_parquet(tmp_path / "old.parquet", [1]))
    young = store.put(_parquet(tmp_path / "young.parquet", [2]))
    an_hour_ago = time.time() - 7200
    for obj in (kept, old):
        os.utime(obj.path, (an_hour_ago, an_hour_ago))
    referenced = {kept.content_hash}
    assert store.orphans(referenced) == sorted([old.path, young.path])
    assert store.collect_garbage(referenced, min_age_seconds=3600, dry_run=True) == [old.path]
    assert old.path.exists()
    removed = store.collect_garbage(referenced, min_age_seconds=3600)
    assert removed == [old.path]
    assert not old.path.exists() and young.path.exists() and kept.path.exists()
