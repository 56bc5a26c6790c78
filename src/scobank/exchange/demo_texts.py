"""Text templates of the generated demonstration listings, in en/ru/zh. Product names come from the
reference HS nomenclature (English, and Russian TN VED headings where present); Chinese uses the chapter
names below (our own translation, no Chinese HS text being available offline)."""

from __future__ import annotations

CHAPTERS_ZH = {
    "03": "鱼及水产品", "07": "蔬菜", "08": "水果及坚果", "09": "茶叶及香料", "10": "谷物", "15": "动植物油脂",
    "17": "糖及糖食", "22": "饮料", "25": "盐、硫磺、石料及水泥", "26": "矿砂", "27": "矿物燃料", "28": "无机化学品",
    "29": "有机化学品", "30": "药品", "31": "肥料", "32": "染料及涂料", "38": "杂项化学产品", "39": "塑料及其制品",
    "40": "橡胶及其制品", "41": "生皮及皮革", "44": "木材及木制品", "48": "纸及纸板", "50": "蚕丝", "51": "羊毛",
    "52": "棉花", "54": "化学纤维长丝", "55": "化学纤维短纤", "57": "地毯", "61": "针织服装", "62": "非针织服装",
    "63": "其他纺织制成品", "64": "鞋类", "68": "石料制品", "69": "陶瓷产品", "70": "玻璃及其制品", "71": "珠宝及贵金属",
    "72": "钢铁", "73": "钢铁制品", "74": "铜及其制品", "75": "镍及其制品", "76": "铝及其制品", "78": "铅",
    "79": "锌", "81": "其他贱金属", "82": "工具", "84": "机械设备", "85": "电机电气设备", "86": "铁道机车车辆",
    "87": "车辆及零件", "88": "航空器", "89": "船舶", "90": "光学及医疗仪器", "94": "家具", "95": "玩具",
}

TITLES = {
    "product_offer": ("Offer: {en}", "Предложение: {ru}", "供应：{zh}"),
    "product_request": ("Import substitution need: {en}", "Потребность (импортозамещение): {ru}",
                        "进口替代需求：{zh}"),
    "capacity_offer": ("Free capacity: {en}", "Свободные мощности: {ru}", "闲置产能：{zh}"),
    "technology_offer": ("Technology for transfer: {en}", "Технология для передачи: {ru}", "可转让技术：{zh}"),
    "technology_request": ("Technology sought: {en}", "Ищем технологию: {ru}", "寻求技术：{zh}"),
    "project": ("Joint project, partners wanted: {en}", "Совместный проект, ищем партнёров: {ru}",
                "合作项目，寻找合作伙伴：{zh}"),
}
DESCRIPTIONS = {
    "product_offer": ("Regular supply for industrial buyers; documents and samples on request.",
                      "Регулярные поставки промышленным покупателям; документы и образцы по запросу.",
                      "面向工业买家的稳定供应；可按要求提供文件和样品。"),
    "product_request": ("We import this today and look for a supplier within the SCO.",
                        "Сейчас импортируем эту продукцию и ищем поставщика в странах ШОС.",
                        "目前依赖进口，正在上合组织成员国内寻找供应商。"),
    "capacity_offer": ("Idle equipment and trained staff available for contract manufacturing.",
                       "Свободное оборудование и обученный персонал для контрактного производства.",
                       "可提供闲置设备和熟练员工进行代工生产。"),
    "technology_offer": ("Proven process, documentation and training for licensees.",
                         "Отработанная технология, документация и обучение для лицензиатов.",
                         "成熟工艺，为被许可方提供文件和培训。"),
    "technology_request": ("Looking for a licence or joint development to localise production.",
                           "Ищем лицензию или совместную разработку для локализации производства.",
                           "寻求许可或联合开发以实现本地化生产。"),
    "project": ("A new plant; we look for partners supplying inputs and equipment.",
                "Новое производство; ищем партнёров для поставок сырья и оборудования.",
                "新建工厂；寻找原材料和设备供应合作伙伴。"),
}
PROCESSES = [  # (chapters, en, ru, zh)
    (range(72, 84), "metal forming and machining", "металлообработка и механическая обработка", "金属成型与机械加工"),
    (range(84, 93), "assembly of machinery and electrical equipment", "сборка машин и электрооборудования",
     "机械及电气设备装配"),
    (range(50, 68), "spinning, weaving and sewing", "прядение, ткачество и пошив", "纺纱、织造和缝制"),
    (range(25, 41), "chemical processing and plastics moulding", "химическая переработка и литьё пластмасс",
     "化工加工与塑料成型"),
    (range(1, 25), "food processing and packaging", "переработка и упаковка пищевой продукции", "食品加工与包装"),
]
GENERAL_PROCESS = ("contract manufacturing", "контрактное производство", "代工生产")


def process_for(chapter: str) -> tuple[str, str, str]:
    for chapters, en, ru, zh in PROCESSES:
        if int(chapter) in chapters:
            return en, ru, zh
    return GENERAL_PROCESS


def texts(kind: str, *, en: str, ru: str, zh: str) -> tuple[dict, dict]:
    """(title, description) language maps for a generated listing."""
    t_en, t_ru, t_zh = TITLES[kind]
    d_en, d_ru, d_zh = DESCRIPTIONS[kind]
    title = {"en": t_en.format(en=en), "ru": t_ru.format(ru=ru), "zh": t_zh.format(zh=zh)}
    return title, {"en": d_en, "ru": d_ru, "zh": d_zh}
