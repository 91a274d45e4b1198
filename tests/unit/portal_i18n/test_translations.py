"""Every Dutch text of the user interface has its English translation (Dutch first, English available)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
METHODS = [("portal/**.py", "python"), ("portal/templates/**.html", "jinja2")]  # as babel.cfg
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _catalog():  # noqa: ANN202
    with (ROOT / "portal/translations/en/LC_MESSAGES/messages.po").open("rb") as f:
        return read_po(f)


def test_every_message_in_the_code_has_an_english_translation():
    """Extracted from the source now (not from the committed .pot), so a new string without a
    translation fails here even if nobody ran `make extract-messages`."""
    catalog = _catalog()
    found = {message if isinstance(message, str) else message[0]
             for _file, _line, message, _comments, _context in extract_from_dir(
                 ROOT, METHODS, keywords=KEYWORDS, options_map={"portal/templates/**.html": {}})}
    assert len(found) > 500
    untranslated = sorted(m for m in found
                          if m not in catalog or not catalog[m].string or catalog[m].fuzzy
                          or (isinstance(catalog[m].string, tuple) and not all(catalog[m].string)))
    assert untranslated == []
