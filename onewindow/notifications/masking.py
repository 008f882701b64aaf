"""Phone numbers and e-mail addresses as they may appear in logs, the admin and error messages."""

from __future__ import annotations

import re


def mask_phone(phone: str | None) -> str:
    """13812345678 → 138****5678; short numbers keep only their last two digits."""
    digits = re.sub(r"\s", "", phone or "")
    if not digits:
        return ""
    if len(digits) > 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


def mask_email(email: str | None) -> str:
    """zhangsan@example.com → z***@example.com."""
    email = (email or "").strip()
    if not email:
        return ""
    local, at, domain = email.partition("@")
    if not at:
        return mask_phone(email)
    return f"{local[:1]}***@{domain}"


def mask_address(address: str | None) -> str:
    return mask_email(address) if "@" in (address or "") else mask_phone(address)


_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def mask_text(text: str | None) -> str:
    """Mask every mainland mobile number and e-mail address inside free text (error messages)."""
    text = _PHONE.sub(r"\1****\2", text or "")
    return _EMAIL.sub(r"\1***@\2", text)
