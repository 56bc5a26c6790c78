"""Text templates of the generated demonstration listings, in en/ru/zh. Product names come from the
bank's HS 2022 nomenclature in each language (English; Russian TN VED names; Chinese names derived from
China Customs' 2022 items, or the tariff's chapter titles): the title and the description of a listing
name its HS code's product in every language, so the three agree with each other and with the code.
CHAPTERS_ZH is the last resort for a chapter the Chinese data does not name.
"""

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
    "capacity_request": ("Contract manufacturing wanted: {en}", "Ищем контрактное производство: {ru}",
                         "寻求代工生产：{zh}"),
    "product_request": ("Import substitution need: {en}", "Потребность (импортозамещение): {ru}",
                        "进口替代需求：{zh}"),
    "capacity_offer": ("Free capacity: {en}", "Свободные мощности: {ru}", "闲置产能：{zh}"),
    "technology_offer": ("Technology for transfer: {en}", "Технология для передачи: {ru}", "可转让技术：{zh}"),
    "technology_request": ("Technology sought: {en}", "Ищем технологию: {ru}", "寻求技术：{zh}"),
    "project": ("Joint project, partners wanted: {en}", "Совместный проект, ищем партнёров: {ru}",
                "合作项目，寻找合作伙伴：{zh}"),
}
DESCRIPTIONS = {  # {product}: the HS name of the listing's code; {process}: the work, for capacity
    "product_offer": ("{product}: regular supply for industrial buyers; documents and samples on request.",
                      "{product}: регулярные поставки промышленным покупателям; документы и образцы по запросу.",
                      "{product}：面向工业买家的稳定供应；可按要求提供文件和样品。"),
    "product_request": ("We import {product} today and look for a supplier within the SCO.",
                        "Сейчас импортируем эту продукцию ({product}) и ищем поставщика в странах ШОС.",
                        "{product}目前依赖进口，正在上合组织成员国内寻找供应商。"),
    "capacity_offer": ("Idle equipment and trained staff for {process}, making {product}, available for "
                       "contract manufacturing.",
                       "Свободное оборудование и обученный персонал ({process}) для контрактного производства: "
                       "{product}.",
                       "可提供{process}的闲置设备和熟练员工，代工生产{product}。"),
    "capacity_request": ("We look for a plant with free capacity for {process} to make {product} for us.",
                         "Ищем предприятие со свободными мощностями ({process}) для выпуска продукции: {product}.",
                         "寻找具备{process}闲置产能的工厂，为我们生产{product}。"),
    "technology_offer": ("Proven process for {product}: documentation and training for licensees.",
                         "Отработанная технология ({product}): документация и обучение для лицензиатов.",
                         "{product}的成熟工艺，为被许可方提供文件和培训。"),
    "technology_request": ("Looking for a licence or joint development to localise production of {product}.",
                           "Ищем лицензию или совместную разработку для локализации производства: {product}.",
                           "寻求许可或联合开发，以实现{product}的本地化生产。"),
    "project": ("A new plant; we look for partners supplying {product}, and equipment.",
                "Новое производство; ищем партнёров для поставок сырья ({product}) и оборудования.",
                "新建工厂；寻找{product}及设备的供应合作伙伴。"),
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


def texts(kind: str, product: tuple[str, str, str], process: tuple[str, str, str] | None = None,
          shown: tuple[str, str, str] | None = None) -> tuple[dict, dict]:
    """(title, description) language maps for a generated listing about `product` (its HS name in
    en/ru/zh); `shown` is what the title names when not the product itself (a capacity's process)."""
    shown = shown or product
    process = process or GENERAL_PROCESS
    title = {lang: template.format(**{lang: name}) for lang, template, name
             in zip(("en", "ru", "zh"), TITLES[kind], shown, strict=True)}
    description = {lang: template.format(product=name, process=work) for lang, template, name, work
                   in zip(("en", "ru", "zh"), DESCRIPTIONS[kind], product, process, strict=True)}
    return title, description
