import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.cases.files import check_upload, sniff
from onewindow.cases.tests.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES
from onewindow.core.errors import ApplicationError


def test_type_comes_from_content_not_name():
    assert sniff(PDF_BYTES) == "application/pdf"
    assert sniff(PNG_BYTES) == "image/png"
    checked = check_upload(SimpleUploadedFile("photo.pdf", PNG_BYTES))
    assert checked.content_type == "image/png" and checked.content.name.endswith(".png")
    assert len(checked.sha256) == 64 and checked.size == len(PNG_BYTES)


def test_disguised_executable_is_refused_in_chinese():
    with pytest.raises(ApplicationError) as exc:
        check_upload(SimpleUploadedFile("营业执照.pdf", EXE_BYTES))
    assert exc.value.code == "file_type_not_allowed" and "按文件内容" in exc.value.message


def test_ofd_is_recognised_and_other_zips_are_not():
    import zipfile

    def make_zip(names):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for n in names:
                zf.writestr(n, "<x/>")
        return buf.getvalue()

    assert sniff(make_zip(["OFD.xml", "Doc_0/Document.xml"])) == "application/ofd"
    assert sniff(make_zip(["word/document.xml"])) is None


def test_empty_and_oversize_files_are_refused(settings):
    with pytest.raises(ApplicationError, match="空文件"):
        check_upload(SimpleUploadedFile("a.pdf", b""))
    settings.CASES_MAX_FILE_BYTES = 100
    with pytest.raises(ApplicationError, match="超过"):
        check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES + b"x" * 200))
