"""Helpers of the online hall tests: a citizen account, a food licence with a schema, files by content."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.cases.tests.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, valid_ric
from onewindow.org.tests.factories import UserFactory

SCHEMA = {
    "type": "object",
    "required": ["shop_name", "area"],
    "properties": {
        "shop_name": {"type": "string", "title": "店铺名称", "maxLength": 20, "description": "与营业执照一致"},
        "area": {"type": "number", "title": "经营面积（平方米）", "minimum": 1, "maximum": 10000},
        "staff": {"type": "integer", "title": "从业人员数", "minimum": 1},
        "category": {"type": "string", "title": "经营类别", "enum": ["snack", "restaurant"],
                     "enumNames": ["小吃店", "餐馆"]},
        "open_date": {"type": "string", "format": "date", "title": "开业日期"},
        "email": {"type": "string", "format": "email", "title": "联系邮箱"},
        "chain": {"type": "boolean", "title": "连锁经营"},
        "branches": {"type": "array", "title": "分店地址", "items": {"type": "string"}},
    },
}


def citizen(username: str = "liming", **kwargs):
    return UserFactory(username=username, name=kwargs.pop("name", "李明"), mobile=kwargs.pop("mobile", "13800138000"),
                       **kwargs)


def pdf(name: str = "申请书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def exe_as_pdf(name: str = "营业执照.pdf") -> SimpleUploadedFile:
    """A Windows program renamed to .pdf and sent as application/pdf."""
    return SimpleUploadedFile(name, EXE_BYTES, content_type="application/pdf")


def person_fields(**overrides) -> dict:
    data = {"kind": "person", "name": "李明", "id_number": valid_ric(7), "phone": "13800138000",
            "email": "", "address": "示范县人民路 8 号"}
    data.update(overrides)
    return data


def slot(spec) -> str:
    return f"material-{spec.pk}"
