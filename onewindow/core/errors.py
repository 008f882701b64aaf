"""One error shape for the whole platform (DESIGN.md §8).

Services raise ApplicationError; the API turns it into a 4xx JSON body
{"code", "message", "fields"} and pages show `message` (Chinese) to the user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: Mapping[str, Sequence[str] | str] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.fields = {k: [str(v)] if isinstance(v, str) else [str(x) for x in v] for k, v in (fields or {}).items()}
        if status is not None:
            self.status_code = status

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class PermissionDenied(ApplicationError):
    status_code = 403

    def __init__(self, message: str = _("您没有执行此操作的权限。"), **kwargs) -> None:
        kwargs.setdefault("code", "permission_denied")
        super().__init__(message, **kwargs)


class NotFound(ApplicationError):
    status_code = 404

    def __init__(self, message: str = _("未找到。"), **kwargs) -> None:
        kwargs.setdefault("code", "not_found")
        super().__init__(message, **kwargs)


class Conflict(ApplicationError):
    """The action is not allowed in the object's current state, or someone else changed it first."""

    status_code = 409

    def __init__(self, message: str, **kwargs) -> None:
        kwargs.setdefault("code", "conflict")
        super().__init__(message, **kwargs)
