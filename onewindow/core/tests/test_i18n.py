"""English as the second screen language: Chinese is the source (docs/decisions/0002), English the translation.

What a user would notice: after choosing English in the language picker, every screen's labels are English
while the content (item names, departments, legal texts) stays as published; without a choice the site is
Chinese. What a maintainer would notice: the English catalogue is complete (nothing untranslated or fuzzy,
placeholders kept) and the committed .mo says exactly what the .po says.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from onewindow.accounts.testing import staff_login
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
HAN = re.compile(r"[\u4e00-\u9fff]")


# --- pages ----------------------------------------------------------------------------------------------

@pytest.fixture
def food(db):
    department = DepartmentFactory(name="示范县市场监督管理局", short_name="市场监管局")
    return published_item(department=department)


@pytest.fixture
def english(client):
    """A browser that chose English in the language picker (the form posts to /i18n/setlang/)."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _element(html: str, start: str, end: str) -> str:
    """The markup from the first `start` to the next `end` (a nav or a header), tags included."""
    i = html.index(start)
    return html[i:html.index(end, i)]


def _text(markup: str) -> str:
    return re.sub(r"<[^>]+>", " ", markup)


def test_portal_home_in_english(english, food):
    html = _html(english, "/")
    assert '<html lang="en">' in html
    for text in ("Service guides", "Departments", "Published lists", "What do you need to get done?",
                 "Services for individuals", "Popular items", "Ease of service", "Done on the spot",
                 "List of administrative licensing items"):
        assert text in html, text
    nav = _text(_element(html, '<nav class="site-nav"', "</nav>"))
    assert not HAN.search(nav), nav
    assert "食品经营许可" in html  # content stays as published


def test_guide_search_in_english(english, food):
    html = _html(english, "/guide/?q=食品")
    for text in ("Filters", "Apply filters", "Item type", "Handling type", "Results for",
                 "Administrative licensing", "Promised: 5 working days"):
        assert text in html, text
    assert "食品经营许可" in html


def test_guide_page_in_english(english, food):
    html = _html(english, reverse("portal:guide_detail", args=[food.item.implementation_code]))
    for text in ("Acceptance conditions", "Application materials", "Statutory time limit", "Promised time limit",
                 "Legal basis", "Implementing body", "Print the one-time notice", "Administrative licensing",
                 "Instant item" if food.handling_type == "instant" else "Promised item",
                 "20 working days", "3 materials in total", "Natural person, Legal person", "Waivable"):
        assert text in html, text
    toc = _text(_element(html, '<nav class="pt-toc', "</nav>"))
    assert not HAN.search(toc), toc
    for content in ("食品经营许可", "示范县市场监督管理局", "《中华人民共和国食品安全法》第三十五条"):
        assert content in html, content


def test_lists_page_in_english(english, food):
    html = _html(english, reverse("portal:list_index"))
    for text in ("Published lists", "List of powers and responsibilities", "List of administrative licensing items",
                 "List of public service items", "List of fees", "List of items accepted with waiver",
                 "Download Excel", "Ease-of-service indicators"):
        assert text in html, text


def test_workbench_login_in_english(english):
    html = _html(english, reverse("workbench:login"))
    for text in ("Staff login", "Username", "Password", "Log in", "Workbench"):
        assert text in html, text
    assert not HAN.search(_text(_element(html, "<main", "</main>")))


def test_workbench_item_list_in_english(english, food):
    staff_login(english, staff(Role.CATALOGUE_EDITOR, food.item.department))  # password + TOTP steps
    html = _html(english, reverse("workbench:items"))
    for text in ("Item management", "New item", "Implementation code", "Current version", "Version in progress",
                 "All departments", "Version 1", "Log out"):
        assert text in html, text
    nav = _text(_element(html, '<nav class="wb-nav"', "</nav>"))
    assert not HAN.search(nav), nav
    assert "食品经营许可" in html


def test_chinese_without_a_choice(client, food):
    html = _html(client, "/")
    assert '<html lang="zh-CN">' in html
    for text in ("办事指南", "清单公开", "想办什么事？", "马上办"):
        assert text in html, text
    assert "Service guides" not in html
    assert "工作人员登录" in _html(client, reverse("workbench:login"))


def test_switching_back_to_chinese(english, food):
    assert "Service guides" in _html(english, "/")
    english.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = _html(english, "/")
    assert "办事指南" in html and "Service guides" not in html


def test_accept_language_header_alone_gives_english(client, food):
    assert "Service guides" in _html(Client(HTTP_ACCEPT_LANGUAGE="en"), "/")
    assert "办事指南" in _html(Client(HTTP_ACCEPT_LANGUAGE="fr"), "/")


# --- the catalogue file ---------------------------------------------------------------------------------

def _unquote(s: str) -> str:
    return ast.literal_eval(s)  # PO escapes (\" \\ \n \t) are Python's


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (dict by plural index), flags, obsolete."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set(),
                     "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            key, entry["msgctxt"] = "msgctxt", _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            key, entry["msgid_plural"] = "msgid_plural", _unquote(line[13:])
        elif line.startswith("msgid "):
            key, entry["msgid"] = "msgid", _unquote(line[6:])
        elif line.startswith("msgstr["):
            n = int(line[7:line.index("]")])
            key, entry["msgstr"][n] = n, _unquote(line[line.index("]") + 2:])
        elif line.startswith("msgstr "):
            key, entry["msgstr"][0] = 0, _unquote(line[7:])
        elif line.startswith('"'):
            if isinstance(key, int):
                entry["msgstr"][key] += _unquote(line)
            else:
                entry[key] += _unquote(line)
    return entries


def _messages() -> list[dict]:
    return [e for e in parse_po(PO) if e["msgid"] and not e["obsolete"]]


def test_po_header_says_english_with_english_plurals():
    header = next(e for e in parse_po(PO) if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"][0]


def test_every_message_is_translated_and_none_is_fuzzy():
    messages = _messages()
    assert len(messages) > 900
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in messages
                    if not e["msgstr"] or any(not s for s in e["msgstr"].values())
                    or (e["msgid_plural"] is not None and len(e["msgstr"]) != 2)]
    assert not fuzzy, fuzzy
    assert not untranslated, untranslated


def test_translations_keep_every_placeholder():
    placeholder = re.compile(r"%\(\w+\)[sd]|%%|\{\{\s*\w+\s*\}\}")
    for e in _messages():
        wanted = sorted(set(placeholder.findall(e["msgid"] + (e["msgid_plural"] or ""))))
        for form in e["msgstr"].values():
            got = sorted(set(placeholder.findall(form)))
            # a singular form may leave the count out ("one item"), never add or rename a placeholder
            assert set(got) <= set(wanted), (e["msgid"], form)
            assert set(wanted) - set(got) <= {"%(counter)s", "%(n)s", "%(n)d"}, (e["msgid"], form)


def test_translations_are_english():
    # Chinese may stay inside a translation only as quoted content (an example search word, a sheet name).
    for e in _messages():
        for form in e["msgstr"].values():
            outside_examples = re.sub(r'"[^"]*"|e\.g\. [^.]*|\(一窗通办\)', "", form)
            assert not HAN.search(outside_examples) or form == e["msgid"] == "周%(d)s", (e["msgid"], form)


def test_mo_matches_po():
    """The committed .mo is compiled from the committed .po: run `make messages` after editing the .po."""
    with MO.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # the only way to list a .mo's messages
    expected = {}
    for e in _messages():
        key = f"{e['msgctxt']}\x04{e['msgid']}" if e["msgctxt"] else e["msgid"]
        if e["msgid_plural"] is None:
            expected[key] = e["msgstr"][0]
        else:
            for n, form in e["msgstr"].items():
                expected[(key, n)] = form
    compiled = {k: v for k, v in catalog.items() if k != ""}
    stale = {k: (compiled.get(k), v) for k, v in expected.items() if compiled.get(k) != v}
    assert not stale, f"django.mo is older than django.po for {len(stale)} messages, e.g. {list(stale.items())[:3]}"
    assert set(compiled) == set(expected), "django.mo has messages the .po no longer has: run `make messages`"


# --- every template string is in a catalogue --------------------------------------------------------------

_CALL = re.compile(r"\b(n?p?gettext)\((u?'(?:[^'\\]|\\.)*')(?:, (u?'(?:[^'\\]|\\.)*'))?")


def _template_msgids(path: Path) -> set[str]:
    """The msgids makemessages would extract from a template (the same `templatize` it uses)."""
    from django.utils.translation.template import templatize

    found = set()
    for func, first, second in _CALL.findall(templatize(path.read_text(encoding="utf-8"))):
        # pgettext(context, msgid): the msgid is the second literal
        found.add(ast.literal_eval((second if func.startswith(("pgettext", "npgettext")) else first).lstrip("u")))
    return found


def test_every_template_string_has_its_english():
    """A string marked in a template but never extracted shows Chinese on the English screens: `make messages`
    was not run after the template changed. Templates under an app with its own `locale` use that catalogue."""
    root = Path(settings.BASE_DIR)
    catalogues: dict[Path, set[str]] = {}

    def catalogue_for(template: Path) -> set[str]:
        for parent in template.parents:
            po = parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
            if po.exists():
                if po not in catalogues:
                    catalogues[po] = {e["msgid"] for e in parse_po(po) if e["msgstr"] and not e["obsolete"]
                                      and "fuzzy" not in e["flags"]}
                return catalogues[po]
        return set()

    missing = []
    for template in sorted((root / "onewindow").rglob("templates/**/*.html")):
        known = catalogue_for(template)
        missing += [f"{template.relative_to(root)}: {m}" for m in _template_msgids(template) - known]
    assert not missing, "run `make messages` and translate:\n" + "\n".join(missing)
