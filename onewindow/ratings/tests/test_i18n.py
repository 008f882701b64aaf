"""The ratings app keeps its English catalogue beside it (locale/en in the app): complete, compiled, and used."""

import gettext
from pathlib import Path

from django.utils import translation

from onewindow.core.tests.test_i18n import parse_po
from onewindow.ratings.constants import BadCaseStatus, Level

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"


def _messages():
    return [e for e in parse_po(LOCALE / "django.po") if e["msgid"] and not e["obsolete"]]


def test_every_message_is_translated_and_the_mo_is_current():
    messages = _messages()
    assert len(messages) > 150
    assert not [e["msgid"] for e in messages if "fuzzy" in e["flags"] or not all(e["msgstr"].values())]
    with (LOCALE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    expected = {}
    for e in messages:
        if e["msgid_plural"] is None:
            expected[e["msgid"]] = e["msgstr"][0]
        else:  # plural forms are compiled under (msgid, n)
            expected.update({(e["msgid"], n): form for n, form in e["msgstr"].items()})
    assert {k: v for k, v in compiled.items() if k} == expected


def test_labels_in_english():
    with translation.override("en"):
        assert str(Level.DISSATISFIED.label) == "Dissatisfied"
        assert str(BadCaseStatus.FOLLOW_UP.label) == "Awaiting follow-up call"
    assert str(Level.DISSATISFIED.label) == "不满意"


def test_options_are_stored_in_chinese_whatever_the_language(client):
    response = client.get("/api/v1/ratings/options", HTTP_ACCEPT_LANGUAGE="en")
    bad = next(level for level in response.json() if level["level"] == 2)
    assert "服务态度差" in bad["options"] and "Unfriendly service" in bad["option_labels"]
    assert bad["label"] == "Dissatisfied"
