"""网上申请草稿: an online application saved and resumed before it is submitted as a case, and the
applicant's delivery choice (送达方式) recorded before the result is delivered.

Cases have no draft state that survives across requests, so the online hall keeps its drafts here;
submitting a draft calls `cases.services.case_submit` with the draft's id as idempotency key.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import DeliveryChoice, DraftStatus


class ApplicationDraft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("网上账户"), on_delete=models.CASCADE,
                             related_name="application_drafts")
    item = models.ForeignKey("catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    version = models.ForeignKey("catalogue.ItemVersion", verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="+")
    applicant_data = models.JSONField(_("申请人信息"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField(_("状态"), max_length=12, choices=DraftStatus.choices, default=DraftStatus.OPEN)
    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("网上申请草稿")
        verbose_name_plural = _("网上申请草稿")
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One open draft per account and item: "在线办理" again resumes it.
            models.UniqueConstraint(fields=["user", "item"], condition=Q(status=DraftStatus.OPEN),
                                    name="applications_one_open_draft_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"

    @property
    def idempotency_key(self) -> str:
        return f"draft-{self.pk}"


class DraftFile(models.Model):
    """The file of one material slot of a draft, checked by content like a case material."""

    draft = models.ForeignKey(ApplicationDraft, on_delete=models.CASCADE, related_name="files")
    spec = models.ForeignKey("catalogue.MaterialSpec", verbose_name=_("材料"), on_delete=models.CASCADE,
                             related_name="+")
    file = models.FileField(_("文件"), upload_to="drafts/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("草稿材料")
        verbose_name_plural = _("草稿材料")
        constraints = [models.UniqueConstraint(fields=["draft", "spec"], name="applications_one_file_per_slot")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class DeliveryPreference(models.Model):
    """The applicant's choice of how to receive the result (窗口领取 or 免费邮寄), shown to staff at delivery.

    `cases.services.case_deliver` records how the result was actually delivered; this is the wish before.
    """

    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                                related_name="delivery_preference")
    method = models.CharField(_("送达方式"), max_length=12, choices=DeliveryChoice.choices)
    recipient = models.CharField(_("收件人"), max_length=64, blank=True)
    phone = models.CharField(_("收件电话"), max_length=20, blank=True)
    address = models.CharField(_("邮寄地址"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("选择时间"), auto_now=True)

    class Meta:
        verbose_name = _("送达方式选择")
        verbose_name_plural = _("送达方式选择")
        constraints = [
            models.CheckConstraint(condition=~Q(method=DeliveryChoice.MAIL) | ~Q(address=""),
                                   name="applications_mail_has_address"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_method_display()}"
