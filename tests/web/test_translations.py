"""Every string a reader sees in the portal exists in Russian and Chinese."""

from scobank.web.i18n import translations
from scobank.web.messages import extract_messages, untranslated


def test_every_template_string_is_translated_into_russian_and_chinese():
    template = extract_messages()
    assert len(template) > 20  # the extractor found the templates' strings
    assert untranslated(template, "ru") == []
    assert untranslated(template, "zh") == []


def test_a_new_string_without_translation_is_reported():
    template = extract_messages()
    template.add("A sentence nobody has translated yet")
    assert untranslated(template, "ru") == ["A sentence nobody has translated yet"]


def test_catalogs_compile_from_the_po_files_without_a_build_step():
    assert translations("ru").gettext("Log in") == "Войти"
    assert translations("zh").gettext("Log in") == "登录"
    assert translations("en").gettext("Log in") == "Log in"


def test_no_msgid_is_written_twice_in_a_catalog():
    """A second entry would silently replace the first one's translation."""
    import re
    from collections import Counter

    from scobank.web.i18n import LANGUAGES, po_path

    for lang in LANGUAGES:
        text = po_path(lang).read_text(encoding="utf-8")
        ids = re.findall(r'^msgid "(.+)"$', text, re.M)
        assert [m for m, n in Counter(ids).items() if n > 1] == [], lang
