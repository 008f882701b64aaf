from __future__ import annotations

from django.contrib import messages

from onewindow.core.errors import ApplicationError


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def apply_error(request, form, exc: ApplicationError, *, show_message: bool = True) -> None:
    """Put a service error where the user looks: each field message next to its field, the rest on top."""
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
    if show_message:
        messages.error(request, exc.message)
