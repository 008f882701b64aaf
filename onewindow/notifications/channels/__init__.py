"""Delivery channels behind a registry (DESIGN.md §12).

A channel is a class with `name`, `label`, `is_enabled()`, `address_for(message)` and `send(delivery)`.
`send` returns the provider's message id (or "") and raises RetryableError (try again later, with backoff) or
PermanentError (record the failure, never retry). Channels come from settings.NOTIFICATIONS_CHANNELS, a list of
dotted paths; a channel that is not configured reports `is_enabled() == False` and gets no deliveries.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_CHANNELS = [
    "onewindow.notifications.channels.mail.EmailChannel",
    "onewindow.notifications.channels.sms.SmsChannel",
]


class DeliveryError(Exception):
    """A channel could not send. `retryable` says whether trying again later may help."""

    retryable = True


class RetryableError(DeliveryError):
    retryable = True


class PermanentError(DeliveryError):
    retryable = False


class Channel:
    name = ""
    label = ""

    def is_enabled(self) -> bool:
        raise NotImplementedError

    def address_for(self, message) -> str:
        """Where to send `message` (a phone number, an e-mail address); "" if the applicant has none."""
        raise NotImplementedError

    def send(self, delivery) -> str:
        raise NotImplementedError


_registry: dict[str, Channel] | None = None


def reset_registry(**kwargs) -> None:
    """Forget the loaded channels (settings changed, e.g. in tests)."""
    global _registry
    _registry = None


def registry() -> dict[str, Channel]:
    global _registry
    if _registry is None:
        loaded: dict[str, Channel] = {}
        for path in getattr(settings, "NOTIFICATIONS_CHANNELS", None) or DEFAULT_CHANNELS:
            channel = import_string(path)()
            loaded[channel.name] = channel
        _registry = loaded
    return _registry


def get_channel(name: str) -> Channel | None:
    return registry().get(name)


def enabled_channels() -> list[Channel]:
    return [c for c in registry().values() if c.is_enabled()]


def channel_label(name: str) -> str:
    channel = get_channel(name)
    return str(channel.label) if channel else name
