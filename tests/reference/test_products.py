"""Naming the products of a classification from the reference store: HS revisions (English, Russian
chapters and headings), SITC rev. 2 and the OECD ICIO industries, loaded with the reference data."""

from __future__ import annotations

import pyarrow as pa


def test_sitc_and_icio_names_are_loaded_with_the_reference_data_once(bank):
    from sqlalchemy import func, select

    from scobank.reference.load import load_reference
    from scobank.reference.models import ClassificationCode

    with bank.session() as session:
        counts = dict(session.execute(select(ClassificationCode.classification, func.count())
                                      .group_by(ClassificationCode.classification)).all())
        assert counts["ICIO-ISIC4"] == 50  # the OECD's industries A01 ... T
        assert counts["SITC2"] > 780  # sections, two- and four-digit items of atlas_sitc.csv
        assert "product names: already loaded" in load_reference(session)  # idempotent


def test_kazakhstans_top_export_crude_oil_is_named_in_sitc_and_an_icio_industry_by_the_oecd(bank):
    from scobank.reference.products import product_names

    with bank.session() as session:
        assert product_names(session, classification="SITC2", codes=["3330", "0011", "9999"]) == {
            "3330": "Crude petroleum and oils obtained from bituminous materials",
            "0011": "Animals of the bovine species (including buffaloes), live"}
        assert product_names(session, classification="SITC", codes=["33", "3"], lang="ru") == {
            "33": "Нефть, нефтепродукты и аналогичные материалы",
            "3": "Минеральное топливо, смазочные масла и аналогичные материалы"}
        assert product_names(session, classification="ICIO-ISIC4", codes=["B06", "C24A"], lang="zh") == {
            "B06": "原油和天然气开采", "C24A": "基本钢铁制造"}
        assert product_names(session, classification="ICIO-ISIC4", codes=["A01", "B05"]) == {
            "A01": "Agriculture and hunting", "B05": "Mining of coal and lignite"}
        assert product_names(session, classification=None, codes=["3330"]) == {}  # unknown: codes stay bare


def test_hs_codes_are_named_in_english_and_headings_in_russian_where_the_bank_has_it(bank):
    from scobank.reference.products import product_names

    with bank.session() as session:
        en = product_names(session, classification="HS17", codes=["381511", "3815", "38"])
        assert en["381511"].startswith("Catalysts, supported: reaction initiators")
        assert en["3815"].startswith("Reaction initiators, reaction accelerators")
        ru = product_names(session, classification="HS17", codes=["381511", "3815", "38"], lang="ru")
        assert ru["3815"] == ("Инициаторы реакций, ускорители реакций и катализаторы, в другом месте не "
                              "поименованные или не включенные")
        assert ru["38"] == "Прочие химические продукты"
        # the subheading: its heading and the short name of its 10-digit TN VED code, marked as composed
        assert ru["381511"] == (ru["3815"] + ": содержащие в качестве активного компонента никель или его "
                                "соединения [сводное]")
        zh = product_names(session, classification="HS17", codes=["381511", "38", "27", "2709"], lang="zh")
        assert zh["38"] == "杂项化学产品"  # the tariff's chapter title: not derived
        assert zh["2709"] == "石油原油及从沥青矿物提取的原油 [归纳]"  # from the customs item: marked derived
        assert zh["381511"] == "以镍及其化合物为活性物的载体催化剂 [归纳]"


def test_a_table_gets_an_english_product_name_column_after_its_codes(bank):
    from scobank.reference.products import labelled, with_product_names

    table = pa.table({"product": ["3330", "0000"], "value": [1.0, 2.0]})
    with bank.session() as session:
        named = with_product_names(session, table, classification="SITC2")
    assert named.column_names == ["product", "product_name", "value"]
    assert named["product_name"].to_pylist() == ["Crude petroleum and oils obtained from bituminous materials", None]
    assert labelled("3330", "Crude petroleum") == "3330 — Crude petroleum" and labelled("0000", None) == "0000"


def test_a_name_missing_in_a_language_is_marked_as_english_never_silent(bank):
    from scobank.reference.products import product_name

    with bank.session() as session:
        # 8706 (chassis with engines) has no Russian name in any TN VED file here: English, marked
        assert product_name(session, classification="HS22", code="8706", lang="ru").startswith("[en] Chassis")
        assert product_name(session, classification="HS22", code="8706", lang="zh").endswith("[归纳]")
        assert product_name(session, classification="HS22", code="8706", lang="en").startswith("Chassis")


def test_the_square_metre_lost_by_the_tn_ved_files_is_restored(bank):
    from scobank.reference.products import product_names

    codes = ["5208", "5209", "5210", "5211", "5513", "5514"]
    with bank.session() as session:
        names = product_names(session, classification="HS22", codes=codes, lang="ru")
    assert sorted(names) == codes
    assert all(n.endswith(" г/м²") and "?" not in n for n in names.values()), names


def test_russian_and_chinese_cover_most_headings_from_the_real_nomenclatures(bank):
    from sqlalchemy import select

    from scobank.reference.models import HsCode

    with bank.session() as session:
        rows = session.scalars(select(HsCode).where(HsCode.revision == "HS22", HsCode.level == 4)).all()
    ru = sum(1 for r in rows if r.descriptions.get("ru"))
    zh = sum(1 for r in rows if r.descriptions.get("zh"))
    assert len(rows) == 1228 and ru == 957  # FNS TNVED3: the 271 headings without subdivision are absent
    assert zh >= 1220  # every heading with a China Customs item
    assert all(r.descriptions["derived"]["zh"].startswith("derived from China Customs") for r in rows
               if r.descriptions.get("zh"))


def test_hs17_subheadings_borrow_hs22_names_only_where_the_concordance_says_they_are_the_same(bank):
    from scobank.reference.products import product_names

    with bank.session() as session:
        zh = product_names(session, classification="HS17", codes=["270900", "854231"], lang="zh")
    assert zh["270900"] == "石油原油及从沥青矿物提取的原油 [归纳]"
    assert all(not n.startswith("[en]") for n in zh.values())
