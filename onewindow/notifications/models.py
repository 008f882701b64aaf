"""站内信 to applicants, and one delivery row per channel (e-mail, SMS ...) that carries it further."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import DeliveryStatus
from .masking import mask_address


class Message(models.Model):
    """One in-app message. Always kept for the applicant; shown to their online account when they have one."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收账户"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    applicant = models.ForeignKey("cases.Applicant", verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="messages")
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="messages")
    event = models.ForeignKey("cases.CaseEvent", verbose_name=_("办件事件"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    template = models.CharField(_("消息模板"), max_length=40, blank=True)  # SMS gateways send by template
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内信")
        verbose_name_plural = _("站内信")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One message per case event: the receiver may run twice.
            models.UniqueConstraint(fields=["event"], condition=Q(event__isnull=False),
                                    name="notifications_one_message_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["applicant", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """The message sent over one channel; retried with backoff until sent or failed for good."""

    message = models.ForeignKey(Message, verbose_name=_("站内信"), on_delete=models.CASCADE,
                                related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=16)
    address = models.CharField(_("地址"), max_length=254)  # phone or e-mail; shown masked everywhere
    status = models.CharField(_("状态"), max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始发送"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="notifications_one_delivery_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address_masked}"

    @property
    def address_masked(self) -> str:
        return mask_address(self.address)


class StaffNotice(models.Model):
    """工作提醒: a notice to a staff member (a yellow/red card, a bad rating to handle). Shown in the workbench.

    `key` names what the notice is about (``supervision:card:42``) so a retried alert is the same notice.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="staff_notices")
    kind = models.CharField(_("类别"), max_length=20)
    key = models.CharField(_("提醒标识"), max_length=80, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)  # a path inside the site, never personal data
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作提醒")
        verbose_name_plural = _("工作提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="notifications_one_notice_per_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title
