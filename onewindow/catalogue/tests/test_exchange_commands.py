"""The catalogue_template / catalogue_import / catalogue_export commands, as an administrator runs them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.tests.exchange_builders import catalogue
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_template_command_writes_the_template(tmp_path):
    path = tmp_path / "模板.xlsx"
    out, _err = _call("catalogue_template", str(path))
    assert "已生成导入模板" in out
    assert "事项基本信息" in load_workbook(path, read_only=True).sheetnames
    with pytest.raises(CommandError, match=r"\.xlsx"):
        _call("catalogue_template", str(tmp_path / "模板.txt"))


def test_import_command_publishes_and_summarises(tmp_path):
    UserFactory(username="admin", is_superuser=True)
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(catalogue(DepartmentFactory(), codes=("11430422MB000001", "11430422MB000002")))
    out, _err = _call("catalogue_import", str(path), "--user", "admin", "--publish", "--no-progress")
    assert "导入完成：共 2 个事项，新建 2 个，更新 0 个，发布 2 个，未变化 0 个。" in out
    assert ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 2


def test_import_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(catalogue(DepartmentFactory()))
    out, _err = _call("catalogue_import", str(path), "--dry-run")
    assert "校验通过：共 1 个事项（预计新建 1 个" in out
    assert not ServiceItem.objects.exists()


def test_import_command_fails_with_every_message_and_no_traceback(tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(catalogue(DepartmentFactory(), **{"承诺办结时限": 30, "办件类型": "急件"}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败：共发现 2 处问题，未导入任何数据"):
        call_command("catalogue_import", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        "实施编码 11430422MB000001：",
        "  事项基本信息 第 2 行「承诺办结时限」：承诺办结时限（30）不能超过法定办结时限（20）",
        "  事项基本信息 第 2 行「办件类型」：“急件”不是有效的办件类型，可选：即办件、承诺件",
    ]
    assert not ServiceItem.objects.exists()


def test_import_command_refuses_bad_files_and_users(tmp_path):
    pdf = tmp_path / "catalogue.xlsx"
    pdf.write_bytes(b"%PDF-1.4 not a workbook")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("catalogue_import", str(pdf), stdout=io.StringIO(), stderr=err)
    assert "文件不是有效的 Excel（.xlsx）文件" in err.getvalue()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("catalogue_import", str(tmp_path / "missing.xlsx"), stdout=io.StringIO(), stderr=err)
    assert "找不到文件" in err.getvalue()
    with pytest.raises(CommandError, match="--publish 须用 --user 指定一名超级用户"):
        _call("catalogue_import", str(pdf), "--publish")
    UserFactory(username="clerk")
    with pytest.raises(CommandError, match="不是超级用户"):
        _call("catalogue_import", str(pdf), "--publish", "--user", "clerk")
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        _call("catalogue_import", str(pdf), "--user", "nobody")


def test_export_command_json_and_xlsx(tmp_path):
    published_item()
    out, _err = _call("catalogue_export", "--format", "json", str(tmp_path / "c.json"))
    assert "已导出 1 个已发布事项" in out
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["schema_version"] == 1
    _call("catalogue_export", str(tmp_path / "c.xlsx"), "--all-drafts")
    ws = load_workbook(tmp_path / "c.xlsx", read_only=True)["事项基本信息"]
    assert len(list(ws.iter_rows(min_row=2, values_only=True))) == 1


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_import_command_shows_progress_on_a_terminal(tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(catalogue(DepartmentFactory()))
    err = _Terminal()
    call_command("catalogue_import", str(path), stdout=io.StringIO(), stderr=err)
    assert "校验: 100%" in err.getvalue() and "写入: 100%" in err.getvalue()
