"""The reference contract on the real files of SCOBANK_DATA_DIR (loaded by the `bank` fixture)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from scobank.errors import BadRequest, NotFound
from scobank.reference.lookup import (
    baci_code_table,
    bloc_members,
    convert_hs,
    country_table,
    hs_description,
    hs_table,
    party_statuses,
    resolve_country,
    usd_rate,
)
from scobank.reference.models import Country


@pytest.fixture(autouse=True)
def _needs_data(data_dir):
    return data_dir


def test_baci_codes_are_not_iso_numeric_india_is_699_and_usa_842(bank):
    with bank.session() as s:
        assert resolve_country(s, "699") == "IND"
        assert resolve_country(s, "356") == "IND"
        assert resolve_country(s, "842") == "USA"
        assert resolve_country(s, "58") == "BEL"  # Belgium-Luxembourg, an old BACI alias
        table = country_table(s)
        aliases = baci_code_table(s)
    ind = table.filter(pc.equal(table["iso3"], "IND")).to_pylist()[0]
    assert ind == {"iso3": "IND", "iso2": "IN", "numeric": 356, "baci_code": 699, "name_en": "India"}
    assert table.schema.field("numeric").type == pa.int32()
    assert "INT" not in table["iso3"].to_pylist()  # the pseudo-party of international bodies
    assert {"SUN", "CSK"} <= set(table["iso3"].to_pylist())  # historical codes BACI still uses
    assert dict(zip(aliases["baci_code"].to_pylist(), aliases["iso3"].to_pylist(), strict=True))[280] == "DEU"


def test_countries_resolve_from_codes_and_names_in_english_russian_and_chinese(bank):
    with bank.session() as s:
        assert [resolve_country(s, v) for v in ("kgz", "KG", "417", "Kyrgyzstan", "Кыргызстан",
                                                "吉尔吉斯斯坦", "Российская Федерация", "Россия", "俄罗斯")] \
            == ["KGZ"] * 5 + ["KGZ", "RUS", "RUS", "RUS"]
        with pytest.raises(NotFound, match="unknown country 'Atlantis'"):
            resolve_country(s, "Atlantis")
        with pytest.raises(NotFound):
            resolve_country(s, "INT")


def test_member_names_follow_sco_usage(bank):
    with bank.session() as s:
        kgz, irn = s.get(Country, "KGZ"), s.get(Country, "IRN")
        assert (kgz.names["ru"], kgz.names["zh"]) == ("Кыргызстан", "吉尔吉斯斯坦")
        assert (irn.names["en"], irn.names["ru"], irn.names["zh"]) == ("Iran", "Иран", "伊朗")
        assert kgz.currency == "KGS" and kgz.region == "Central Asia"


def test_members_by_year_iran_from_2023_belarus_from_2024(bank):
    with bank.session() as s:
        assert bloc_members(s, 2001) == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
        assert bloc_members(s, 2016) == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
        assert len(bloc_members(s, 2022)) == 8 and "IRN" not in bloc_members(s, 2022)
        assert "IRN" in bloc_members(s, 2023) and "BLR" not in bloc_members(s, 2023)
        assert len(bloc_members(s, 2024)) == 10


def test_party_statuses_change_over_time(bank):
    with bank.session() as s:
        in_2010 = party_statuses(s, dt.date(2010, 1, 1))
        in_2025 = party_statuses(s, dt.date(2025, 12, 31))
    assert (in_2010["IND"], in_2010["IRN"], in_2010["BLR"], in_2010["MNG"]) == ("observer", "observer", "partner", "observer")
    assert (in_2025["IND"], in_2025["IRN"], in_2025["BLR"], in_2025["LAO"]) == ("member", "member", "member", "partner")
    assert "LAO" not in party_statuses(bank.session().__enter__(), dt.date(2025, 1, 1))
    assert sorted(k for k, v in in_2025.items() if v == "observer") == ["AFG", "MNG"]


def test_hs22_has_5612_product_subheadings_and_codes_keep_their_zeros(bank):
    with bank.session() as s:
        hs22 = hs_table(s, "HS22")
        hs17 = hs_table(s, "hs17")
    six = hs22.filter(pc.equal(hs22["level"], 6))
    # 5,613 in the file, less 999999 "commodities not specified according to kind" (not a product)
    assert six.num_rows == 5612
    assert "0101" in hs22["code"].to_pylist() and "010121" in hs22["code"].to_pylist()
    assert hs22.schema.field("level").type == pa.int8()
    assert hs17.filter(pc.equal(hs17["level"], 6)).num_rows == 5383
    assert {2, 4, 6} == set(hs17["level"].to_pylist())


def test_unknown_revision_is_not_found(bank):
    with bank.session() as s, pytest.raises(NotFound, match="unknown HS revision 'HS31'"):
        hs_table(s, "HS31")


def test_hs_descriptions_in_russian_fall_back_visibly_to_english(bank):
    with bank.session() as s:
        assert hs_description(s, "HS22", "0101") == "Horses, asses, mules and hinnies; live"
        assert hs_description(s, "HS22", "72", "ru") == "Черные металлы"
        assert hs_description(s, "HS22", "101", "ru").startswith("Лошади")  # leading zero restored
        # derived from the 10-digit codes, marked, and "и др." for the "прочие" codes it also holds
        assert hs_description(s, "HS22", "010129", "ru") == "Лошади, ослы, мулы и лошаки живые: убойные и др. [сводное]"
        crude = hs_description(s, "HS22", "270900", "ru")  # heading 2709 has no Russian text in any source here
        assert crude.startswith("[en] Oils; petroleum oils") and crude == "[en] " + hs_description(s, "HS22", "270900")
        assert hs_description(s, "HS22", "010121", "zh") == "改良种用马 [归纳]"  # the one customs item; derived
        assert hs_description(s, "HS22", "01", "zh") == "活动物"
        assert hs_description(s, "HS22", "999999") is None


def test_concordance_weights_of_one_source_code_sum_to_one(bank):
    from sqlalchemy import func, select

    from scobank.reference.models import HsConcordance

    with bank.session() as s:
        sums = s.execute(select(HsConcordance.from_code, func.sum(HsConcordance.weight))
                         .where(HsConcordance.from_revision == "HS17", HsConcordance.to_revision == "HS22")
                         .group_by(HsConcordance.from_code)).all()
    assert len(sums) > 5000
    assert all(abs(total - 1) < 1e-6 for _, total in sums)


def test_converting_hs17_trade_to_hs22_keeps_the_total_value(bank):
    trade = pa.table({
        "year": [2020, 2020, 2020],
        "exporter": ["AFG", "AFG", "ZAF"],
        "product": ["440395", "440396", "010121"],
        "hs_revision": ["HS17"] * 3,
        "value_usd": [1000.0, 500.0, 70.0],
    })
    with bank.session() as s:
        out = convert_hs(s, trade, from_revision="HS17", to_revision="HS22")
        back = convert_hs(s, out, from_revision="HS22", to_revision="HS12")
    assert out.column_names == trade.column_names
    assert pc.sum(out["value_usd"]).as_py() == pytest.approx(1570.0)
    rows = {(r["exporter"], r["product"]): r["value_usd"] for r in out.to_pylist()}
    assert rows[("AFG", "440396")] == pytest.approx(500 + 1000 * 0.0886916071400965)
    assert set(out["hs_revision"].to_pylist()) == {"HS22"}
    assert pc.sum(back["value_usd"]).as_py() == pytest.approx(1570.0)


def test_converting_an_unknown_code_names_it(bank):
    trade = pa.table({"product": ["123456"], "value_usd": [1.0]})
    with bank.session() as s, pytest.raises(BadRequest, match="123456"):
        convert_hs(s, trade, from_revision="HS17", to_revision="HS22")


def test_usd_rates_name_their_source(bank):
    with bank.session() as s:
        cny = usd_rate(s, "CNY", 2020)
        eur = usd_rate(s, "EUR", 2020)
        rub = usd_rate(s, "RUB", 2020)
        with pytest.raises(NotFound, match="no exchange rate for RUB in 2019"):
            usd_rate(s, "RUB", 2019)
    assert cny.per_usd == pytest.approx(6.9042) and cny.source.startswith("FRED")
    # FRED quotes the euro as USD per EUR (1.1410 in 2020); the bank holds EUR per USD like the rest
    assert eur.per_usd == pytest.approx(1 / 1.1410, rel=1e-3) and "USD per EUR" in eur.source
    assert rub.per_usd == pytest.approx(72.105, rel=1e-4) and "WDI" in rub.source
