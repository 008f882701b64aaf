"""Drafts of online applications: open, save, attach files, submit exactly once; the delivery choice."""

from __future__ import annotations

import contextlib

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.cases import permissions as case_permissions
from onewindow.cases.constants import FINAL_STATUSES, ApplicantKind, Channel
from onewindow.cases.files import check_upload
from onewindow.cases.models import Case
from onewindow.cases.services import applicant_get_or_create, case_submit
from onewindow.catalogue.constants import Necessity, OnlineDepth, VersionStatus
from onewindow.catalogue.models import ServiceItem
from onewindow.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied

from .constants import DeliveryChoice, DraftStatus
from .models import ApplicationDraft, DeliveryPreference, DraftFile

__all__ = [
    "APPLICANT_FIELDS",
    "delivery_preference_set",
    "draft_attach_file",
    "drafts_purge",
    "draft_open",
    "draft_remove_file",
    "draft_save",
    "draft_submit",
    "missing_required_materials",
]

# The applicant part of a draft, as the form has it (company_name is the applicant's name for a company).
APPLICANT_FIELDS = ("kind", "name", "id_number", "company_name", "credit_code", "legal_representative", "phone",
                    "email", "address", "on_behalf")


def _published_item(item_code: str) -> ServiceItem:
    item = (ServiceItem.objects.select_related("published_version")
            .filter(implementation_code=(item_code or "")[:40]).first())
    if item is None or item.published_version is None or item.published_version.status != VersionStatus.PUBLISHED:
        raise NotFound("该事项不存在或未发布，不能申请。")
    if item.published_version.online_depth < OnlineDepth.PREREVIEW:
        raise Conflict("该事项暂不支持网上申请，请按办事指南到窗口办理。", code="not_online")
    return item


def _delete_files_on_commit(names: list[str], storage) -> None:
    def delete():
        for name in names:
            with contextlib.suppress(OSError):  # a missing file is already gone
                storage.delete(name)
    if names:
        transaction.on_commit(delete)


@transaction.atomic
def draft_open(*, user, item_code: str) -> ApplicationDraft:
    """The user's open draft of this item, created if there is none: "在线办理" twice resumes the same draft.

    If the item was republished since, the draft moves to the new version; files of materials that keep
    their name move with it, the others are dropped (the slot no longer exists).
    """
    item = _published_item(item_code)
    version = item.published_version
    draft = (ApplicationDraft.objects.select_for_update()
             .filter(user=user, item=item, status=DraftStatus.OPEN).first())
    if draft is None:
        try:
            with transaction.atomic():
                return ApplicationDraft.objects.create(user=user, item=item, version=version)
        except IntegrityError:  # a double click created it concurrently
            return ApplicationDraft.objects.get(user=user, item=item, status=DraftStatus.OPEN)
    if draft.version_id != version.pk:
        by_name = {m.name: m for m in version.materials.all()}
        gone = []
        for f in draft.files.select_related("spec"):
            new = by_name.get(f.spec.name)
            if new is None:
                gone.append(f.file.name)
                f.delete()
            else:
                f.spec = new
                f.save(update_fields=["spec"])
        _delete_files_on_commit(gone, DraftFile._meta.get_field("file").storage)
        draft.version = version
        draft.save(update_fields=["version", "updated_at"])
    return draft


def _lock_open(draft: ApplicationDraft | int, user) -> ApplicationDraft:
    pk = draft.pk if isinstance(draft, ApplicationDraft) else draft
    draft = (ApplicationDraft.objects.select_for_update(of=("self",)).select_related("version", "item")
             .filter(pk=pk).first())
    if draft is None or draft.user_id != getattr(user, "pk", None):
        raise NotFound("未找到该申请草稿。")
    if draft.status != DraftStatus.OPEN:
        raise Conflict("该申请已经提交，不能再修改。可在“我的办件”中查看办理进度。", code="draft_submitted")
    return draft


@transaction.atomic
def draft_save(*, user, draft: ApplicationDraft | int, applicant_data: dict | None = None,
               form_data: dict | None = None) -> ApplicationDraft:
    """Store what the applicant typed so far, valid or not: nothing typed is ever lost."""
    draft = _lock_open(draft, user)
    fields = ["updated_at"]
    if applicant_data is not None:
        draft.applicant_data = {k: str(v)[:300] for k, v in applicant_data.items() if k in APPLICANT_FIELDS}
        fields.append("applicant_data")
    if form_data is not None:
        draft.form_data = form_data
        fields.append("form_data")
    draft.save(update_fields=fields)
    return draft


@transaction.atomic
def draft_attach_file(*, user, draft: ApplicationDraft | int, spec_id: int, upload) -> DraftFile:
    """Check the file by its content (cases.files.check_upload) and keep it in the slot, replacing the last."""
    draft = _lock_open(draft, user)
    spec = draft.version.materials.filter(pk=spec_id).first()
    if spec is None:
        raise ApplicationError("上传的材料不属于该事项。", fields={f"materials.{spec_id}": "未知的材料。"})
    checked = check_upload(upload, field=f"materials.{spec.pk}")
    old = DraftFile.objects.filter(draft=draft, spec=spec).first()
    if old is not None:
        _delete_files_on_commit([old.file.name], old.file.storage)
        old.delete()
    stored = DraftFile.objects.create(draft=draft, spec=spec, file=checked.content,
                                      original_name=checked.original_name, content_type=checked.content_type,
                                      size=checked.size, sha256=checked.sha256)
    draft.save(update_fields=["updated_at"])
    return stored


@transaction.atomic
def draft_remove_file(*, user, draft: ApplicationDraft | int, spec_id: int) -> None:
    draft = _lock_open(draft, user)
    old = DraftFile.objects.filter(draft=draft, spec_id=spec_id).first()
    if old is not None:
        _delete_files_on_commit([old.file.name], old.file.storage)
        old.delete()
        draft.save(update_fields=["updated_at"])


def missing_required_materials(draft: ApplicationDraft, files=None) -> list:
    """必要 materials without a file. 容缺 ones may follow after acceptance, 情形必要 ones only when their
    condition applies, and those an electronic certificate replaces (免提交) are fetched by the bureau."""
    have = {f.spec_id for f in (files if files is not None else draft.files.all())}
    return [m for m in draft.version.materials.all()
            if m.necessity == Necessity.REQUIRED and not m.is_reusable and m.pk not in have]


def _applicant(user, data: dict):
    """The applicant record; `account_id` (an account's real-name identity) links it to that account, which
    is the user's own or a company's that authorised the user to apply for it (企业经办人授权)."""
    account = user
    account_id = data.get("account_id")
    if account_id and str(account_id) != str(user.pk):
        from onewindow.accounts.constants import AuthorizationScope
        from onewindow.accounts.selectors import may_act_for

        account = get_user_model().objects.filter(pk=account_id).first()
        if account is None or not may_act_for(user, account, scope=AuthorizationScope.APPLY):
            raise PermissionDenied("您没有以该单位名义申请的授权，或授权已失效。", code="not_authorised")
    kind = data.get("kind") or ApplicantKind.PERSON
    return applicant_get_or_create(
        kind=kind, name=data.get("name", ""), id_number=data.get("id_number", ""),
        credit_code=data.get("credit_code", ""), legal_representative=data.get("legal_representative", ""),
        phone=data.get("phone", ""), email=data.get("email", ""), address=data.get("address", ""), user=account)


@transaction.atomic
def draft_submit(*, user, draft: ApplicationDraft | int, applicant: dict, form_data: dict | None = None) -> Case:
    """Submit the draft as a case, once. A second call (double click, back button, another tab) returns the
    same case with `was_created` False: the draft is locked, and the case is filed with the draft's id as
    idempotency key, so even a race can only ever create one case.

    `applicant` is the applicant as `applicant_get_or_create` takes it (kind, name, id_number or credit_code,
    contact data), checked by the caller's form; its identity is validated again here. `form_data` is the
    application form as typed JSON (the draft keeps what was typed, as text); the case validates it against
    the version's schema.
    """
    pk = draft.pk if isinstance(draft, ApplicationDraft) else draft
    # Lock the draft row only (the case is an outer join, which PostgreSQL cannot lock).
    locked = (ApplicationDraft.objects.select_for_update(of=("self",)).select_related("version", "item")
              .filter(pk=pk).first())
    if locked is None or locked.user_id != getattr(user, "pk", None):
        raise NotFound("未找到该申请草稿。")
    if locked.status == DraftStatus.SUBMITTED and locked.case is not None:
        locked.case.was_created = False
        return locked.case
    draft = locked
    if draft.item.published_version_id != draft.version_id:
        raise Conflict("该事项的办事指南已更新，请重新打开申请表核对后再提交。", code="version_changed")
    files = list(draft.files.select_related("spec"))
    missing = missing_required_materials(draft, files)
    if missing:
        names = "、".join(m.name for m in missing)
        raise ApplicationError(f"请上传以下必要材料后再提交：{names}。", code="materials_missing",
                               fields={f"materials.{m.pk}": "请上传此材料。" for m in missing})
    applicant = _applicant(user, applicant)
    uploads = {}
    for f in files:
        with f.file.open("rb") as handle:
            uploads[f.spec_id] = ContentFile(handle.read(), name=f.original_name)
    case = case_submit(actor=user, item_code=draft.item.implementation_code, applicant=applicant,
                       channel=Channel.ONLINE, form_data=form_data if form_data is not None else (draft.form_data or {}),
                       files=uploads,
                       idempotency_key=draft.idempotency_key)
    draft.status = DraftStatus.SUBMITTED
    draft.case = case
    draft.submitted_at = timezone.now()
    draft.save(update_fields=["status", "case", "submitted_at", "updated_at"])
    # The case holds its own copies now; the draft's files go once the submission is committed.
    _delete_files_on_commit([f.file.name for f in files], DraftFile._meta.get_field("file").storage)
    draft.files.all().delete()
    return case


@transaction.atomic
def delivery_preference_set(*, actor, case: Case, method: str, address: str = "", recipient: str = "",
                            phone: str = "") -> DeliveryPreference:
    """The applicant's choice of window pickup or free mail, until the result is delivered."""
    case = Case.objects.select_for_update(of=("self",)).select_related("applicant", "version").get(pk=case.pk)
    if not case_permissions.is_applicant(actor, case):
        raise PermissionDenied("只有申请人可以选择送达方式。")
    if case.status in FINAL_STATUSES:
        raise Conflict(f"办件当前状态为“{case.get_status_display()}”，不能再选择送达方式。", code="invalid_transition")
    if method not in DeliveryChoice.values:
        raise ApplicationError("请选择窗口领取或免费邮寄。", fields={"method": "请选择送达方式。"})
    address = (address or "").strip()[:300]
    if method == DeliveryChoice.MAIL:
        if not case.version.supports_mail_delivery:
            raise ApplicationError("该事项不提供邮寄送达，请选择窗口领取。", fields={"method": "该事项不提供邮寄。"})
        if not address:
            raise ApplicationError("免费邮寄须填写收件地址。", fields={"address": "请填写收件地址。"})
    else:
        address = ""
    pref, _ = DeliveryPreference.objects.update_or_create(
        case=case, defaults={"method": method, "address": address, "recipient": (recipient or "").strip()[:64],
                             "phone": (phone or "").strip()[:20], "updated_by": actor})
    return pref




def drafts_purge(*, older_than_days: int = 90, dry_run: bool = False) -> int:
    """Delete open drafts not saved for `older_than_days` days, with their files (personal data is not kept
    for applications that were never made). Submitted drafts are kept: they link the account to its case."""
    import datetime as dt

    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    stale = ApplicationDraft.objects.filter(status=DraftStatus.OPEN, updated_at__lt=cutoff)
    count = stale.count()
    if dry_run or not count:
        return count
    with transaction.atomic():
        files = list(DraftFile.objects.filter(draft__in=stale).values_list("file", flat=True))
        stale.delete()
        _delete_files_on_commit(files, DraftFile._meta.get_field("file").storage)
    return count
