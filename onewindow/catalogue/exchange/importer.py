"""Import: a file (Excel or JSON) and an actor in, an `ImportResult` out. All or nothing per file.

    result = catalogue_import(file=upload, actor=request.user, filename=upload.name)
    if not result.ok:
        show(result.error_lines())

Steps: check the size before reading; read the file into raw items (readers report structural
problems); validate every item (PayloadValidator); if anything is wrong, stop and write nothing.
Otherwise write all items in one transaction through the catalogue services (item_create for new
codes; version_update on the open draft, or version_start_draft + version_update), optionally
publishing each through version_publish_unreviewed (superusers only). A failure while writing rolls
everything back and is reported like a validation problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import translation

from onewindow.core.errors import ApplicationError

from .. import services
from .excel import read_workbook
from .jsonio import read_json
from .payload import (
    CREATE,
    EXCEL,
    JSON,
    UNCHANGED,
    UPDATE_DRAFT,
    ItemPayload,
    PayloadValidator,
    Problem,
    format_problems,
    problem_order,
)

Progress = Callable[..., Iterable]

XLSX_FORMAT = "xlsx"
JSON_FORMAT = "json"


@dataclass
class ImportResult:
    filename: str = ""
    file_format: str = ""
    publish: bool = False
    dry_run: bool = False
    items: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return format_problems(self.errors)

    def warning_lines(self) -> list[str]:
        return format_problems(self.warnings)

    def summary(self) -> str:
        if not self.ok:
            return f"导入失败：共发现 {len(self.errors)} 处问题，未导入任何数据。请修改后重新导入。"
        counts = (f"新建 {len(self.created)} 个，更新 {len(self.updated)} 个，发布 {len(self.published)} 个，"
                  f"未变化 {len(self.unchanged)} 个")
        if self.dry_run:
            return f"校验通过：共 {self.items} 个事项（预计{counts}）。仅校验，未写入数据。"
        return f"导入完成：共 {self.items} 个事项，{counts}。"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "filename": self.filename, "format": self.file_format, "publish": self.publish,
            "dry_run": self.dry_run, "items": self.items, "summary": self.summary(),
            "errors": [p.as_dict() for p in self.errors], "warnings": [p.as_dict() for p in self.warnings],
            "created": self.created, "updated": self.updated, "published": self.published,
            "unchanged": self.unchanged,
        }


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_big(size: int, limit: int) -> Problem:
    return Problem(f"文件过大（{_mb(size)}），超过 {_mb(limit)} 的上限，请拆分成多个文件分批导入")


def read_limited(source) -> tuple[bytes | None, Problem | None]:
    """The bytes of a path, bytes or file object, refusing anything over CATALOGUE_IMPORT_MAX_BYTES.

    The size is checked before anything is opened or parsed (a path's size on disk, an upload's
    `.size`); a stream without a size is read at most one byte past the limit.
    """
    limit = settings.CATALOGUE_IMPORT_MAX_BYTES
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        try:
            size = os.path.getsize(source)
        except OSError:
            return None, Problem(f"找不到文件“{os.fspath(source)}”")
        if size > limit:
            return None, _too_big(size, limit)
        try:
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            return None, Problem(f"无法读取文件：{exc.strerror or exc}")
    else:
        size = getattr(source, "size", None)
        if isinstance(size, int) and size > limit:
            return None, _too_big(size, limit)
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limit + 1)
    if len(data) > limit:
        return None, _too_big(len(data), limit)
    return data, None


def detect_format(content: bytes, filename: str = "") -> str:
    name = filename.lower()
    if name.endswith(".json"):
        return JSON_FORMAT
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        return XLSX_FORMAT
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return JSON_FORMAT if head[:1] in (b"{", b"[") else XLSX_FORMAT


def _no_progress(iterable, **_kwargs):
    return iterable


def catalogue_import(*, file, actor=None, publish: bool = False, dry_run: bool = False, filename: str = "",
                     file_format: str | None = None, reason: str = "", progress: Progress | None = None) -> ImportResult:
    """Validate a whole catalogue file and, when it has no problem at all, write it; never half of it.

    `file`: a path, bytes or a file object (e.g. a Django UploadedFile). `actor`: the user (None = the
    system; permissions are checked per department when given). `publish`: publish every imported
    draft without review (superusers only; the quality rules must all pass). `dry_run`: validate only.
    `progress`: optional wrapper like tqdm for the validate and write loops.
    """
    filename = filename or (os.path.basename(os.fspath(file)) if isinstance(file, str | os.PathLike)
                            else getattr(file, "name", "") or "")
    result = ImportResult(filename=str(filename), publish=publish, dry_run=dry_run)
    progress = progress or _no_progress
    with translation.override("zh-hans"):
        if publish and not getattr(actor, "is_superuser", False):
            result.errors.append(Problem("只有系统管理员（超级用户）可以导入并直接发布事项，请用 --user 指定超级用户"))
            return result
        content, problem = read_limited(file)
        if problem is not None:
            result.errors.append(problem)
            return result
        result.file_format = file_format or detect_format(content, result.filename)
        if result.file_format == JSON_FORMAT:
            raw_items, problems = read_json(content)
            dialect = JSON
        else:
            raw_items, problems = read_workbook(content)
            dialect = EXCEL
        result.errors.extend(problems)
        result.items = len(raw_items)
        if not raw_items:
            return result
        validator = PayloadValidator(dialect=dialect, actor=actor, publish=publish)
        payloads = validator.validate(raw_items, progress=progress)
        result.errors.extend(validator.problems)
        result.warnings.extend(validator.warnings)
        result.errors.sort(key=problem_order)
        result.warnings.sort(key=problem_order)
        if not result.ok:
            return result
        if dry_run:
            _plan(payloads, result)
            return result
        write_payloads(payloads, actor=actor, publish=publish, result=result, progress=progress,
                       reason=reason or f"批量导入{('：' + result.filename) if result.filename else ''}")
    return result


def _plan(payloads: list[ItemPayload], result: ImportResult) -> None:
    for p in payloads:
        if p.action == UNCHANGED:
            result.unchanged.append(p.implementation_code)
            continue
        (result.created if p.action == CREATE else result.updated).append(p.implementation_code)
        if result.publish:
            result.published.append(p.implementation_code)


class _Rollback(Exception):
    pass


def _error_text(exc: ApplicationError) -> str:
    details = [m.rstrip("。") for messages in exc.fields.values() for m in messages]
    if exc.code == "quality_violations" and details:
        return f"{exc.message.rstrip('。')}：{'；'.join(dict.fromkeys(details))}"
    return exc.message.rstrip("。")


def write_payloads(payloads: list[ItemPayload], *, actor, publish: bool, result: ImportResult, reason: str,
                   progress: Progress = _no_progress) -> None:
    """Write validated payloads in one transaction; on any failure roll back and report it in `result`."""
    done = ImportResult()
    failures: list[Problem] = []
    try:
        with transaction.atomic():
            for p in progress(payloads, desc="写入", total=len(payloads)):
                try:
                    with transaction.atomic():
                        _write_one(p, actor=actor, publish=publish, reason=reason, done=done)
                except ApplicationError as exc:
                    failures.append(Problem(_error_text(exc), p.raw.where(), p.implementation_code))
                except DatabaseError as exc:
                    failures.append(Problem(f"写入数据库失败（{type(exc).__name__}）：{str(exc).strip()[:200]}",
                                            p.raw.where(), p.implementation_code))
            if failures:
                raise _Rollback
    except _Rollback:
        result.errors.extend(failures)
        return
    result.created, result.updated = done.created, done.updated
    result.published, result.unchanged = done.published, done.unchanged


def _keep_files(version, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Materials keep their uploaded 空白表格 / 样表 when a row of the same name is imported."""
    files = {m.name: m for m in version.materials.all() if m.blank_form or m.sample}
    out = []
    for row in rows:
        row = dict(row)
        current = files.get(row.get("name"))
        if current is not None:
            row.setdefault("blank_form", current.blank_form.name)
            row.setdefault("sample", current.sample.name)
        out.append(row)
    return out


def _write_one(p: ItemPayload, *, actor, publish: bool, reason: str, done: ImportResult) -> None:
    code = p.implementation_code
    if p.action == UNCHANGED:
        done.unchanged.append(code)
        return
    data = dict(p.data)
    if p.item is None:
        version = services.item_create(actor=actor, department=p.department, implementation_code=code,
                                       basic_code=p.basic_code, data=data)
        done.created.append(code)
    else:
        if p.action == UPDATE_DRAFT:
            version = p.base
        else:
            version = services.version_start_draft(actor=actor, item=p.item)
        if "materials" in data:
            data["materials"] = _keep_files(version, data["materials"])
        version = services.version_update(actor=actor, version=version, data=data)
        done.updated.append(code)
    if publish:
        services.version_publish_unreviewed(actor=actor, version=version, reason=reason)
        done.published.append(code)
