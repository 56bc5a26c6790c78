"""Demo step: the organisations that published the real data in SCOBANK_DATA_DIR, and that data as
versioned datasets of theirs, published through the one way in (ingest) like any steward's file.

Without the data folder it publishes a small generated demonstration world instead, labelled as
generated in its title, description and source note. Idempotent: organisations and datasets are
created once, and re-publishing an unchanged file finds the existing version.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.gate import OPERATOR
from scobank.catalog.models import Dataset, Organisation
from scobank.catalog.organisations import create_organisation
from scobank.catalog.schemas import DatasetCreate, OrganisationCreate
from scobank.catalog.versions import publish_version
from scobank.errors import ScobankError

ORGANISATIONS = (
    ("oecd", "INT", {"en": "OECD", "ru": "ОЭСР", "zh": "经济合作与发展组织"}),
    ("cepii", "FRA", {"en": "CEPII", "ru": "СЕПИИ (CEPII)", "zh": "法国国际经济研究中心"}),
    ("world-bank", "INT", {"en": "World Bank", "ru": "Всемирный банк", "zh": "世界银行"}),
    ("imf", "INT", {"en": "International Monetary Fund", "ru": "Международный валютный фонд",
                    "zh": "国际货币基金组织"}),
    ("growth-lab", "USA", {"en": "Harvard Growth Lab", "ru": "Гарвардская лаборатория роста",
                           "zh": "哈佛大学增长实验室"}),
    ("sco-demo", "INT", {"en": "SCO Data Bank demonstration (generated data)",
                         "ru": "Демонстрация Банка данных ШОС (сгенерированные данные)",
                         "zh": "上合组织数据库演示（生成数据）"}),
    ("fred", "USA", {"en": "Federal Reserve Bank of St. Louis (FRED)", "ru": "ФРБ Сент-Луиса (FRED)",
                     "zh": "圣路易斯联邦储备银行 (FRED)"}),
)


@dataclass(frozen=True)
class DemoDataset:
    slug: str
    organisation: str
    path: str  # inside SCOBANK_DATA_DIR
    title: dict[str, str]
    description: dict[str, str]
    kind: str = "table"
    classification: str | None = None
    license: str | None = None
    themes: list[str] = field(default_factory=list)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    temporal: tuple[int | None, int | None] = (None, None)


DATASETS = (
    DemoDataset(
        "baci-hs17-2020-afg-zaf", "cepii", "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz",
        {"en": "BACI bilateral trade, HS 2017, 2020: exports of Afghanistan and South Africa",
         "ru": "BACI, двусторонняя торговля, ГС 2017, 2020: экспорт Афганистана и ЮАР",
         "zh": "BACI 双边贸易（HS 2017，2020年）：阿富汗和南非的出口"},
        {"en": "Every HS6 export flow of two exporters to every partner (CEPII BACI, value in USD).",
         "ru": "Все экспортные потоки двух экспортёров по шестизначным кодам ГС (CEPII BACI, стоимость в долл. США).",
         "zh": "两个出口国对所有伙伴的全部HS六位出口流量（CEPII BACI，美元）。"},
        kind="trade", classification="HS17", license="CEPII BACI terms (free use with citation)",
        themes=["trade"], keywords={"en": ["trade", "exports"], "ru": ["торговля", "экспорт"], "zh": ["贸易", "出口"]},
        temporal=(2020, 2020)),
    DemoDataset(
        "baci-hs92-2021-afg-zaf", "cepii", "trade-baci-samples/baci_2021_exporters_AFG_ZAF.csv.gz",
        {"en": "BACI bilateral trade, HS 1992, 2021: exports of Afghanistan and South Africa",
         "ru": "BACI, двусторонняя торговля, ГС 1992, 2021: экспорт Афганистана и ЮАР",
         "zh": "BACI 双边贸易（HS 1992，2021年）：阿富汗和南非的出口"},
        {"en": "Every HS6 export flow of two exporters to every partner (CEPII BACI, value in USD).",
         "ru": "Все экспортные потоки двух экспортёров по шестизначным кодам ГС.",
         "zh": "两个出口国的全部HS六位出口流量。"},
        kind="trade", classification="HS92", license="MIT (package); CEPII BACI terms", themes=["trade"],
        temporal=(2021, 2021)),
    DemoDataset(
        "icio-2022-intermediate", "oecd", "icio-oecd-2022-intermediate/icio2022_interm_exporter_sector_to_importer.parquet",
        {"en": "Inter-country input-output 2022: intermediate flows by exporter sector and importer",
         "ru": "Межстрановые таблицы «затраты-выпуск» 2022: промежуточные потоки по отраслям экспортёра",
         "zh": "2022年国家间投入产出表：按出口部门和进口国的中间品流量"},
        {"en": "OECD ICIO 2025 release, year 2022, 50 industries of 80 economies.",
         "ru": "ОЭСР ICIO, выпуск 2025, 2022 год, 50 отраслей 80 экономик.",
         "zh": "经合组织ICIO 2025版，2022年，80个经济体的50个行业。"},
        license="OECD terms and conditions", themes=["input-output", "industry"], temporal=(2022, 2022)),
    DemoDataset(
        "exports-sitc2-1998-2000", "growth-lab", "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz",
        {"en": "Exports by country and SITC2 product, 1998–2000 average",
         "ru": "Экспорт по странам и товарам МСТК-2, среднее за 1998–2000",
         "zh": "按国家和SITC2产品分列的出口（1998–2000年平均）"},
        {"en": "226 countries, exports to the world by SITC rev. 2 four-digit product, year-2000 USD.",
         "ru": "226 стран, экспорт по четырёхзначным товарам МСТК-2, долл. США 2000 г.",
         "zh": "226个国家按SITC第2版四位产品的对世界出口，2000年美元。"},
        classification="SITC2", license="Apache-2.0 (economiccomplexity package)", themes=["trade", "complexity"],
        temporal=(1998, 2000)),
    DemoDataset(
        "gravity-geodist", "cepii", "gravity-geodist/geo_dist.csv.gz",
        {"en": "GeoDist: bilateral distances, contiguity and common language",
         "ru": "GeoDist: расстояния между странами, общие границы и общий язык",
         "zh": "GeoDist：双边距离、接壤与共同语言"},
        {"en": "CEPII GeoDist for 224 countries (Mayer & Zignago 2011).",
         "ru": "CEPII GeoDist для 224 стран.", "zh": "CEPII GeoDist，224个国家。"},
        license="CEPII terms (redistributed under Apache-2.0 by the Growth Lab)", themes=["geography", "trade"]),
    DemoDataset(
        "macro-wdi", "world-bank", "macro-wdi-imf/atlas_wdi_data.parquet",
        {"en": "GDP, population and goods trade by country and year (WDI)",
         "ru": "ВВП, население и торговля товарами по странам и годам (WDI)",
         "zh": "按国家和年份的GDP、人口和货物贸易（WDI）"},
        {"en": "World Development Indicators, 210 countries, 1960–2024.",
         "ru": "Показатели мирового развития, 210 стран, 1960–2024.", "zh": "世界发展指标，210个国家，1960–2024年。"},
        license="CC-BY-4.0", themes=["macroeconomy"], temporal=(1960, 2024)),
    DemoDataset(
        "macro-weo", "imf", "macro-wdi-imf/atlas_imf_data.parquet",
        {"en": "GDP and population by country and year (IMF WEO)",
         "ru": "ВВП и население по странам и годам (МВФ, WEO)", "zh": "按国家和年份的GDP和人口（IMF WEO）"},
        {"en": "World Economic Outlook, 193 countries, 1980–2024 (latest years are projections).",
         "ru": "Перспективы мировой экономики, 193 страны, 1980–2024 (последние годы — прогноз).",
         "zh": "世界经济展望，193个国家，1980–2024年（最近年份为预测）。"},
        license="IMF terms", themes=["macroeconomy"], temporal=(1980, 2024)),
    DemoDataset(
        "usd-exchange-rates", "fred", "exchange-rates/fred_annual_datahub.csv",
        {"en": "US dollar exchange rates, annual", "ru": "Курсы доллара США, годовые", "zh": "美元汇率（年度）"},
        {"en": "FRED annual rates for 35 currencies, 1971–2025.", "ru": "Годовые курсы FRED для 35 валют.",
         "zh": "FRED 35种货币的年度汇率。"},
        license="ODC-PDDL", themes=["finance"], temporal=(1971, 2025)),
)


def populate(session: Session, *, data_dir: Path | None) -> list[str]:
    """Organisations and datasets of the real data (or of a labelled generated world without it)."""
    _organisations(session)
    if data_dir is None:
        return _generated_world(session)
    lines = []
    for spec in DATASETS:
        lines.append(_publish(session, spec, data_dir / spec.path))
    return lines


def _organisations(session: Session) -> None:
    for slug, party, names in ORGANISATIONS:
        if session.scalar(select(Organisation.id).where(Organisation.slug == slug)) is None:
            create_organisation(session, data=OrganisationCreate(slug=slug, party=party, names=names),
                                actor=OPERATOR)


def _publish(session: Session, spec: DemoDataset, path: Path, *, source_note: str | None = None) -> str:
    new = None
    if session.scalar(select(Dataset.id).where(Dataset.slug == spec.slug)) is None:
        new = DatasetCreate(slug=spec.slug, organisation=spec.organisation, kind=spec.kind, title=spec.title,
                            description=spec.description, keywords=spec.keywords, themes=spec.themes,
                            license=spec.license, classification=spec.classification,
                            temporal_start=spec.temporal[0], temporal_end=spec.temporal[1],
                            source_note=source_note or f"SCOBANK_DATA_DIR/{spec.path} (see its SOURCE.md)")
    try:
        with session.begin_nested():
            result = publish_version(session, dataset=spec.slug, source=path, actor=OPERATOR, kind=spec.kind,
                                     hs_revision=spec.classification if spec.kind == "trade" else None,
                                     source_name=path.name, new_dataset=new)
    except ScobankError as exc:
        return f"dataset {spec.slug}: not loaded ({exc.message})"
    v = result.version
    state = "published" if result.created else "already there"
    return f"dataset {spec.slug} ({spec.organisation}): version {v.number}, {v.row_count:,} rows, {state}"


def _generated_world(session: Session) -> list[str]:
    """A small trade table of the members, clearly labelled generated (no real data folder)."""
    import random

    from scobank.reference.lookup import hs_table

    rng = random.Random(2001)
    members = ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"]
    codes = [c for c in hs_table(session, "HS17").to_pylist() if c["level"] == 6][::40]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated_trade.csv"
        with path.open("w") as out:
            out.write("year,exporter,importer,product,value_usd\n")
            for year in (2020, 2021, 2022):
                for exporter in members:
                    for importer in (m for m in members if m != exporter):
                        for code in rng.sample(codes, 12):
                            out.write(f"{year},{exporter},{importer},{code['code']},{rng.randint(1000, 9_000_000)}\n")
        spec = DemoDataset(
            "generated-member-trade", "sco-demo", "", kind="trade", classification="HS17",
            title={"en": "Generated demonstration trade between members (generated)",
                   "ru": "Сгенерированная демонстрационная торговля членов (сгенерировано)",
                   "zh": "生成的成员国演示贸易数据（生成）"},
            description={"en": "GENERATED, not real: random flows for a demonstration without SCOBANK_DATA_DIR.",
                         "ru": "СГЕНЕРИРОВАНО, не реальные данные.", "zh": "生成的数据，并非真实数据。"},
            themes=["trade", "generated"], temporal=(2020, 2022))
        return [_publish(session, spec, path, source_note="generated demonstration data (not real)")]
