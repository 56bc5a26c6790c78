"""Real regions and cities of the SCO members, with coordinates (WGS84, city centres), for the
generated demonstration enterprises; and each member's working language for the text it writes."""

from __future__ import annotations

# party -> [(region, city, lat, lon)]
CITIES: dict[str, list[tuple[str, str, float, float]]] = {
    "CHN": [("Beijing", "Beijing", 39.9042, 116.4074), ("Shanghai", "Shanghai", 31.2304, 121.4737),
            ("Guangdong", "Shenzhen", 22.5431, 114.0579), ("Xinjiang", "Urumqi", 43.8256, 87.6168),
            ("Sichuan", "Chengdu", 30.5728, 104.0668)],
    "RUS": [("Moscow", "Moscow", 55.7558, 37.6173), ("Sverdlovsk Oblast", "Yekaterinburg", 56.8389, 60.6057),
            ("Tatarstan", "Kazan", 55.7961, 49.1064), ("Novosibirsk Oblast", "Novosibirsk", 55.0084, 82.9357),
            ("Chelyabinsk Oblast", "Chelyabinsk", 55.1644, 61.4368)],
    "KAZ": [("Almaty", "Almaty", 43.2389, 76.8897), ("Astana", "Astana", 51.1694, 71.4491),
            ("Karaganda Region", "Karaganda", 49.8047, 73.1094), ("Atyrau Region", "Atyrau", 47.0945, 51.9238),
            ("East Kazakhstan Region", "Oskemen", 49.9483, 82.6279)],
    "KGZ": [("Bishkek", "Bishkek", 42.8746, 74.5698), ("Osh Region", "Osh", 40.5283, 72.7985),
            ("Chuy Region", "Kant", 42.8911, 74.8508)],
    "TJK": [("Dushanbe", "Dushanbe", 38.5598, 68.7870), ("Sughd Region", "Khujand", 40.2826, 69.6222),
            ("Khatlon Region", "Bokhtar", 37.8364, 68.7806)],
    "UZB": [("Tashkent", "Tashkent", 41.2995, 69.2401), ("Samarkand Region", "Samarkand", 39.6270, 66.9750),
            ("Fergana Region", "Fergana", 40.3894, 71.7843), ("Navoiy Region", "Navoiy", 40.0844, 65.3792),
            ("Andijan Region", "Andijan", 40.7821, 72.3442)],
    "IND": [("Maharashtra", "Mumbai", 19.0760, 72.8777), ("Maharashtra", "Pune", 18.5204, 73.8567),
            ("Tamil Nadu", "Chennai", 13.0827, 80.2707), ("Gujarat", "Ahmedabad", 23.0225, 72.5714),
            ("Karnataka", "Bengaluru", 12.9716, 77.5946)],
    "PAK": [("Sindh", "Karachi", 24.8607, 67.0011), ("Punjab", "Lahore", 31.5204, 74.3587),
            ("Punjab", "Faisalabad", 31.4504, 73.1350), ("Punjab", "Sialkot", 32.4945, 74.5229)],
    "IRN": [("Tehran Province", "Tehran", 35.6892, 51.3890), ("Isfahan Province", "Isfahan", 32.6546, 51.6680),
            ("East Azerbaijan Province", "Tabriz", 38.0800, 46.2919),
            ("Razavi Khorasan Province", "Mashhad", 36.2605, 59.6168)],
    "BLR": [("Minsk", "Minsk", 53.9006, 27.5590), ("Gomel Region", "Gomel", 52.4412, 30.9878),
            ("Brest Region", "Brest", 52.0976, 23.7341), ("Grodno Region", "Grodno", 53.6694, 23.8131)],
}

# The language a generated enterprise of the party writes in (marked original); en/ru/zh are always given.
WRITES_IN = {"CHN": "zh", "RUS": "ru", "KAZ": "ru", "KGZ": "ru", "TJK": "ru", "UZB": "ru", "BLR": "ru",
             "IND": "en", "PAK": "en", "IRN": "en"}
LANGUAGES = {"CHN": ["zh", "en"], "RUS": ["ru", "en"], "KAZ": ["kk", "ru", "en"], "KGZ": ["ky", "ru"],
             "TJK": ["tg", "ru"], "UZB": ["uz", "ru", "en"], "BLR": ["be", "ru"], "IND": ["hi", "en"],
             "PAK": ["ur", "en"], "IRN": ["fa", "en"]}
# National conformity marks a generated enterprise of the party may hold besides ISO ones.
NATIONAL_MARKS = {"CHN": "CCC", "RUS": "EAC", "KAZ": "EAC", "KGZ": "EAC", "BLR": "EAC", "IND": "BIS",
                  "UZB": "O'z DSt", "TJK": "TJS", "PAK": "PSQCA", "IRN": "ISIRI"}
