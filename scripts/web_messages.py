"""Keep the portal's message catalogs in step with its templates.

    python scripts/web_messages.py            # extract msgids, merge them into every messages.po
    python scripts/web_messages.py --check    # list msgids without a ru or zh translation (exit 1 if any)

Extraction reads web/templates/**.html (Jinja2: _(), gettext(), {% trans %}) and web/*.py (gettext).
Existing translations are kept; new msgids arrive empty and must be translated before
tests/web/test_translations.py passes.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import write_po

from scobank.web.i18n import LANGUAGES, po_path
from scobank.web.messages import extract_messages, read_catalog, untranslated


def update() -> int:
    template = extract_messages()
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=110, ignore_obsolete=True)
    print(f"{len(template)} messages")
    return 0


def check() -> int:
    template = extract_messages()
    missing = [(lang, msgid) for lang in ("ru", "zh") for msgid in untranslated(template, lang)]
    for lang, msgid in missing:
        print(f"{lang}\t{msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv else update())
