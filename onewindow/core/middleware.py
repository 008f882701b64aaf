"""Request id for logs and audit rows, and ApplicationError → a Chinese message on pages."""

from __future__ import annotations

import contextvars
import logging
import uuid

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render

from .errors import ApplicationError

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = _request_id.set(rid)
        request.request_id = rid
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class ApplicationErrorMiddleware:
    """A page view that lets an ApplicationError escape gets the message, not a 500.

    Form posts go back where they came from with the message flashed; anything else
    renders the error page with the right status.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError) or request.path.startswith("/api/"):
            return None
        if request.method == "POST" and not request.headers.get("HX-Request"):
            messages.error(request, exception.message)
            return HttpResponseRedirect(request.get_full_path())
        return render(request, "error.html", {"error": exception}, status=exception.status_code)
