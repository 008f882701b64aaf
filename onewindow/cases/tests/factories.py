"""Case test helpers: real files (by content), applicants with valid IDs, cases filed through the service."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from onewindow.cases import services
from onewindow.cases.constants import ApplicantKind, Channel
from onewindow.catalogue.tests.factories import published_item

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
             b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"


def valid_ric(seq: int = 1, birth: str = "19900101") -> str:
    body = f"110105{birth}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def person(seq: int = 1, user=None, name: str = "李明"):
    return services.applicant_get_or_create(kind=ApplicantKind.PERSON, name=name, id_number=valid_ric(seq),
                                            phone="13800000000", user=user)


def submitted_case(*, version=None, applicant=None, actor=None, all_materials: bool = True, skip=(), **kwargs):
    """A case filed online with a PDF for every material (except the names in `skip`)."""
    version = version or published_item()
    applicant = applicant or person()
    files = {m.pk: pdf(f"{m.name}.pdf") for m in version.materials.all()
             if all_materials and m.name not in skip}
    return services.case_submit(actor=actor, item_code=version.item.implementation_code, applicant=applicant,
                                channel=kwargs.pop("channel", Channel.ONLINE), files=files, **kwargs)
