"""Loading exchange rates: units of a currency per USD, by year, each row saying where it comes from.

Sources in SCOBANK_DATA_DIR/exchange-rates (see its SOURCE.md):
- FRED (US Federal Reserve H.10), yearly averages, 1971-2025, via DataHub `fred_yearly_datahub.csv`.
  FRED quotes most series as currency per USD but Australia, the euro, New Zealand, the UK and Ireland as
  USD per currency (SOURCE.md repeats that note). The DataHub files are already inverted to currency
  per USD for those: euro 2020 = 0.8764 (FRED DEXUSEU 1.1410 USD per EUR), GBP 2020-01 = 0.7648. So the
  values are stored as they are; `source` says so for those currencies. Venezuela is left out: the
  series spans several redenominations of the bolívar under one name.
- World Bank WDI PA.NUS.FCRF (official rate, LCU per USD, period average), 2020 only, all countries;
  used where FRED has no figure for that currency and year. Rows of another year (a country's last
  reported year, e.g. DEU 1998 in Deutsche Mark) are left out: their currency is not today's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from scobank.reference.models import Country, ExchangeRate

FRED_CURRENCIES = {
    "Australia": "AUD", "Brazil": "BRL", "Canada": "CAD", "China": "CNY", "Denmark": "DKK", "Euro": "EUR",
    "Hong Kong": "HKD", "India": "INR", "Japan": "JPY", "Malaysia": "MYR", "Mexico": "MXN",
    "New Zealand": "NZD", "Norway": "NOK", "Singapore": "SGD", "South Africa": "ZAR", "South Korea": "KRW",
    "Sweden": "SEK", "Switzerland": "CHF", "Taiwan": "TWD", "Thailand": "THB", "United Kingdom": "GBP",
    "Sri Lanka": "LKR",
}
FRED_USD_PER_CURRENCY = {"Australia", "Euro", "New Zealand", "United Kingdom", "Ireland"}  # in FRED itself
FRED_SOURCE = "FRED H.10 yearly average (DataHub exchange-rates)"
WDI_SOURCE = "World Bank WDI PA.NUS.FCRF, official rate, period average"


def load_rates(session: Session, data_dir: Path | None) -> str:
    """Insert the rates when the table is empty; return a summary fragment."""
    if session.scalar(select(func.count()).select_from(ExchangeRate)):
        return "exchange rates: already loaded"
    folder = data_dir / "exchange-rates" if data_dir else None
    if folder is None or not folder.is_dir():
        return "exchange rates: none (no SCOBANK_DATA_DIR)"
    rates: dict[tuple[str, int], dict] = {}
    if (folder / "fred_yearly_datahub.csv").is_file():
        _fred(folder / "fred_yearly_datahub.csv", rates)
    if (folder / "wdi_PA.NUS.FCRF_2020.csv").is_file():
        currencies = dict(session.execute(select(Country.iso3, Country.currency)).all())
        currencies["EMU"] = "EUR"
        _wdi(folder / "wdi_PA.NUS.FCRF_2020.csv", currencies, rates)
    if rates:
        session.execute(insert(ExchangeRate), list(rates.values()))
    return f"{len(rates)} exchange rates ({len({c for c, _ in rates})} currencies)"


def _fred(path: Path, rates: dict) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            currency = FRED_CURRENCIES.get(r["Country"])
            if currency is None or not r["Value"].strip():
                continue
            value = float(r["Value"])
            if value <= 0:
                continue
            year = int(r["Date"][:4])
            source = FRED_SOURCE
            if r["Country"] in FRED_USD_PER_CURRENCY:
                source += f"; FRED quotes USD per {currency}, DataHub inverted it"
            per_usd = value
            rates[(currency, year)] = {"currency": currency, "year": year, "per_usd": per_usd, "source": source}


def _wdi(path: Path, currencies: dict[str, str | None], rates: dict) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for economy, value, year_text in reader:
            currency = currencies.get(economy.strip())
            if not currency or currency == "USD" or not value.strip() or year_text.strip() != "2020":
                continue
            key = (currency, 2020)
            if key not in rates:
                rates[key] = {"currency": currency, "year": 2020, "per_usd": float(value),
                              "source": f"{WDI_SOURCE} ({economy.strip()})"}
