"""Member languages the embedder does not know (kk, uz, tg, fa, ur, hi; issue #15): the search box in the
portal and GET /api/v1/search tell the reader plainly that the language is not yet supported, in the
reader's language, and answer with no result found by meaning (words only), never confident nonsense.
(The HS suggester's answer to the same languages: tests/ai/test_hs_quality.py.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# what a member's trader would type, each in its own script and spelling
QUERIES = {
    "kk": "Болат прокаты, қалыңдығы 4 мм",  # rolled steel, 4 mm thick
    "uz": "Paxta tolasi eksport uchun",  # cotton fibre for export
    "tg": "Нуриҳои минералӣ барои пахта",  # mineral fertilisers for cotton
    "fa": "ورق فولادی گرم نورد",  # hot-rolled steel sheet
    "ur": "سٹیل کی چادریں برآمد کے لیے",  # steel sheets for export
    "hi": "इस्पात की चादरें निर्यात के लिए",  # steel sheets for export
}
# each language's name as a reader of ru, zh and en reads it
NAMES = {"kk": {"ru": "казахский", "zh": "哈萨克语", "en": "Kazakh"}, "uz": {"ru": "узбекский", "zh": "乌兹别克语", "en": "Uzbek"},
         "tg": {"ru": "таджикский", "zh": "塔吉克语", "en": "Tajik"}, "fa": {"ru": "персидский", "zh": "波斯语", "en": "Persian"},
         "ur": {"ru": "урду", "zh": "乌尔都语", "en": "Urdu"}, "hi": {"ru": "хинди", "zh": "印地语", "en": "Hindi"}}


@pytest.fixture
def client(bank):
    from scobank.api.app import create_app

    with TestClient(create_app()) as c:
        yield c


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_the_api_search_says_the_language_is_not_yet_supported(client, lang):
    answer = client.get("/api/v1/search", params={"q": QUERIES[lang]}).json()
    assert (answer["language"], answer["supported"], answer["notice_code"]) == (lang, False, "language-not-supported")
    assert "not yet supported" in answer["notice"]
    by_meaning = [(g["kind"], r["id"]) for g in answer["groups"] for r in g["items"]
                  if r["match"]["meaning"] is not None]
    assert by_meaning == []


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_the_portal_search_box_says_so_in_the_readers_language(client, lang):
    for ui, said in (("ru", "пока не поддерживается"), ("zh", "暂不支持"), ("en", "not yet supported")):
        page = client.get("/search", params={"q": QUERIES[lang], "lang": ui})
        assert page.status_code == 200
        notice = page.text.split('id="search-notice">', 1)[1].split("</p>", 1)[0]
        assert said in notice and NAMES[lang][ui] in notice and "[en]" not in notice, (ui, notice)


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_the_api_names_the_language_in_the_readers_language(client, lang):
    for ui in ("ru", "zh"):
        answer = client.get("/api/v1/search", params={"q": QUERIES[lang]}, headers={"Accept-Language": ui}).json()
        assert answer["language_name"] == NAMES[lang][ui]
        assert NAMES[lang][ui] in answer["notice"] and "[en]" not in answer["notice"], answer["notice"]
