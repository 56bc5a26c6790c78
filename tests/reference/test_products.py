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
        assert product_names(session, classification="SITC", codes=["3330"], lang="ru") == {  # no Russian: English
            "3330": "Crude petroleum and oils obtained from bituminous materials"}
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
        assert ru["381511"] == en["381511"]  # the TN VED list has no subheadings: English
        assert product_names(session, classification="HS17", codes=["3815"], lang="zh") == {"3815": en["3815"]}


def test_a_table_gets_an_english_product_name_column_after_its_codes(bank):
    from scobank.reference.products import labelled, with_product_names

    table = pa.table({"product": ["3330", "0000"], "value": [1.0, 2.0]})
    with bank.session() as session:
        named = with_product_names(session, table, classification="SITC2")
    assert named.column_names == ["product", "product_name", "value"]
    assert named["product_name"].to_pylist() == ["Crude petroleum and oils obtained from bituminous materials", None]
    assert labelled("3330", "Crude petroleum") == "3330 — Crude petroleum" and labelled("0000", None) == "0000"
