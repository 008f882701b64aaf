"""电子监察 in the browser: an inspector watches the dashboard while a case passes its deadline, sees the red
card appear (red first), and drills down to the case."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _accepted_case():
    """A 食品经营许可 application filed online and accepted at the window (the clock starts)."""
    from onewindow.accounts.models import User
    from onewindow.cases import services as cases
    from onewindow.cases.tests.factories import person, submitted_case
    from onewindow.catalogue.models import ServiceItem

    item = ServiceItem.objects.select_related("published_version").get(name="食品经营许可")
    case = submitted_case(version=item.published_version, applicant=person(7, name="王小明"))
    return cases.case_accept(actor=User.objects.get(username="clerk"), case=case)


def _deadline_passes(case) -> None:
    """Move the case's clock into the past (no sleeping), then run the periodic job as Celery beat does."""
    from onewindow.cases.models import Case
    from onewindow.supervision.tasks import supervision_scan

    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(warn_at=now - dt.timedelta(hours=3), due_at=now - dt.timedelta(hours=1))
    from onewindow.supervision.models import Card

    supervision_scan(full=True)  # a full sweep: the deadline moved without a case event
    assert Card.objects.filter(case=case, level="red", resolved_at__isnull=True).exists()


def _figure(page, name: str) -> str:
    return page.locator(f'[data-figure="{name}"]').inner_text()


def test_inspector_sees_a_red_card_appear_and_opens_the_case(demo, live_server, page, shot):
    login(page, live_server, "inspector")
    page.goto(f"{live_server.url}/workbench/supervision/")
    page.get_by_role("heading", name="电子监察", level=1).wait_for()
    case = _accepted_case()
    before = int(_figure(page, "open_red"))  # the demo may hold overdue cases already
    assert case.number not in page.locator("#sup-cards").inner_text()

    _deadline_passes(case)
    page.reload()
    assert int(_figure(page, "open_red")) == before + 1
    row = page.locator("#sup-cards tbody tr", has_text=case.number)
    assert "红牌" in row.inner_text()
    levels = [t.strip() for t in page.locator("#sup-cards tbody tr td:first-child").all_inner_texts()]
    assert levels == sorted(levels, key=lambda v: v != "红牌")  # red first
    # ECharts (served locally) drew the department chart from the JSON block; the table says the same.
    page.locator('[data-chart="chart-departments"] svg').first.wait_for()
    assert "云溪县市场监督管理局" in page.locator("section", has=page.locator("#sup-dept-h")).inner_text()
    shot(page, "supervision-dashboard")
    # A filter swaps the figures through htmx and the charts are drawn again from the new data.
    page.select_option("#id_level", "red")
    page.wait_for_url(re.compile(r"level=red"))
    page.locator('[data-figure="open_yellow"]', has_text=re.compile(r"^0$")).wait_for()
    page.locator('[data-chart="chart-departments"][data-chart-drawn] svg').first.wait_for()

    page.locator(".sup-figure.is-red").click()
    page.wait_for_url(re.compile(r"/workbench/supervision/cards/\?"))
    page.locator("#sup-cards").get_by_text(case.number).wait_for()
    shot(page, "supervision-cards")
    # Filters go to the server through htmx: yellow only hides the red card, the address follows.
    page.select_option("#id_level", "yellow")
    page.wait_for_url(re.compile(r"level=yellow"))
    page.locator("#sup-cards").get_by_role("link", name=case.number).wait_for(state="detached")
    page.select_option("#id_level", "red")
    page.locator("#sup-cards").get_by_role("link", name=case.number).wait_for()

    page.locator("#sup-cards").get_by_role("link", name=case.number).click()
    page.wait_for_url(re.compile(rf"/workbench/cases/{case.number}/$"))
    assert case.number in page.locator("main").inner_text()


def test_a_clerk_gets_the_forbidden_page(demo, live_server, page):
    login(page, live_server, "clerk")
    response = page.goto(f"{live_server.url}/workbench/supervision/")
    assert response.status == 403
    assert "只有电子监察员、大厅管理员和部门负责人可以查看电子监察信息。" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="监察概览").count() == 0
