"""Uploaded case materials: the content decides the type, never the file name.

A file is accepted only if its bytes are a PDF, JPEG, PNG or OFD (the Chinese fixed-layout document
format, a zip with OFD.xml), it is not empty and not over the size limit. Its SHA-256 is kept so that a
stored file can always be proven to be the one the applicant sent.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile

from onewindow.core.errors import ApplicationError

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/ofd": "ofd",
}
ALLOWED_LABEL = "PDF、JPG、PNG 或 OFD"


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile
    original_name: str
    content_type: str
    size: int
    sha256: str


def _max_bytes() -> int:
    return getattr(settings, "CASES_MAX_FILE_BYTES", 20 * 1024 * 1024)


def sniff(data: bytes) -> str | None:
    """The real content type of `data`, or None if it is none of the allowed ones."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "OFD.xml" in zf.namelist():
                    return "application/ofd"
        except zipfile.BadZipFile:
            return None
        return None
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    return None


def check_upload(upload, *, field: str = "file") -> CheckedFile:
    """Read, check and fingerprint an uploaded file; raise ApplicationError with a Chinese message."""
    name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    size = getattr(upload, "size", None)
    limit = _max_bytes()
    if size is not None and size > limit:
        raise ApplicationError(f"文件“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后重新上传。",
                               code="file_too_large", fields={field: "文件过大。"})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ApplicationError(f"文件“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后重新上传。",
                               code="file_too_large", fields={field: "文件过大。"})
    if not data:
        raise ApplicationError(f"文件“{name}”是空文件，请重新选择。", code="file_empty", fields={field: "空文件。"})
    content_type = sniff(data)
    if content_type is None:
        raise ApplicationError(
            f"文件“{name}”的内容不是 {ALLOWED_LABEL} 文件（系统按文件内容而不是扩展名判断），请检查后重新上传。",
            code="file_type_not_allowed", fields={field: f"只接受 {ALLOWED_LABEL} 文件。"})
    digest = hashlib.sha256(data).hexdigest()
    stored_name = f"{digest[:16]}.{ALLOWED_TYPES[content_type]}"
    return CheckedFile(ContentFile(data, name=stored_name), name, content_type, len(data), digest)
