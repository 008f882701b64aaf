"""TOTP devices of staff: the confirmed device, the QR code and secret shown at enrolment, demo codes."""

from __future__ import annotations

import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def secret_groups(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four: "ABCD EFGH ..."."""
    secret = base32_secret(device)
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URL (no image file, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def current_code(device: TOTPDevice, at: float | None = None) -> tuple[str, int]:
    """The code an authenticator app shows now (or the next one if this one was already used), and the
    seconds it stays valid. For the demo command and the browser tests."""
    now = time.time() if at is None else at
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now
    t = totp.t()
    if device.last_t is not None and device.last_t >= t:
        t = device.last_t + 1  # the current code is used up; the next one is accepted (tolerance 1)
        totp.time = device.t0 + (t - device.drift) * device.step
    remaining = int(device.t0 + (t - device.drift + 1) * device.step - now)
    return f"{totp.token():0{device.digits}d}", max(remaining, 0)
