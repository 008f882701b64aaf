import pytest
from freezegun import freeze_time

from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff
from onewindow.supervision import notify, services
from onewindow.supervision.constants import CardLevel
from onewindow.supervision.models import Alert, Card

from .factories import accepted_case, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls = []

    def fake(*, users, title, body, url="", key=""):
        calls.append({"users": sorted(u.username for u in users), "title": title, "key": key})
        return True

    monkeypatch.setattr(services, "notify_staff", fake)
    return calls


def _run(when: str) -> int:
    with freeze_time(at(when)):
        return services.supervision_run(anomalies=False).alerts


def test_one_alert_per_level_to_the_responsible_person_and_the_heads(version, clerk, head, dept, sent):
    second_head = staff(Role.DEPARTMENT_HEAD, dept, username="head2")
    staff(Role.DEPARTMENT_HEAD, None, username="bureau-head")  # not this department's head
    case = accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")

    assert _run("2025-11-07 17:35") == 1  # yellow: before the card turns red
    assert sent[0]["users"] == sorted(["clerk", "head", second_head.username])
    assert "黄牌" in sent[0]["title"] and case.number in sent[0]["title"]
    assert _run("2025-11-07 17:40") == 0 and _run("2025-11-08 10:00") == 0  # idempotent

    assert _run("2025-11-10 17:35") == 1  # red: when it turns red
    assert "红牌" in sent[1]["title"]
    assert _run("2025-11-10 17:40") == 0
    alerts = Alert.objects.filter(case=case)
    assert sorted(alerts.values_list("level", flat=True)) == [CardLevel.RED, CardLevel.YELLOW]
    assert all(a.delivered for a in alerts)
    assert {r["name"] for r in alerts.get(level=CardLevel.RED).recipients} == {"张丽", "王建国", second_head.name}
    assert len(sent) == 2


def test_a_case_that_skips_yellow_between_runs_gets_only_the_red_alert(version, clerk, head, sent):
    accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    assert _run("2025-11-10 17:35") == 1
    assert [c["title"][:4] for c in sent] == ["【红牌】"]
    assert Card.objects.filter(level=CardLevel.YELLOW, alerted_at__isnull=True).count() == 1  # escalated, silent


def test_alerts_are_logged_when_the_notifications_app_is_absent(version, clerk, head, monkeypatch, caplog):
    monkeypatch.setattr(notify, "_sender", lambda: None)
    accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    with caplog.at_level("INFO", logger="onewindow.supervision.alerts"):
        assert _run("2025-11-07 17:35") == 1
    alert = Alert.objects.get()
    assert not alert.delivered and "clerk" in caplog.text


def test_a_failing_notification_service_keeps_the_alert_record(version, clerk, head, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("SMS gateway down")

    monkeypatch.setattr(notify, "_sender", lambda: broken)
    accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    assert _run("2025-11-07 17:35") == 1
    assert Alert.objects.get().delivered is False
    assert _run("2025-11-07 17:40") == 0
