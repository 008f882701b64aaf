import datetime as dt
import email
import email.header
import hashlib
import hmac
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.constants import CaseStatus
from onewindow.catalogue.tests.factories import published_item
from onewindow.documents.tests.factories import applicant_with_account, new_case
from onewindow.notifications import services
from onewindow.notifications.channels.sms import SmsChannel
from onewindow.notifications.constants import DeliveryStatus
from onewindow.notifications.masking import mask_email, mask_phone, mask_text
from onewindow.notifications.models import Delivery
from onewindow.notifications.selectors import deliveries_failed
from onewindow.notifications.tasks import send_delivery

pytestmark = pytest.mark.django_db
PHONE = "13800000000"  # the factories' applicant phone
BASE_DIR = Path(__file__).resolve().parents[3]


def _accept(dept, people, committed):
    case = new_case(published_item(department=dept))
    committed(cases.case_accept, actor=people["clerk"], case=case)
    case.refresh_from_db()
    return case


def _sms(case) -> Delivery:
    return Delivery.objects.get(message__case=case, message__template="case_accepted", channel="sms")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_gateway_gets_a_signed_json_request(dept, people, committed, gateway):
    case = _accept(dept, people, committed)
    delivery = _sms(case)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1 and delivery.provider_id == "msg-1"
    request = gateway.requests[0]
    assert request["json"] == {"phone": PHONE, "template": "case_accepted", "signature": "云溪政务",
                               "params": {"item": "食品经营许可", "number": case.number,
                                          "due": delivery.message.params["due"]}}
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["x-api-key"] == "test-key"
    expected = hmac.new(b"test-secret", f"{headers['x-timestamp']}\n{headers['x-nonce']}\n".encode() + request["raw"],
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-signature"], expected)


def test_a_failing_gateway_is_retried_with_backoff_until_it_answers(dept, people, committed, gateway, caplog):
    gateway.fail_times = 2
    start = dt.datetime(2025, 11, 3, 10, 0, tzinfo=dt.UTC)
    with freeze_time(start), caplog.at_level(logging.INFO):
        case = _accept(dept, people, committed)
        delivery = _sms(case)
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
        assert delivery.next_attempt_at == start + dt.timedelta(seconds=60)
        assert "HTTP 503" in delivery.last_error
        assert case.status == CaseStatus.ACCEPTED  # the transition went through
    with freeze_time(start + dt.timedelta(seconds=30)):
        assert services.deliveries_retry_due() == []  # not due yet
    with freeze_time(start + dt.timedelta(seconds=61)):
        assert services.deliveries_retry_due() == [delivery.pk]
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and delivery.next_attempt_at == start + dt.timedelta(seconds=61 + 120)
    with freeze_time(start + dt.timedelta(seconds=61 + 121)):
        call_command("notifications_retry")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3 and delivery.provider_id == "msg-3"
    assert len(gateway.requests) == 3
    assert PHONE not in caplog.text and mask_phone(PHONE) in caplog.text  # logs mask the number


def test_in_a_worker_celery_retries_with_the_same_backoff(dept, people, committed, gateway, monkeypatch):
    gateway.fail_times = 99
    case = _accept(dept, people, committed)
    delivery = _sms(case)  # attempt 1 failed in eager mode and stayed pending
    calls = []

    def fake_retry(*args, **kwargs):
        calls.append(kwargs)
        raise Retry("retry", kwargs.get("exc"), when=kwargs.get("countdown"))

    monkeypatch.setattr(send_delivery, "retry", fake_retry)
    send_delivery.push_request(is_eager=False, retries=1, called_directly=False, id="t-1")
    try:
        with pytest.raises(Retry):
            send_delivery.run(delivery.pk)
    finally:
        send_delivery.pop_request()
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.PENDING
    assert calls[0]["countdown"] == 120  # Celery: 60 × 2^retries; the row: 60 × 2^(attempts-1)
    assert (delivery.next_attempt_at - delivery.claimed_at) == dt.timedelta(seconds=120)


def test_a_refused_message_fails_for_good_and_is_listed_for_staff(dept, people, committed, gateway, admin_client):
    gateway.reject_with = 400
    case = _accept(dept, people, committed)
    delivery = _sms(case)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "HTTP 400" in delivery.last_error and "template not approved" in delivery.last_error
    assert list(deliveries_failed()) == [delivery]
    assert services.deliveries_retry_due() == []  # never retried by itself
    page = admin_client.get(reverse("admin:notifications_delivery_changelist") + "?status__exact=failed")
    text = page.content.decode()
    assert page.status_code == 200 and mask_phone(PHONE) in text and PHONE not in text
    gateway.reject_with = None
    admin_client.post(reverse("admin:notifications_delivery_changelist"),
                      {"action": "retry_now", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_attempts_are_bounded(dept, people, committed, gateway, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    gateway.fail_times = 99
    case = _accept(dept, people, committed)
    delivery = _sms(case)
    with freeze_time(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        services.deliveries_retry_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    call_command("notifications_retry", "--failed")  # staff start it over once the gateway works again
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1


def test_an_unreachable_or_slow_gateway_never_blocks_the_transition(dept, people, committed, gateway, settings):
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{_free_port()}/sms"  # nothing listens there
    case = _accept(dept, people, committed)
    delivery = _sms(case)
    assert case.status == CaseStatus.ACCEPTED and delivery.status == DeliveryStatus.PENDING
    assert "URLError" in delivery.last_error
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_TIMEOUT = 0.3
    gateway.delay = 1.0
    slow = _accept(dept, people, committed)
    assert slow.status == CaseStatus.ACCEPTED
    assert _sms(slow).status == DeliveryStatus.PENDING and "timed out" in _sms(slow).last_error.lower()


def test_a_broken_channel_or_task_never_reaches_the_request(dept, people, committed, gateway, monkeypatch):
    def boom(self, delivery):
        raise ValueError("plugin bug")

    monkeypatch.setattr(SmsChannel, "send", boom)
    case = _accept(dept, people, committed)
    assert case.status == CaseStatus.ACCEPTED
    assert _sms(case).status == DeliveryStatus.PENDING and "ValueError: plugin bug" in _sms(case).last_error

    def db_down(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "delivery_attempt", db_down)
    second = _accept(dept, people, committed)  # CELERY_TASK_EAGER_PROPAGATES is on: still no exception
    assert second.status == CaseStatus.ACCEPTED

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(send_delivery, "apply_async", broker_down)
    third = _accept(dept, people, committed)
    assert third.status == CaseStatus.ACCEPTED and _sms(third).status == DeliveryStatus.PENDING


def test_email_goes_to_the_account_address(dept, people, committed, settings):
    settings.SMS_BACKEND = "none"
    settings.NOTIFICATIONS_EMAIL_ENABLED = True
    applicant, citizen = applicant_with_account()
    case = new_case(published_item(department=dept), applicant=applicant)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert mail.outbox[0].subject.endswith("申请已受理") and case.number in mail.outbox[0].body
    other = new_case(published_item(department=dept), seq=7)  # no account, no address: in-app only
    committed(cases.case_accept, actor=people["clerk"], case=other)
    assert not Delivery.objects.filter(message__case=other).exists()


def test_email_over_smtp_to_a_local_server(dept, people, committed, smtp):
    applicant, citizen = applicant_with_account()
    case = new_case(published_item(department=dept), applicant=applicant)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    delivery = Delivery.objects.get(message__case=case, message__template="case_accepted")
    assert delivery.status == DeliveryStatus.SENT
    assert smtp.messages[-1]["to"] == [citizen.email]
    assert smtp.messages[-1]["from"] == "noreply@zwfw.example.gov.cn"
    parsed = email.message_from_bytes(smtp.messages[-1]["data"])
    body = parsed.get_payload(decode=True).decode("utf-8")
    assert "申请已受理" in str(email.header.make_header(email.header.decode_header(parsed["Subject"])))
    assert case.number in body


def test_a_refused_mailbox_is_a_permanent_failure(dept, people, committed, smtp):
    smtp.refuse_recipients = True
    applicant, _citizen = applicant_with_account()
    case = new_case(published_item(department=dept), applicant=applicant)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    delivery = Delivery.objects.get(message__case=case, message__template="case_accepted")
    assert delivery.status == DeliveryStatus.FAILED and "550" in delivery.last_error


def test_console_sms_prints_the_text_with_a_masked_number(dept, people, committed, settings, caplog):
    settings.SMS_BACKEND = "console"
    settings.NOTIFICATIONS_EMAIL_ENABLED = False
    with caplog.at_level(logging.INFO, logger="onewindow.sms"):
        case = _accept(dept, people, committed)
    assert _sms(case).status == DeliveryStatus.SENT
    assert f"SMS to {mask_phone(PHONE)} [case_accepted]" in caplog.text and "申请已受理" in caplog.text
    assert PHONE not in caplog.text


@pytest.mark.parametrize(("database_url", "gateway_url", "expected"), [
    (None, None, "console"),  # the embedded demo
    ("postgres://u@127.0.0.1:5432/x", None, "none"),  # a server without a gateway: SMS off
    ("postgres://u@127.0.0.1:5432/x", "https://sms.example.gov.cn/send", "gateway"),
])
def test_the_sms_backend_follows_the_environment(database_url, gateway_url, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SMS_GATEWAY_URL", "SMS_BACKEND")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    if database_url:
        env["DATABASE_URL"] = database_url
    if gateway_url:
        env["SMS_GATEWAY_URL"] = gateway_url
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "from django.conf import settings; print(settings.SMS_BACKEND)"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == expected


def test_masking():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0734-5210315") == "073*****0315"
    assert mask_email("zhangsan@example.com") == "z***@example.com"
    assert mask_text("call 13812345678 or mail li.ming@example.com") == "call 138****5678 or mail l***@example.com"
    assert json.dumps(mask_phone("")) == '""'
