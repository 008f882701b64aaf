"""Test helpers: sign a test client in as staff with both steps (password + TOTP), like the real sign-in."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verify_session(client, user) -> TOTPDevice:
    """Mark the client's signed-in session as verified by the user's TOTP device (created if missing)."""
    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def staff_login(client, user) -> TOTPDevice:
    """client.force_login(user) plus the second step: the session may use the workbench."""
    client.force_login(user)
    return verify_session(client, user)
