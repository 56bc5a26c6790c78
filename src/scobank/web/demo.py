"""Demo step of the portal: the data the home page's "trade among the members over time" chart reads.

It publishes the AGTPA panel (total manufacturing trade between 69 countries, 1986-2006, USD million;
SCOBANK_DATA_DIR/trade-bilateral-aggregate, see its SOURCE.md) as an ordinary public dataset of the bank,
through the one way in (ingest, catalog, policy). Idempotent: an unchanged file finds its version.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from scobank.access import stewardship
from scobank.access.gate import OPERATOR
from scobank.catalog.organisations import create_organisation, list_organisations
from scobank.catalog.schemas import DatasetCreate, OrganisationCreate
from scobank.catalog.versions import publish_version
from scobank.errors import NotFound, ScobankError

AGTPA_SLUG = "agtpa-manufacturing-trade"
AGTPA_FILE = "trade-bilateral-aggregate/agtpa_applications_1986_2006.csv.gz"
ORGANISATION = ("wto-unctad", "INT", {"en": "WTO and UNCTAD (Advanced Guide to Trade Policy Analysis)",
                                      "ru": "ВТО и ЮНКТАД (Руководство по анализу торговой политики)",
                                      "zh": "世界贸易组织和联合国贸发会议（贸易政策分析高级指南）"})
AGTPA = DatasetCreate(
    slug=AGTPA_SLUG, organisation=ORGANISATION[0], kind="table",
    title={"en": "Manufacturing trade between 69 countries, 1986-2006",
           "ru": "Торговля промышленными товарами между 69 странами, 1986–2006",
           "zh": "69个国家之间的制成品贸易（1986—2006年）"},
    description={"en": "Bilateral manufacturing trade in USD million (domestic flows included), with distance "
                       "and trade-agreement indicators: the panel of the WTO/UNCTAD Advanced Guide to Trade "
                       "Policy Analysis (Yotov et al. 2016).",
                 "ru": "Двусторонняя торговля промышленными товарами, млн долл. США (включая внутренние "
                       "потоки), с расстояниями и признаками торговых соглашений: панель руководства ВТО/ЮНКТАД.",
                 "zh": "双边制成品贸易（百万美元，含国内流量），附距离和贸易协定指标：世贸组织/贸发会议"
                       "《贸易政策分析高级指南》面板数据。"},
    keywords={"en": ["trade", "gravity", "manufacturing"], "ru": ["торговля", "гравитационная модель"],
              "zh": ["贸易", "引力模型", "制造业"]},
    themes=["trade"], license="CC-BY-4.0", temporal_start=1986, temporal_end=2006,
    source_note=f"SCOBANK_DATA_DIR/{AGTPA_FILE} (R package tradepolicy 0.8.0; see SOURCE.md)")


def populate(session: Session, *, data_dir: Path | None) -> list[str]:
    """The AGTPA panel as a public dataset (nothing without the data folder)."""
    if data_dir is None or not (data_dir / AGTPA_FILE).is_file():
        return [f"dataset {AGTPA_SLUG}: not loaded (no {AGTPA_FILE} in the data folder)"]
    if ORGANISATION[0] not in {o.slug for o in list_organisations(session)}:
        create_organisation(session, data=OrganisationCreate(slug=ORGANISATION[0], party=ORGANISATION[1],
                                                             names=ORGANISATION[2]), actor=OPERATOR)
    try:
        with session.begin_nested():
            new = None
            try:
                from scobank.catalog.datasets import find_dataset

                find_dataset(session, AGTPA_SLUG)
            except NotFound:
                new = AGTPA
            result = publish_version(session, dataset=AGTPA_SLUG, source=data_dir / AGTPA_FILE, actor=OPERATOR,
                                     kind="table", source_name=Path(AGTPA_FILE).name, new_dataset=new)
            stewardship.set_policy(session, reader=OPERATOR, slug=AGTPA_SLUG, document={"audience": "public"})
    except ScobankError as exc:
        return [f"dataset {AGTPA_SLUG}: not loaded ({exc.message})"]
    v = result.version
    return [f"dataset {AGTPA_SLUG}: version {v.number}, {v.row_count:,} rows"
            + ("" if result.created else ", already there")]
