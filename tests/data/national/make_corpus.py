"""Writes the corpus of national-office layouts in this folder, with manifest.json (what each file
must read as) and README.md (what real layout each file mirrors). Run it to regenerate:

    python tests/data/national/make_corpus.py

The files are small hand-made tables in the layouts the members' statistical offices and customs
services publish (the real ones in shared/data/national-statistics-samples are read by
tests/ingest/test_national_samples.py). Every expected value in the manifest is what a person reads
off the file; tests/ingest/test_national_corpus.py asserts them all.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

HERE = Path(__file__).parent
FILES: dict[str, bytes] = {}
MANIFEST: dict[str, dict] = {}
STAMP = dt.datetime(2026, 1, 1)


def add(name: str, data: bytes | None, *, mirrors: str, columns: list[list[str]], rows: int,
        encoding: str | None = None, delimiter: str | None = None, header_rows: list[int] | None = None,
        problems: list[list] | None = None, cells: list[list] | None = None, options: dict | None = None,
        kind: str = "table", on_error: str = "skip-rows", extra: dict | None = None) -> None:
    """One fixture and its expected outcome. `cells`: [data row (1-based), column, value]."""
    if data is not None:
        FILES[name] = data
    MANIFEST[name] = {
        "mirrors": mirrors, "kind": kind, "on_error": on_error, "options": options or {},
        "encoding": encoding, "delimiter": delimiter, "header_rows": header_rows, "columns": columns,
        "rows": rows, "problems": problems or [], "cells": cells or [], **(extra or {}),
    }


def text(lines: list[str], encoding: str, *, newline: str = "\r\n") -> bytes:
    return newline.join(lines).encode(encoding) + newline.encode(encoding)


def csv_files() -> None:
    add("ru_rosstat_semicolon_cp1251.csv",
        text(["Регион;Объём, млн руб.;Год", "Москва;1234,5;2022", "Санкт-Петербург;987,25;2022",
              "Республика Татарстан;…;2022", "Новосибирская область;45,1;2022"], "cp1251"),
        mirrors="Rosstat/EMISS table saved by Excel in a ru-RU locale: ';' between fields, comma decimals, "
                "a comma inside the header 'Объём, млн руб.', '…' where data is not published; cp1251",
        encoding="cp1251", delimiter=";", header_rows=[1],
        columns=[["Регион", "string"], ["Объём, млн руб.", "number"], ["Объём, млн руб._status", "string"],
                 ["Год", "integer"]],
        rows=4, cells=[[1, "Объём, млн руб.", 1234.5], [2, "Объём, млн руб.", 987.25],
                       [3, "Объём, млн руб._status", "…"], [2, "Регион", "Санкт-Петербург"]])
    add("kz_bns_semicolon_kz1048.csv",
        text(["Өңір;Өнім көлемі, млн теңге;Жыл", "Қарағанды облысы;2345,6;2023", "Түркістан облысы;х;2023",
              "Ақмола облысы;456,7;2023", "Шығыс Қазақстан облысы;1001,9;2023"], "kz1048"),
        mirrors="Bureau of National Statistics (stat.gov.kz) Kazakh-language CSV from Excel in a kk-KZ "
                "locale: KZ-1048 encoding (Өө Ққ Ңң Ғғ Үү Ұұ Һһ Іі), ';', comma decimals, Cyrillic 'х' = confidential",
        encoding="kz1048", delimiter=";", header_rows=[1],
        columns=[["Өңір", "string"], ["Өнім көлемі, млн теңге", "number"],
                 ["Өнім көлемі, млн теңге_status", "string"], ["Жыл", "integer"]],
        rows=4, cells=[[1, "Өңір", "Қарағанды облысы"], [1, "Өнім көлемі, млн теңге", 2345.6],
                       [2, "Өнім көлемі, млн теңге_status", "х"], [4, "Өңір", "Шығыс Қазақстан облысы"]])
    add("kz_bns_utf8_bom_space_thousands.csv",
        "\ufeff".encode() + text(["Показатель;2021;2022;2023", "Валовой региональный продукт;83 951 592,3;"
                                  "103 765 518,5;119 251 104,6", "Инвестиции в основной капитал;13 242 928,0;"
                                  "15 309 921,3;18 419 872,4"], "utf-8"),
        mirrors="stat.gov.kz Russian-language CSV saved as 'CSV UTF-8' by Excel: a BOM, ';', thousands "
                "grouped with a space, comma decimals",
        encoding="utf-8-sig", delimiter=";", header_rows=[1],
        columns=[["Показатель", "string"], ["2021", "number"], ["2022", "number"], ["2023", "number"]],
        rows=2, cells=[[1, "2021", 83951592.3], [2, "2023", 18419872.4]])
    add("ru_nbsp_thousands_utf8.csv",
        text(["Вид деятельности;Оборот, тыс. руб.", "Добыча угля;1\u202f234\u202f567,8",
              "Производство кокса;98\u00a0765,4", "Металлургия;5 000,0"], "utf-8"),
        mirrors="Rosstat bulletin table copied to CSV: thousands grouped with a narrow no-break space "
                "(U+202F), a no-break space (U+00A0) or a space, comma decimals",
        encoding="utf-8", delimiter=";", header_rows=[1],
        columns=[["Вид деятельности", "string"], ["Оборот, тыс. руб.", "number"]],
        rows=3, cells=[[1, "Оборот, тыс. руб.", 1234567.8], [2, "Оборот, тыс. руб.", 98765.4],
                       [3, "Оборот, тыс. руб.", 5000.0]])
    add("by_belstat_cp1251.csv",
        text(["Вобласць;Колькасць насельніцтва, тыс. чал.", "Магілёўская;1005,8", "Брэсцкая;1325,4",
              "Гомельская;1360,3"], "cp1251"),
        mirrors="Belstat (belstat.gov.by) Belarusian-language CSV in cp1251: the letter ў must stay ў "
                "(not the Kazakh ұ of KZ-1048)",
        encoding="cp1251", delimiter=";", header_rows=[1],
        columns=[["Вобласць", "string"], ["Колькасць насельніцтва, тыс. чал.", "number"]],
        rows=3, cells=[[1, "Вобласць", "Магілёўская"], [2, "Колькасць насельніцтва, тыс. чал.", 1325.4]])
    add("kg_stat_utf16_tab.txt",
        b"\xff\xfe" + "\r\n".join(["Аймак\tКалктын саны\tЖыл", "Бишкек шаары\t1145,2\t2023",
                                   "Ош облусу\t1391,6\t2023", "Чүй облусу\t1004,9\t2023"]).encode("utf-16-le")
        + "\r\n".encode("utf-16-le"),
        mirrors="National Statistical Committee of the Kyrgyz Republic table saved by Excel as 'Unicode "
                "text': UTF-16 LE with a BOM, tab separated, Kyrgyz letters Ңң Өө Үү",
        encoding="utf-16", delimiter="\t", header_rows=[1],
        columns=[["Аймак", "string"], ["Калктын саны", "number"], ["Жыл", "integer"]],
        rows=3, cells=[[3, "Аймак", "Чүй облусу"], [2, "Калктын саны", 1391.6]])
    add("cn_nbs_gb18030_preamble_long.csv",
        text(["数据库：年度数据", "指标：工业增加值(亿元)", "年份,地区,指标,数值", "2023年,北京市,工业增加值,5262.2",
              "2023年,天津市,工业增加值,5343.4", "2022年,北京市,工业增加值,5036.4", "数据来源：国家统计局"],
             "gb18030", newline="\n"),
        mirrors="NBS data.stats.gov.cn export in GB18030 with preamble lines (数据库/指标), a long "
                "table with 年份 and 指标 columns, years written 2023年, and a source line under the data",
        encoding="gb18030", delimiter=",", header_rows=[3],
        columns=[["年份", "integer"], ["地区", "string"], ["指标", "string"], ["数值", "number"]],
        rows=3, cells=[[1, "年份", 2023], [3, "年份", 2022], [2, "地区", "天津市"], [3, "数值", 5036.4]],
        extra={"notes": ["数据来源：国家统计局"], "title": ["数据库：年度数据", "指标：工业增加值(亿元)"]})
    add("cn_utf8_indicator_markers.csv",
        text(["指标,年份,数值", "原煤产量(亿吨),2023,47.1", "原油产量(万吨),2023,空", "天然气产量(亿立方米),2023,无",
              "发电量(亿千瓦时),2023,94564.4"], "utf-8", newline="\n"),
        mirrors="A provincial statistics bureau's UTF-8 CSV with 指标/年份 columns and 空 (empty) / 无 (none) "
                "in place of values",
        encoding="utf-8", delimiter=",", header_rows=[1],
        columns=[["指标", "string"], ["年份", "integer"], ["数值", "number"], ["数值_status", "string"]],
        rows=4, cells=[[2, "数值", None], [2, "数值_status", "空"], [3, "数值_status", "无"], [4, "数值", 94564.4]])
    add("cn_gbk_wide_years_notes.csv",
        text(["指标,2024年,2023年,2022年", "粗钢产量(万吨),100509,101908,101796", "水泥产量(万吨),182500,202300,212927",
              "注：2024年数据为初步统计数。", "数据来源：国家统计局"], "gbk", newline="\r\n"),
        mirrors="NBS wide table in GBK: years as columns written 2024年, a 注： note and a 数据来源 line under the data",
        encoding="gb18030", delimiter=",", header_rows=[1],
        columns=[["指标", "string"], ["2024", "integer"], ["2023", "integer"], ["2022", "integer"]],
        rows=2, cells=[[1, "2024", 100509], [2, "2022", 212927]], extra={"notes": ["注：2024年数据为初步统计数。",
                                                                                  "数据来源：国家统计局"]})
    add("in_dgcis_lakh_crore.csv",
        text(['State,Exports (Rs. Lakh),Imports (Rs. Lakh)', 'Maharashtra,"1,23,456.78","2,34,56,789.10"',
              'Gujarat,"98,765.43","12,34,567.00"', 'Tamil Nadu,"5,43,210.99","87,654.32"'], "utf-8"),
        mirrors="DGCI&S / tradestat state-wise export in rupees with Indian lakh/crore digit grouping "
                "(1,23,456.78), quoted because of the commas",
        encoding="utf-8", delimiter=",", header_rows=[1],
        columns=[["State", "string"], ["Exports (Rs. Lakh)", "number"], ["Imports (Rs. Lakh)", "number"]],
        rows=3, cells=[[1, "Exports (Rs. Lakh)", 123456.78], [1, "Imports (Rs. Lakh)", 23456789.10],
                       [3, "Imports (Rs. Lakh)", 87654.32]])
    add("in_eidb_fiscal_years.csv",
        text(["HSCode,Commodity,2022-2023,2023-2024,%Growth", '"01","LIVE ANIMALS.","1,234.56","2,345.67",90.0',
              '"09","COFFEE, TEA, MATE AND SPICES.","12,34,567.89","11,22,333.44",-9.09'], "utf-8"),
        mirrors="Ministry of Commerce Export Import Data Bank CSV: HS chapters with leading zeros, financial "
                "years as column names, US-style and lakh grouping mixed in one column, negative growth",
        encoding="utf-8", delimiter=",", header_rows=[1],
        columns=[["HSCode", "string"], ["Commodity", "string"], ["2022-2023", "number"], ["2023-2024", "number"],
                 ["%Growth", "number"]],
        rows=2, cells=[[1, "HSCode", "01"], [2, "2022-2023", 1234567.89], [2, "%Growth", -9.09]])
    markers = ["-", "–", "—", "…", "...", "..", "x", "X", "н/д", "n/a", "NA", "空", "无"]
    add("every_missing_marker.csv",
        text(["Код;Показатель;Значение", *[f"{i:02d};Строка {i};{m}" for i, m in enumerate(markers, 1)],
              "14;Строка 14;12,5", "15;Строка 15;"], "utf-8"),
        mirrors="Every missing-value marker statistical offices print (UN/Rosstat '-', '…', '..', 'x', "
                "'н/д', 'NA'; NBS 空/无), one per row, then a real value and an empty cell",
        encoding="utf-8", delimiter=";", header_rows=[1],
        columns=[["Код", "string"], ["Показатель", "string"], ["Значение", "number"], ["Значение_status", "string"]],
        rows=15, cells=[*[[i, "Значение_status", m] for i, m in enumerate(markers, 1)], [14, "Значение", 12.5],
                        [15, "Значение_status", None], [1, "Значение", None]])
    add("custom_na_marker.csv",
        text(["region,value", "Almaty,12.5", "Astana,*", "Shymkent,7"], "utf-8"),
        mirrors="A ministry table marking suppressed cells with '*', read with --na '*'",
        options={"na": ["*"]}, encoding="utf-8", delimiter=",", header_rows=[1],
        columns=[["region", "string"], ["value", "number"], ["value_status", "string"]],
        rows=3, cells=[[2, "value", None], [2, "value_status", "*"]])
    years = ["2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2O07", "1066", "2023"]
    add("year_typo.csv",
        text(["year;region;value", *[f"{y};Almaty;{i}0,5" for i, y in enumerate(years, 1)]], "utf-8"),
        mirrors="A long table with one typo (letter O for zero) and one impossible year in the year column: "
                "the column stays integer and both cells are reported",
        encoding="utf-8", delimiter=";", header_rows=[1],
        columns=[["year", "integer"], ["region", "string"], ["value", "number"]],
        rows=9, problems=[[9, "year", "bad-type"], [10, "year", "bad-year"]],
        cells=[[1, "year", 2015], [9, "year", 2023], [9, "value", 110.5]])
    add("number_misfit.csv",
        text(["item,quantity", *[f"item {i},{i * 10}" for i in range(1, 10)], "item 10,12a"], "utf-8"),
        mirrors="A customs extract where one quantity has a stray letter: the column stays integer",
        encoding="utf-8", delimiter=",", header_rows=[1], columns=[["item", "string"], ["quantity", "integer"]],
        rows=9, problems=[[10, "quantity", "bad-type"]], cells=[[9, "quantity", 90]])
    add("quoted_separators.csv",
        text(['Организация;Адрес;Выручка', '"ООО ""Ромашка""";"г. Алматы; ул. Абая, 1";1 500,25',
              '"АО ""КазМунайГаз""";"г. Астана; пр. Кабанбай батыра, 19";2 750 000,00'], "utf-8"),
        mirrors="A business register extract with quoted names (doubled quotes) and addresses holding both "
                "';' and ','",
        encoding="utf-8", delimiter=";", header_rows=[1],
        columns=[["Организация", "string"], ["Адрес", "string"], ["Выручка", "number"]],
        rows=2, cells=[[1, "Организация", 'ООО "Ромашка"'], [2, "Адрес", "г. Астана; пр. Кабанбай батыра, 19"],
                       [2, "Выручка", 2750000.0]])
    add("cp1252_western.csv",
        text(["Région;Valeur (€);Année", "Île-de-France;1 234,5;2022", "Provence-Alpes-Côte d'Azur;987,0;2022"],
             "cp1252"),
        mirrors="A partner-country (Eurostat-style) CSV in Windows-1252 with accented letters and the euro sign",
        encoding="cp1252", delimiter=";", header_rows=[1],
        columns=[["Région", "string"], ["Valeur (€)", "number"], ["Année", "integer"]],
        rows=2, cells=[[1, "Région", "Île-de-France"], [1, "Valeur (€)", 1234.5]])
    add("latin1_tab.tsv",
        text(["País\tExportación\tAño", "España\t12,5\t2021", "México\t7,25\t2021"], "iso-8859-1"),
        mirrors="An ISO-8859-1 (Latin-1) tab-separated file; read with cp1252, which decodes these letters alike",
        encoding="cp1252", delimiter="\t", header_rows=[1],
        columns=[["País", "string"], ["Exportación", "number"], ["Año", "integer"]],
        rows=2, cells=[[2, "País", "México"], [2, "Exportación", 7.25]])
    add("footnote_years.csv",
        text(["Показатель;2015¹;2016 1);2017*;20182", "Индекс производства;101,2;100,8;102,1;103,5",
              "Индекс цен;112,9;107,1;104,2;102,9", "", "¹ Без учёта сезонной корректировки.",
              "1) Предварительные данные."], "utf-8"),
        mirrors="A Rosstat annual table with footnote marks glued to the years in the header (2015¹, "
                "'2016 1)', 2017*, 20182 = 2018 + note 2) and the notes under the data",
        encoding="utf-8", delimiter=";", header_rows=[1],
        columns=[["Показатель", "string"], ["2015", "number"], ["2016", "number"], ["2017", "number"],
                 ["2018", "number"]],
        rows=2, cells=[[1, "2015", 101.2], [2, "2018", 102.9]],
        extra={"footnotes": {"2015": "¹", "2016": "1)", "2017": "*", "2018": "2"}})
    add("excel_ru_title_and_notes.csv",
        text(["Таблица 3.1. Производство основных видов продукции;;;", "(тысяч тонн);;;", ";;;",
              "Продукция;2021;2022;2023", "Уголь;113 653;117 898;112 700", "Нефть;85 654;84 138;89 895",
              "Цемент;11 852;11 613;12 139", ";;;", "Примечание: данные уточнены;;;",
              "Источник: Бюро национальной статистики;;;"], "cp1251"),
        mirrors="A stat.gov.kz table saved from Excel as CSV (ru-RU): a title and a unit line padded with "
                "';;;', a blank line, the header, space-grouped numbers, then notes padded with ';;;'",
        encoding="cp1251", delimiter=";", header_rows=[4],
        columns=[["Продукция", "string"], ["2021", "integer"], ["2022", "integer"], ["2023", "integer"]],
        rows=3, cells=[[1, "2021", 113653], [3, "2023", 12139]],
        extra={"title": ["Таблица 3.1. Производство основных видов продукции", "(тысяч тонн)"]})
    add("pipe_delimited.txt",
        text(["reporter|partner|year|value_usd", "UZB|RUS|2022|1234567.5", "UZB|CHN|2022|987654.25"], "utf-8"),
        mirrors="A pipe-separated extract from a customs database (State Customs Committee of Uzbekistan style)",
        encoding="utf-8", delimiter="|", header_rows=[1],
        columns=[["reporter", "string"], ["partner", "string"], ["year", "integer"], ["value_usd", "number"]],
        rows=2, cells=[[2, "partner", "CHN"], [1, "value_usd", 1234567.5]])
    add("cp1251_tab.tsv",
        text(["Область\tПлощадь, тыс. км\tЦентр", "Акмолинская\t146 219\tКокшетау", "Алматинская\t105 100\tКонаев"],
             "cp1251"),
        mirrors="A tab-separated export in cp1251 with space-grouped integers and Cyrillic city names",
        encoding="cp1251", delimiter="\t", header_rows=[1],
        columns=[["Область", "string"], ["Площадь, тыс. км", "integer"], ["Центр", "string"]],
        rows=2, cells=[[1, "Площадь, тыс. км", 146219], [2, "Центр", "Конаев"]])
    add("mixed_script_regions.csv",
        text(["Region,Population", "Аktobе,930.4", "Кaragandy,1134.7", "Коstanay,831.9", "Almaty,2228.7"],
             "utf-8"),
        mirrors="English-language region names typed on a Russian keyboard layout, with Cyrillic look-alike "
                "letters hidden in Latin words (as in the Kazakh BNS workbook)",
        encoding="utf-8", delimiter=",", header_rows=[1],
        columns=[["Region", "string"], ["Population", "number"]],
        rows=4, cells=[[1, "Region", "Aktobe"], [2, "Region", "Karagandy"], [3, "Region", "Kostanay"]])


COMTRADE_HEADER = ("typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,"
                   "flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,"
                   "classificationCode,classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,"
                   "isLeaf,customsCode,customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,"
                   "isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,"
                   "grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,"
                   "isReported,isAggregate")


TRADE_COLUMNS = [["year", "integer"], ["exporter", "string"], ["importer", "string"], ["product", "string"],
                 ["hs_revision", "string"], ["value_usd", "number"], ["quantity", "number"], ["unit", "string"]]


def comtrade_row(reporter: tuple[int, str, str], flow: str, partner: tuple[int, str, str], cmd: str,
                 desc: str, value: float) -> str:
    flow_desc = "Export" if flow == "X" else "Import"
    return (f"C,A,20230101,2023,52,2023,{reporter[0]},{reporter[1]},{reporter[2]},{flow},{flow_desc},"
            f"{partner[0]},{partner[1]},{partner[2]},0,W00,World,H6,HS,True,{cmd},\"{desc}\",6,True,C00,"
            f"TOTAL CPC,0,0,TOTAL MOT,8,kg,1000,False,-1,N/A,0,False,1000,False,0,False,,{value},{value},0,"
            "True,False")


def comtrade_files() -> None:
    kaz, uzb = (398, "KAZ", "Kazakhstan"), (860, "UZB", "Uzbekistan")
    chn, rus, world = (156, "CHN", "China"), (643, "RUS", "Russian Federation"), (0, "W00", "World")
    rows = [comtrade_row(kaz, "X", chn, "720241", "Ferro-chromium", 1500.5),
            comtrade_row(kaz, "X", world, "720241", "Ferro-chromium", 9999.0),
            comtrade_row(kaz, "M", rus, "100199", "Wheat and meslin", 250.25),
            comtrade_row(kaz, "M", world, "100199", "Wheat and meslin", 777.0)]
    add("comtrade_plus_world_partner.csv", text([COMTRADE_HEADER, *rows], "utf-8", newline="\n"),
        mirrors="UN Comtrade+ bulk CSV (47 columns) where each flow also has its World (W00) partner row",
        kind="trade", encoding="utf-8", delimiter=",", header_rows=[1],
        columns=TRADE_COLUMNS,
        rows=2, extra={"rows_read": 4, "aggregates": 2})
    rows = [comtrade_row(uzb, "X", rus, "520100", "Cotton, not carded or combed", 320.0),
            comtrade_row(uzb, "X", rus, "TOTAL", "All Commodities", 5000.0),
            comtrade_row(uzb, "X", chn, "520100", "Cotton, not carded or combed", 180.5),
            comtrade_row(uzb, "X", world, "TOTAL", "All Commodities", 9000.0)]
    add("comtrade_plus_total_commodity.csv", text([COMTRADE_HEADER, *rows], "utf-8", newline="\n"),
        mirrors="UN Comtrade+ bulk CSV with TOTAL (all commodities) rows beside the HS6 rows, and a World/TOTAL row",
        kind="trade", encoding="utf-8", delimiter=",", header_rows=[1],
        columns=TRADE_COLUMNS,
        rows=2, extra={"rows_read": 4, "aggregates": 2})


def workbook():
    import openpyxl

    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = STAMP
    return book


def save(book, name: str) -> None:
    import io

    out = io.BytesIO()
    book.save(out)
    FILES[name] = out.getvalue()


def xlsx_files() -> None:
    book = workbook()
    sheet = book.active
    sheet.title = "Таблица 1"
    for row in (["Производство промышленной продукции"], ["(в процентах к предыдущему году)"], [],
                ["Регион", "2021", "2022", "2023"], ["Республика Казахстан", 103.8, 101.1, 104.3],
                ["Абай", "-", "-", 102.5], ["Акмолинская", "101,6", 99.8, 103.2], [],
                ["1) Данные за 2023 год предварительные."], ["Источник: БНС АСПиР РК"]):
        sheet.append(row)
    save(book, "xlsx_title_rows_notes.xlsx")
    add("xlsx_title_rows_notes.xlsx", None,
        mirrors="A stat.gov.kz workbook: title and unit rows above the header, a blank row, '-' for regions "
                "that did not exist yet, a comma decimal stored as text, footnote and source rows below",
        header_rows=[4], columns=[["Регион", "string"], ["2021", "number"], ["2021_status", "string"],
                                  ["2022", "number"], ["2022_status", "string"], ["2023", "number"]],
        rows=3, cells=[[1, "2021", 103.8], [2, "2021_status", "-"], [3, "2021", 101.6], [2, "2023", 102.5]],
        extra={"title": ["Производство промышленной продукции", "(в процентах к предыдущему году)"],
               "notes": ["1) Данные за 2023 год предварительные.", "Источник: БНС АСПиР РК"]})

    book = workbook()
    sheet = book.active
    sheet.title = "Торговля"
    for row in (["Внешняя торговля по странам (млн долларов США)"], ["Страна", "Экспорт", None, "Импорт", None],
                [None, 2022, 2023, 2022, 2023], ["Китай", 13180.4, 14857.9, 12451.3, 15212.0],
                ["Россия", 8894.2, 9136.0, 16894.5, 17400.1]):
        sheet.append(row)
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:E2")
    sheet.merge_cells("A2:A3")
    save(book, "xlsx_merged_header.xlsx")
    add("xlsx_merged_header.xlsx", None,
        mirrors="A customs statistics workbook with a two-row header: 'Экспорт' and 'Импорт' merged over "
                "their years, 'Страна' merged down over both header rows",
        header_rows=[2, 3],
        columns=[["Страна", "string"], ["Экспорт 2022", "number"], ["Экспорт 2023", "number"],
                 ["Импорт 2022", "number"], ["Импорт 2023", "number"]],
        rows=2, cells=[[1, "Экспорт 2023", 14857.9], [2, "Импорт 2022", 16894.5]])

    book = workbook()
    contents = book.active
    contents.title = "Содержание"
    for row in (["Содержание:"], ["1.", "Индексы производства (в % к предыдущему году)"],
                ["2.", "Производство основных видов продукции"], ["Обновлено: 06.02.2026 г."]):
        contents.append(row)
    data = book.create_sheet("1")
    for row in (["К содержанию"], ["Индексы производства по видам деятельности"],
                ["Наименование", "Код ОКВЭД2", "2023", "20241", "20252"], ["Добыча угля", "05", 100.3, 98.7, 97.2],
                ["Добыча нефти", "06", 99.0, 98.9, 100.4], ["1 Уточненные данные.", None, None, None, None],
                ["2 Первая оценка.", None, None, None, None]):
        data.append(row)
    save(book, "xlsx_contents_sheet_first.xlsx")
    add("xlsx_contents_sheet_first.xlsx", None,
        mirrors="A Rosstat workbook whose first sheet is a table of contents; the data sheet has a back-link, "
                "a title, OKVED2 codes with leading zeros and footnote digits glued to the years",
        header_rows=[3],
        columns=[["Наименование", "string"], ["Код ОКВЭД2", "string"], ["2023", "number"], ["2024", "number"],
                 ["2025", "number"]],
        rows=2, cells=[[1, "Код ОКВЭД2", "05"], [2, "2025", 100.4]],
        extra={"sheet": "1", "footnotes": {"2024": "1", "2025": "2"}})

    book = workbook()
    first = book.active
    first.title = "Экспорт"
    for row in (["Товар", "2023"], ["Пшеница", 1200.5], ["Уголь", 800.0]):
        first.append(row)
    second = book.create_sheet("Импорт")
    for row in (["Товар", "2022", "2023"], ["Автомобили", 3200.0, 4100.7], ["Лекарства", 900.1, 950.3],
                ["Оборудование", 5000.0, 5600.2]):
        second.append(row)
    save(book, "xlsx_two_sheets.xlsx")
    add("xlsx_two_sheets.xlsx", None,
        mirrors="A ministry workbook with two data sheets; without --sheet the one with the most numbers is read",
        header_rows=[1], columns=[["Товар", "string"], ["2022", "number"], ["2023", "number"]],
        rows=3, cells=[[1, "2023", 4100.7]], extra={"sheet": "Импорт"})
    add("xlsx_two_sheets_named.xlsx", None,
        mirrors="The same workbook read with --sheet Экспорт (the steward names the sheet)",
        options={"sheet": "Экспорт"}, header_rows=[1], columns=[["Товар", "string"], ["2023", "number"]],
        rows=2, cells=[[1, "2023", 1200.5]], extra={"sheet": "Экспорт", "same_as": "xlsx_two_sheets.xlsx"})

    book = workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in (["Регион", "Год", "Значение"], ["Алматы", 2022, 10.5], [None, 2023, 11.2],
                ["Астана", 2022, 8.1], [None, 2023, 8.9]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("A4:A5")
    save(book, "xlsx_merged_row_labels.xlsx")
    add("xlsx_merged_row_labels.xlsx", None,
        mirrors="A regional table where each region's name is one cell merged down over its years",
        header_rows=[1], columns=[["Регион", "string"], ["Год", "integer"], ["Значение", "number"]],
        rows=4, cells=[[2, "Регион", "Алматы"], [4, "Регион", "Астана"], [4, "Значение", 8.9]])

    book = workbook()
    sheet = book.active
    sheet.title = "年度数据"
    for row in (["表1 各地区粗钢产量"], ["单位：万吨"], ["地区", "2024年", "2023年"], ["河北", 19925.6, 20217.1],
                ["江苏", 12104.2, "…"], ["注：…表示数据暂缺。"]):
        sheet.append(row)
    save(book, "xlsx_cn_years_markers.xlsx")
    add("xlsx_cn_years_markers.xlsx", None,
        mirrors="A provincial yearbook sheet: a title and a unit row, 2024年-style year headers, '…' for "
                "data not yet available, a 注 note under the table",
        header_rows=[3], columns=[["地区", "string"], ["2024", "number"], ["2023", "number"],
                                  ["2023_status", "string"]],
        rows=2, cells=[[2, "2023", None], [2, "2023_status", "…"], [1, "2023", 20217.1]],
        extra={"notes": ["注：…表示数据暂缺。"]})


def ods_bytes(rows: list[list[str | float | None]]) -> bytes:
    """A minimal OpenDocument spreadsheet (LibreOffice's format), written by hand: no writer is installed."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value: str | float | None) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Лист1">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in (("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content),
                           ("META-INF/manifest.xml", manifest)):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ods_files() -> None:
    add("ods_title_and_years.ods", ods_bytes([["Численность населения на начало года, тыс. человек"], [],
                                               ["Область", "2023", "2024"], ["Ташкентская", 3001.2, 3032.5],
                                               ["Самаркандская", 4136.3, 4203.1], ["Источник: Агентство статистики"]]),
        mirrors="An OpenDocument spreadsheet as LibreOffice saves it (used by some ministries): a title row, "
                "a blank row, years as header text, a source line under the data",
        header_rows=[3], columns=[["Область", "string"], ["2023", "number"], ["2024", "number"]],
        rows=2, cells=[[2, "2024", 4203.1]], extra={"notes": ["Источник: Агентство статистики"], "sheet": "Лист1"})


def html_files() -> None:
    page = """<html><head><title>Export Import Data Bank</title></head><body>
<p>Department of Commerce<br>Export :: Country-wise all commodities</p><p>Values in US$ Million</p>
<table border="1"><tr><th>S.No.</th><th>HSCode</th><th>Commodity</th><th>2022-2023</th><th>2023-2024</th>
<th>%Growth</th></tr>
<tr><td>1.</td><td>03</td><td>FISH AND CRUSTACEANS.</td><td>1,234.50</td><td>1,300.25</td><td>5.33</td></tr>
<tr><td>2.</td><td>10</td><td>CEREALS.</td><td>10,987.65</td><td>9,876.54</td><td>-10.11</td></tr>
<tr><td>3.</td><td>27</td><td>MINERAL FUELS.</td><td>&nbsp;</td><td>45.00</td><td>&nbsp;</td></tr>
<tr><td>&nbsp;</td><td>&nbsp;</td><td><b>Total</b></td><td>12,222.15</td><td>11,221.79</td><td>-8.18</td></tr>
<tr><td colspan=3><b>India's Total</b></td><td>451,070.00</td><td>437,060.00</td><td>-3.11</td></tr>
</table></body></html>"""
    add("in_tradestat_page.aspx", page.replace("\n", "\r\n").encode("ascii"),
        mirrors="The Ministry of Commerce tradestat report page as the browser saves it (.aspx): an HTML "
                "table with US-style thousands, &nbsp; cells, a Total row and a colspan=3 'India's Total' row",
        header_rows=[1],
        columns=[["S.No.", "number"], ["HSCode", "string"], ["Commodity", "string"], ["2022-2023", "number"],
                 ["2023-2024", "number"], ["%Growth", "number"]],
        rows=3, cells=[[1, "2022-2023", 1234.5], [2, "2022-2023", 10987.65], [3, "2022-2023", None],
                       [3, "HSCode", "27"]],
        extra={"summary_rows": ["Total", "India's Total"]})


def portal_downloads() -> None:
    add("portal_excel_link_tab.xls", text(["Регион\tОбъём\t2023", "Ташкент\t12,5\t2023", "Самарканд\t7,25\t2023"],
                                          "cp1251"),
        mirrors="What many statistics portals' 'Excel' links serve: tab-separated cp1251 text named .xls",
        encoding="cp1251", delimiter="\t", header_rows=[1],
        columns=[["Регион", "string"], ["Объём", "number"], ["2023", "integer"]],
        rows=2, cells=[[1, "Регион", "Ташкент"], [2, "Объём", 7.25]])
    page = ("<html><head><meta charset=\"utf-8\"></head><body><table><tr><th>Показатель</th><th>2022</th>"
            "<th>2023</th></tr><tr><td>ВВП, млрд сомов</td><td>1 173,0</td><td>1 255,4</td></tr>"
            "<tr><td>Инфляция, %</td><td>14,7</td><td>7,3</td></tr></table></body></html>")
    add("portal_excel_link_html.xls", page.encode("utf-8"),
        mirrors="An HTML table a portal serves as .xls (Excel opens it): space-grouped comma decimals as text",
        encoding="utf-8", header_rows=[1],
        columns=[["Показатель", "string"], ["2022", "number"], ["2023", "number"]],
        rows=2, cells=[[1, "2022", 1173.0], [2, "2023", 7.3]])


def main() -> None:
    csv_files()
    comtrade_files()
    xlsx_files()
    html_files()
    portal_downloads()
    ods_files()
    FILES["xlsx_two_sheets_named.xlsx"] = FILES["xlsx_two_sheets.xlsx"]
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)
    (HERE / "manifest.json").write_text(json.dumps(MANIFEST, ensure_ascii=False, indent=1) + "\n")
    readme = ["# National-office layouts: the ingest corpus", "",
              "Made by `make_corpus.py` (run it to regenerate); expected outcomes in `manifest.json`, asserted "
              "by `tests/ingest/test_national_corpus.py`. Each file mirrors a real layout:", ""]
    readme += [f"- `{name}`: {entry['mirrors']}" for name, entry in MANIFEST.items()]
    (HERE / "README.md").write_text("\n".join(readme) + "\n")


if __name__ == "__main__":
    main()
