"""Download of a legal document by the applicant or by staff who may see the case."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.views.decorators.http import require_GET

from onewindow.cases.permissions import is_applicant
from onewindow.core.errors import NotFound

from .selectors import document_get_for_user
from .services import document_record_download


def content_disposition(filename: str, fallback: str, disposition: str = "attachment") -> str:
    """RFC 6266 / 5987: an ASCII fallback name and the real (Chinese) name as filename*=UTF-8''…"""
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@require_GET
def download(request, ref: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = document_get_for_user(user=request.user, ref=ref)  # NotFound → the Chinese 404 page
    if not is_applicant(request.user, document.case):
        document_record_download(actor=request.user, document=document)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound("文书文件缺失，请联系办理部门。") from exc
    response = FileResponse(handle, content_type="application/pdf")
    disposition = "inline" if request.GET.get("inline") == "1" else "attachment"
    response["Content-Disposition"] = content_disposition(document.filename, f"document-{document.pk}.pdf",
                                                          disposition)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
