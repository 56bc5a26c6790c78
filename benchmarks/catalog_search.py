"""Catalog search over N generated datasets with metadata in en/ru/zh: latency of search_datasets
(results + total + all facets) for a mix of one- and two-word queries in the three languages, with and
without a facet filter; side by side with the naive peer, a LIKE '%word%' scan over the metadata JSON.

    PYTHONPATH=src python benchmarks/catalog_search.py [--datasets 100000] [--queries 200]

Builds a throwaway bank in a temp folder (SQLite), indexes through catalog.search.index_datasets.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

PRODUCTS = [  # (en, ru forms, zh)
    ("steel", ["сталь", "стали", "сталью"], "钢铁"), ("rolled steel", ["прокат", "проката", "прокатом"], "钢材"),
    ("copper", ["медь", "меди"], "铜"), ("cotton", ["хлопок", "хлопка"], "棉花"),
    ("wheat", ["пшеница", "пшеницы"], "小麦"), ("crude oil", ["нефть", "нефти"], "原油"),
    ("natural gas", ["газ", "газа"], "天然气"), ("fertilisers", ["удобрения", "удобрений"], "化肥"),
    ("machinery", ["машины", "машин"], "机械"), ("vehicles", ["автомобили", "автомобилей"], "汽车"),
    ("electronics", ["электроника", "электроники"], "电子产品"), ("textiles", ["текстиль", "текстиля"], "纺织品"),
    ("aluminium", ["алюминий", "алюминия"], "铝"), ("coal", ["уголь", "угля"], "煤炭"),
    ("chemicals", ["химикаты", "химикатов"], "化学品"), ("medicines", ["лекарства", "лекарств"], "药品"),
    ("cement", ["цемент", "цемента"], "水泥"), ("timber", ["древесина", "древесины"], "木材"),
    ("fish", ["рыба", "рыбы"], "鱼类"), ("fruit", ["фрукты", "фруктов"], "水果"),
    ("uranium", ["уран", "урана"], "铀"), ("gold", ["золото", "золота"], "黄金"),
    ("paper", ["бумага", "бумаги"], "纸张"), ("glass", ["стекло", "стекла"], "玻璃"),
    ("tyres", ["шины", "шин"], "轮胎"), ("furniture", ["мебель", "мебели"], "家具"),
    ("footwear", ["обувь", "обуви"], "鞋类"), ("silk", ["шелк", "шелка"], "丝绸"),
    ("tea", ["чай", "чая"], "茶叶"), ("rice", ["рис", "риса"], "大米"),
    ("plastics", ["пластмассы", "пластмасс"], "塑料"), ("tractors", ["тракторы", "тракторов"], "拖拉机"),
    ("locomotives", ["локомотивы", "локомотивов"], "机车"), ("solar panels", ["солнечные панели", "солнечных панелей"], "太阳能电池板"),
    ("batteries", ["аккумуляторы", "аккумуляторов"], "电池"), ("ships", ["суда", "судов"], "船舶"),
    ("aircraft", ["самолеты", "самолетов"], "飞机"), ("zinc", ["цинк", "цинка"], "锌"),
    ("potash", ["калий", "калия"], "钾肥"), ("wool", ["шерсть", "шерсти"], "羊毛"),
]
MEASURES = [
    ("exports", "Экспорт", "出口"), ("imports", "Импорт", "进口"), ("production", "Производство", "产量"),
    ("prices", "Цены", "价格"), ("capacity", "Мощности", "产能"), ("investment", "Инвестиции", "投资"),
    ("employment", "Занятость", "就业"), ("tariffs", "Тарифы", "关税"),
]
THEMES = ["trade", "industry", "energy", "agriculture", "prices", "investment", "transport", "finance"]
LICENSES = ["CC-BY-4.0", "PDDL-1.0", "OECD-terms", "national-open"]
PARTIES = ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"]


def generate(session, n: int, rng: random.Random) -> None:
    from sqlalchemy import insert

    from scobank.catalog.models import Dataset, Organisation

    orgs = [{"slug": f"agency-{p.lower()}-{i}", "party": p, "names": {"en": f"Agency {i} of {p}"}}
            for p in PARTIES for i in range(5)]
    session.execute(insert(Organisation), orgs)
    org_ids = list(range(1, len(orgs) + 1))
    rows = []
    for k in range(n):
        en, ru_forms, zh = rng.choice(PRODUCTS)
        m_en, m_ru, m_zh = rng.choice(MEASURES)
        start = rng.randint(1995, 2022)
        rows.append({
            "slug": f"ds-{k}", "organisation_id": rng.choice(org_ids), "kind": "table",
            "title": {"en": f"{m_en.capitalize()} of {en}, {start}", "ru": f"{m_ru} {rng.choice(ru_forms[1:] or ru_forms)}",
                      "zh": f"{zh}{m_zh}统计"},
            "description": {"en": f"Annual {m_en} of {en} by partner country and region, series {k}",
                            "ru": f"Годовые данные: {m_ru.lower()} {rng.choice(ru_forms)} по странам",
                            "zh": f"按伙伴国家和地区划分的{zh}年度{m_zh}数据"},
            "keywords": {"en": [en, m_en], "ru": [ru_forms[0]], "zh": [zh]},
            "themes": rng.sample(THEMES, 2), "license": rng.choice(LICENSES),
            "classification": rng.choice(["HS17", "HS22", None]),
            "temporal_start": start, "temporal_end": min(2025, start + rng.randint(0, 12)),
            "spatial": rng.sample(PARTIES, 2),
        })
    for i in range(0, n, 5000):
        session.execute(insert(Dataset), rows[i:i + 5000])


def queries(rng: random.Random, count: int) -> list[tuple[str, dict]]:
    out = []
    for _ in range(count):
        en, ru_forms, zh = rng.choice(PRODUCTS)
        m_en, m_ru, m_zh = rng.choice(MEASURES)
        q = rng.choice([en, rng.choice(ru_forms), zh, f"{m_en} {en}", f"{m_ru} {ru_forms[-1]}", f"{zh}{m_zh}", m_en])
        filters = rng.choice([{}, {}, {"party": rng.choice(PARTIES)}, {"year_from": 2010, "year_to": 2015}])
        out.append((q, filters))
    return out


def like_peer(session, q: str) -> int:
    """The naive peer: every word as a LIKE '%word%' over title/description/keywords JSON text."""
    from sqlalchemy import String, and_, cast, func, or_, select

    from scobank.catalog.models import Dataset

    conds = []
    for word in q.split():
        pattern = f"%{word}%"
        conds.append(or_(*(cast(col, String).like(pattern) for col in (Dataset.title, Dataset.description, Dataset.keywords))))
    return session.scalar(select(func.count()).select_from(Dataset).where(and_(*conds)))


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--home", type=Path, help="Reuse the bank built by an earlier run in this folder.")
    args = parser.parse_args()
    reuse = args.home is not None and (args.home / "bank.db").is_file()
    home = args.home or Path(tempfile.mkdtemp(prefix="scobank-search-bench-"))
    os.environ["SCOBANK_HOME"] = str(home)
    os.environ.pop("SCOBANK_DATABASE_URL", None)
    from sqlalchemy import func, select

    from scobank.access.reader import OPERATOR
    from scobank.bank import init_bank
    from scobank.catalog.models import Dataset, DatasetSearchTerm
    from scobank.catalog.search import index_datasets, search_datasets
    from scobank.db import session_scope

    init_bank()
    from sqlalchemy import event

    from scobank.db import get_engine

    @event.listens_for(get_engine(), "connect")
    def _bigger_page_cache(dbapi_connection, _record) -> None:  # bulk index build: 400 MB page cache
        dbapi_connection.execute("PRAGMA cache_size=-400000")

    get_engine().dispose()
    rng = random.Random(7)
    if reuse:
        with session_scope() as s:
            args.datasets = s.scalar(select(func.count()).select_from(Dataset))
            terms = s.scalar(select(func.count()).select_from(DatasetSearchTerm))
        print(f"reusing {home}: {args.datasets} datasets, {terms} terms")
    else:
        t0 = time.perf_counter()
        with session_scope() as s:
            generate(s, args.datasets, rng)
        t1 = time.perf_counter()
        with session_scope() as s:
            index_datasets(s, s.scalars(select(Dataset).execution_options(yield_per=5000)), batch=5000)
            terms = s.scalar(select(func.count()).select_from(DatasetSearchTerm))
        t2 = time.perf_counter()
        print(f"generated {args.datasets} datasets in {t1 - t0:.1f}s; indexed {terms} terms in {t2 - t1:.1f}s")
    from scobank.access.reader import ANONYMOUS
    from scobank.access.policies import set_party_default

    with session_scope() as s:  # every party opens its datasets to everyone: anonymous sees the catalog
        for party in PARTIES:
            set_party_default(s, party=party, document={"audience": "public"}, actor="benchmark")
    ours, peer, totals, anonymous = [], [], [], []
    with session_scope() as s:
        start = time.perf_counter()
        search_datasets(s, reader=OPERATOR, q="steel")  # the first search after a change builds the facet table
        print(f"first search (builds the facet table of {args.datasets} datasets): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        for q, filters in queries(rng, args.queries):
            start = time.perf_counter()
            result = search_datasets(s, reader=OPERATOR, q=q, **filters)
            ours.append((time.perf_counter() - start) * 1000)
            totals.append(result.total)
        for q, filters in queries(random.Random(5), max(10, args.queries // 3)):
            start = time.perf_counter()
            search_datasets(s, reader=ANONYMOUS, q=q, **filters)
            anonymous.append((time.perf_counter() - start) * 1000)
        for q, _ in queries(random.Random(11), max(10, args.queries // 10)):
            start = time.perf_counter()
            like_peer(s, q)
            peer.append((time.perf_counter() - start) * 1000)
    print(f"search_datasets over {args.datasets}: p50 {statistics.median(ours):.1f} ms, "
          f"p95 {percentile(ours, 95):.1f} ms, max {max(ours):.1f} ms; "
          f"median hits {statistics.median(totals):.0f}, max hits {max(totals)}")
    print(f"same, anonymous reader (visibility by the parties' public default policies, in SQL): "
          f"p50 {statistics.median(anonymous):.1f} ms, p95 {percentile(anonymous, 95):.1f} ms")
    print(f"peer LIKE scan (no facets): p50 {statistics.median(peer):.1f} ms, p95 {percentile(peer, 95):.1f} ms; "
          f"ratio p50 peer/ours {statistics.median(peer) / statistics.median(ours):.1f}x")


if __name__ == "__main__":
    main()
