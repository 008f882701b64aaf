"""One-time codes: 6 digits, 5 minutes, 5 tries, one per phone per 60 s, nothing readable in the database."""

import datetime as dt
import logging

import pytest
from django.utils import timezone
from freezegun import freeze_time

from onewindow.accounts import codes
from onewindow.accounts.constants import CodePurpose
from onewindow.accounts.models import OneTimeCode
from onewindow.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def issue(**kwargs):
    return codes.code_issue(mobile=MOBILE, purpose=kwargs.pop("purpose", CodePurpose.LOGIN), **kwargs)


def verify(code, purpose=CodePurpose.LOGIN):
    return codes.code_verify(mobile=MOBILE, purpose=purpose, code=code)


def wrong(outbox):
    return "000000" if outbox.last_code() != "000000" else "999999"


def test_code_is_six_digits_and_stored_only_as_hashes(outbox):
    with freeze_time(T0):
        row = issue()
    code = outbox.last_code()
    assert len(code) == 6 and code.isdigit()
    assert code not in row.code_hash and MOBILE not in row.phone_hash
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)


def test_right_code_works_once(outbox):
    with freeze_time(T0):
        issue()
        verify(outbox.last_code())
        with pytest.raises(ApplicationError) as err:
            verify(outbox.last_code())
    assert err.value.code == "code_used" and "已使用" in err.value.message


def test_wrong_codes_are_counted_and_the_fifth_kills_the_code(outbox):
    with freeze_time(T0):
        issue()
        messages = []
        for _ in range(5):
            with pytest.raises(ApplicationError) as err:
                verify(wrong(outbox))
            messages.append(err.value.message)
        assert messages[0] == "验证码错误，还可以再试 4 次。"
        assert messages[3] == "验证码错误，还可以再试 1 次。"
        assert messages[4] == "验证码错误次数过多，请重新获取。"
        with pytest.raises(ApplicationError) as err:
            verify(outbox.last_code())  # even the right code: it is dead now
        assert err.value.code == "code_locked"
    assert OneTimeCode.objects.get().attempts == 5


def test_code_expires_after_five_minutes(outbox):
    with freeze_time(T0):
        issue()
    with freeze_time(T0 + dt.timedelta(minutes=5, seconds=1)), pytest.raises(ApplicationError) as err:
        verify(outbox.last_code())
    assert err.value.code == "code_expired" and err.value.message == "验证码已过期，请重新获取。"


def test_one_code_per_phone_per_minute_then_the_new_code_replaces_the_old(outbox):
    with freeze_time(T0):
        issue()
    first = outbox.last_code()
    with freeze_time(T0 + dt.timedelta(seconds=30)), pytest.raises(ApplicationError) as err:
        issue(purpose=CodePurpose.REGISTER)  # per phone, whatever the purpose
    assert err.value.code == "code_too_soon" and "30 秒后再试" in err.value.message
    assert len(outbox) == 1
    with freeze_time(T0 + dt.timedelta(seconds=61)):
        issue()
        second = outbox.last_code()
        if first != second:
            with pytest.raises(ApplicationError):
                verify(first)
        verify(second)


def test_daily_limit_per_phone(outbox):
    for n in range(10):
        with freeze_time(T0 + dt.timedelta(minutes=2 * n)):
            issue()
    with freeze_time(T0 + dt.timedelta(minutes=30)), pytest.raises(ApplicationError) as err:
        issue()
    assert err.value.code == "code_daily_limit"
    with freeze_time(T0 + dt.timedelta(days=1, minutes=30)):
        issue()


def test_hourly_limit_per_client_address(outbox):
    with freeze_time(T0):
        for n in range(30):
            codes.code_issue(mobile=f"139{n:08d}", purpose=CodePurpose.REGISTER, client_ip="203.0.113.9")
        with pytest.raises(ApplicationError) as err:
            codes.code_issue(mobile="13700000001", purpose=CodePurpose.REGISTER, client_ip="203.0.113.9")
        assert err.value.code == "code_client_limit"
        codes.code_issue(mobile="13700000001", purpose=CodePurpose.REGISTER, client_ip="198.51.100.1")


def test_no_code_sent_means_a_clear_message():
    with pytest.raises(ApplicationError) as err:
        verify("123456")
    assert err.value.message == "请先获取短信验证码。"


def test_a_code_that_could_not_be_sent_does_not_block_a_retry(monkeypatch, outbox):
    def fail(phone, code, *, purpose):
        raise ApplicationError("短信发送失败，请稍后再试。", code="sms_failed")

    monkeypatch.setattr("onewindow.accounts.sms.send_one_time_code", fail)
    with pytest.raises(ApplicationError):
        issue()
    assert not OneTimeCode.objects.exists()


def test_console_backend_prints_the_code_and_no_backend_refuses(settings, monkeypatch, caplog):
    monkeypatch.undo()  # the real adapter, not the test outbox
    from onewindow.accounts import sms

    settings.SMS_BACKEND = "console"
    with caplog.at_level(logging.INFO, logger="onewindow.sms"):
        sms.send_one_time_code(MOBILE, "123456", purpose="login")
    assert "123456" in caplog.text and "138****5678" in caplog.text and MOBILE not in caplog.text

    settings.SMS_BACKEND = "none"
    caplog.clear()
    with pytest.raises(ApplicationError) as err:
        sms.send_one_time_code(MOBILE, "654321", purpose="login")
    assert "短信服务未开通" in err.value.message and "654321" not in caplog.text


def test_gateway_backend_sends_the_code_as_template_params(settings, monkeypatch):
    monkeypatch.undo()
    from onewindow.accounts import sms
    from onewindow.notifications.channels.sms import SmsGatewayClient

    sent = []
    monkeypatch.setattr(SmsGatewayClient, "send", lambda self, **kw: sent.append(kw) or "id-1")
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL = "gateway", "https://sms.example.test/send"
    sms.send_one_time_code(MOBILE, "123456", purpose="register")
    assert sent == [{"phone": MOBILE, "template": "one_time_code",
                     "params": {"code": "123456", "minutes": "5", "purpose": "register"}}]


def test_rows_are_timezone_aware(outbox):
    row = issue()
    assert timezone.is_aware(row.created_at)
