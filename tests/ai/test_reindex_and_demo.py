"""`scobank ai reindex` and the demo step: rebuild what changed, nothing twice."""

from __future__ import annotations

from scobank.catalog.models import Dataset, Organisation


def _one_dataset(bank) -> None:
    with bank.session() as s:
        org = Organisation(slug="uz-stat", party="UZB", names={"en": "Statistics Agency"})
        s.add(org)
        s.flush()
        s.add(Dataset(slug="cotton-yarn-output", organisation_id=org.id,
                      title={"en": "Cotton yarn output", "ru": "Выпуск хлопковой пряжи"},
                      description={"en": "Tonnes by region"}))


def test_reindex_embeds_each_language_once_and_skips_unchanged_texts(bank):
    _one_dataset(bank)
    first = bank.cli("ai", "reindex", "--kind", "dataset")
    assert first.exit_code == 0, first.stderr
    assert "dataset: 1 items, 2 texts embedded" in first.stdout  # en and ru
    again = bank.cli("ai", "reindex", "--kind", "dataset")
    assert "dataset: 1 items, 0 texts embedded" in again.stdout


def test_the_demo_step_builds_the_index_and_is_idempotent(bank, data_dir):
    from scobank.ai.demo import populate

    _one_dataset(bank)
    with bank.session() as s:
        first = populate(s, data_dir=data_dir)
    with bank.session() as s:
        second = populate(s, data_dir=data_dir)
    assert "ai index: dataset 1 items (2 texts embedded now)" in first
    assert "ai index: dataset 1 items (0 texts embedded now)" in second
    hs = [line for line in second if line.startswith("ai index: hs ")]
    assert hs and hs[0].endswith("(0 texts embedded now)")  # HS headings: vectors from the disk cache
    assert int(hs[0].split()[3]) > 1200  # the HS 2022 headings


def test_an_hs_model_already_in_memory_fills_a_new_cache_folder_without_embedding_again(bank, tmp_path, monkeypatch):
    """The report counts texts embedded by this call only; a missing disk cache is written from memory."""
    from scobank.ai.hs_model import ensure_hs_model
    from scobank.config import reset_settings

    with bank.session() as s:
        ensure_hs_model(s)  # from memory, the shared disk cache, or embedded now
    monkeypatch.setenv("SCOBANK_AI_CACHE_DIR", str(tmp_path / "elsewhere"))
    reset_settings()
    with bank.session() as s:
        _, embedded = ensure_hs_model(s)
    assert embedded == 0
    written = sorted(p.name.split("-")[-2] for p in (tmp_path / "elsewhere").glob("hs22-*.npy"))
    assert written == ["en2", "en4", "en6", "ru2", "ru4", "ru6", "zh2", "zh4", "zh6"]  # one file per part
