"""Numbered legal documents (PDF) issued for cases, and the counters that number them without gaps."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import KIND_TITLE, DocumentKind


class DocumentIssuer(models.Model):
    """机关代字: the short code a department puts in front of its document numbers (云溪市场监管).

    Created on first use from the region and the department's short name; bureaus correct it in the admin
    before their first document if they have an official code. Unique, so numbers never collide.
    """

    department = models.OneToOneField("org.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                      related_name="document_issuer")
    code = models.CharField(_("机关代字"), max_length=24, unique=True,
                            help_text=_("文书编号中的机关代字，如“云溪市监”。发文后不宜再改。"))

    class Meta:
        verbose_name = _("发文机关代字")
        verbose_name_plural = _("发文机关代字")
        ordering = ["department__sort", "department__name"]

    def __str__(self) -> str:
        return f"{self.department} · {self.code}"


class DocumentSequence(models.Model):
    """Per department, kind and year: the last number issued. Locked while a document is issued."""

    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书类型"), max_length=24, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("文书编号计数器")
        verbose_name_plural = _("文书编号计数器")
        constraints = [models.UniqueConstraint(fields=["department", "kind", "year"],
                                               name="documents_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.department_id}-{self.kind}-{self.year}:{self.last}"


def _upload_to(instance: "CaseDocument", filename: str) -> str:
    # Never under MEDIA_ROOT/catalogue (that folder is served publicly); served only through the download view.
    return f"documents/{instance.year}/{filename}"


class CaseDocument(models.Model):
    """A numbered legal document (PDF) issued for a case by one of its events."""

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="documents")
    event = models.ForeignKey("cases.CaseEvent", verbose_name=_("办件事件"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    file = models.FileField(_("文件"), upload_to=_upload_to)
    size = models.PositiveIntegerField(_("大小"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件文书")
        verbose_name_plural = _("办件文书")
        ordering = ["created_at", "id"]
        constraints = [
            # The receiver may run twice for one event: the second run finds this row and stops.
            models.UniqueConstraint(fields=["event", "kind"], condition=Q(event__isnull=False),
                                    name="documents_one_per_event_kind"),
        ]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return KIND_TITLE.get(self.kind, self.get_kind_display())

    @property
    def filename(self) -> str:
        """The name a downloaded copy gets: 受理通知书（云溪市场监管受字〔2025〕第00001号）.pdf."""
        return f"{self.title}（{self.number}）.pdf"
