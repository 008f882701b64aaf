"""E-mail over SMTP with Django's mail backend (EMAIL_HOST, EMAIL_PORT ... from the environment)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext_lazy as _

from . import Channel, PermanentError, RetryableError


class EmailChannel(Channel):
    name = "email"
    label = _("电子邮件")

    def is_enabled(self) -> bool:
        return bool(getattr(settings, "NOTIFICATIONS_EMAIL_ENABLED", False))

    def address_for(self, message) -> str:
        """The applicant's e-mail, else their account's."""
        email = (message.applicant.email or "").strip()
        if email:
            return email
        user = message.recipient or message.applicant.user
        return (getattr(user, "email", "") or "").strip() if user is not None else ""

    def send(self, delivery) -> str:
        message = delivery.message
        footer = f"\n\n—— {settings.SITE_BUREAU}（{settings.SITE_NAME}）。本邮件由系统自动发送，请勿直接回复。"
        email = EmailMessage(subject=f"【{settings.SITE_NAME}】{message.title}", body=message.body + footer,
                             from_email=settings.DEFAULT_FROM_EMAIL, to=[delivery.address])
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentError(f"收件地址被拒绝：{_codes(exc.recipients)}") from exc
        except smtplib.SMTPResponseException as exc:
            text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:300]
            if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
                raise PermanentError(text) from exc
            raise RetryableError(text) from exc
        except (smtplib.SMTPException, OSError) as exc:  # connection refused, timeout, TLS ...
            raise RetryableError(f"{type(exc).__name__}: {exc}"[:300]) from exc
        return ""


def _codes(recipients: dict) -> str:
    return ", ".join(f"{code}" for code, _msg in recipients.values())
