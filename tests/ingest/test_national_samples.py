"""The five real tables in shared/data/national-statistics-samples, read as a steward brings them:
with the defaults where detection can tell, with an override where it cannot. Every expected value
below is read off the original file (see its SOURCE.md)."""

from __future__ import annotations

import duckdb
import pytest

from scobank.ingest.options import ReadOptions
from scobank.ingest.pipeline import stage_file

SAMPLES = "national-statistics-samples"


def stage(bank, path, **kwargs):
    with bank.session() as session:
        return stage_file(session, source=path, on_error="abort", **kwargs)


def rows(staged, sql: str) -> list[tuple]:
    return duckdb.connect().read_parquet(str(staged.parquet_path)).query("t", sql).fetchall()


def types(staged) -> dict[str, str]:
    return {f["name"]: f["type"] for f in staged.table_schema["fields"]}


@pytest.fixture
def samples(data_dir):
    return data_dir / SAMPLES


def test_nbs_china_gb18030_csv_with_preamble_and_year_suffixes(bank, samples):
    staged = stage(bank, samples / "CN_分省年度数据.csv")
    found = staged.report.detected
    assert (found["encoding"]["value"], found["delimiter"]["value"], found["header_rows"]) == ("gb18030", ",", [4])
    assert found["title"] == ["数据库：分省年度数据", "指标：年末常住人口(万人)", "时间：最近10年"]
    assert found["notes"][-1] == "数据来源：国家统计局" and found["notes"][0].startswith("注：常住人口包括")
    assert list(types(staged)) == ["地区", *[str(y) for y in range(2024, 2014, -1)]]
    assert set(list(types(staged).values())[1:]) == {"integer"}
    assert staged.row_count == 31
    assert rows(staged, 'SELECT "地区", "2024", "2015" FROM t WHERE "地区" IN (\'北京市\', \'新疆维吾尔自治区\') '
                        "ORDER BY 2") == [("北京市", 2183, 2188), ("新疆维吾尔自治区", 2623, 2385)]
    assert staged.report.valid


def test_rosstat_xlsx_skips_the_contents_sheet_and_unglues_footnote_marks_from_years(bank, samples):
    staged = stage(bank, samples / "RU_ind_god_2015_2025.xlsx")
    found = staged.report.detected
    assert (found["sheet"], found["sheets"], found["header_rows"]) == ("1", ["Содержание", "1"], [4])
    assert found["footnotes"] == {"2022": "1", "2023": "1", "2024": "1,2", "2025": "1,5"}
    assert len(found["notes"]) == 5 and found["notes"][4].startswith("5 Первая оценка")
    assert types(staged) == {"Наименование вида деятельности по ОКВЭД2": "string", "Код ОКВЭД2": "string",
                             **{str(y): "number" for y in range(2015, 2026)}}
    assert staged.row_count == 131
    assert rows(staged, 'SELECT "Код ОКВЭД2", "2015", "2022" FROM t WHERE "Наименование вида деятельности по '
                        "ОКВЭД2\" = 'Добыча угля'") == [("05", 100.7, 98.5)]
    assert rows(staged, 'SELECT count(*) FROM t WHERE "Код ОКВЭД2" = \'05.1\'') == [(1,)]


def test_kazakh_bns_xlsx_with_comma_decimals_as_text_markers_and_hidden_cyrillic(bank, samples):
    staged = stage(bank, samples / "KZ_Indicators_of_poverty_and_inequality_by_region.xlsx")
    found = staged.report.detected
    assert (found["sheet"], found["header_rows"], found["footnotes"]) == ("ниже VPM ", [4, 5],
                                                                          {"2006": "1)", "2018": "2)"})
    assert types(staged)["2001"] == "number" and types(staged)["2001_status"] == "string"
    assert "2009 I quarter" in types(staged)
    assert staged.row_count == 22
    assert rows(staged, 'SELECT "column 1", "2001", "2002", "2003" FROM t LIMIT 1') == [
        ("Republic of Kazakhstan3)", 46.7, 44.5, 37.5)]
    assert rows(staged, 'SELECT "2001", "2001_status" FROM t WHERE "column 1" = \'Abay\'') == [(None, "-")]
    assert rows(staged, 'SELECT "2001" FROM t WHERE "column 1" = \'Aktobe\'') == [(41.4,)]  # 'Аktobе' in the file
    assert any("'Аktobе' as 'Aktobe'" in line for line in found["repaired"])
    status = next(f for f in staged.table_schema["fields"] if f["name"] == "2001_status")
    assert status["categories"] == [{"value": "-", "label": "not applicable"}]


def test_another_sheet_of_the_kazakh_workbook_is_read_when_named(bank, samples):
    staged = stage(bank, samples / "KZ_Indicators_of_poverty_and_inequality_by_region.xlsx",
                   options=ReadOptions(sheet="ниже SPK"))
    assert staged.report.detected["sheet"] == "ниже SPK"
    assert rows(staged, 'SELECT "2001", "2002" FROM t WHERE "column 1" = \'Akmola\'') == [(11.8, 10.0)]


def test_kyrgyz_legacy_xls_with_three_label_languages_and_float_years(bank, samples):
    staged = stage(bank, samples / "KG_nsck_dynamic_543.xls")
    found = staged.report.detected
    assert (found["format"], found["sheet"], found["header_rows"]) == ("XLS", "5.04.00.14", [4])
    names = list(types(staged))
    assert names[:4] == ["Көрсөткүчтөрдүн аталышы", "Наименование показателей", "Items", "1990"]
    assert names[-1] == "2024" and types(staged)["1990"] == "number"
    assert staged.row_count == 10
    assert rows(staged, 'SELECT "1990", "1991" FROM t WHERE "Items" = \'Money incomes per capita (soms per month)\'') \
        == [(0.52, 0.99)]
    assert rows(staged, 'SELECT "1990", "1991" FROM t WHERE "Items" = \'Gini coefficient\'') == [(None, 0.306)]
    assert found["notes"][0].startswith("1 1996-1999жж.")


def test_india_dgcis_html_page_saved_as_asp(bank, samples):
    staged = stage(bank, samples / "IN_2008-10IndChinaImport.asp")
    found = staged.report.detected
    assert found["format"] == "HTML"
    assert found["summary_rows"] == ["Total", "India's Total", "%Share"]
    assert "Values in US$ Million" in found["title"]
    assert types(staged) == {"S.No.": "number", "HSCode": "string", "Commodity": "string",
                             "2008-2009": "number", "2009-2010": "number", "%Growth": "number"}
    assert staged.row_count == 97
    assert rows(staged, 'SELECT "HSCode", "Commodity", "2008-2009", "2009-2010", "%Growth" FROM t LIMIT 1') == [
        ("01", "LIVE ANIMALS.", 0.42, 0.5, 19.62)]
    assert rows(staged, 'SELECT "S.No.", "Commodity", "2008-2009", "%Growth" FROM t WHERE "HSCode" = \'99\'') == [
        (97.0, "MISCELLANEOUS GOODS.", 15.89, -8.16)]
