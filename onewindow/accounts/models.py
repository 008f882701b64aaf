from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.core.identifiers import CreditCodeField, ResidentIdField, mask_id

from .constants import AccountKind, AuthorizationScope, CodePurpose, RealNameSource


class User(AbstractUser):
    """Every person who signs in: staff (StaffRole), citizens and company accounts (CitizenProfile)."""

    name = models.CharField(_("姓名"), max_length=64, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self) -> str:
        return self.name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.name or self.username


class CitizenProfile(models.Model):
    """A citizen's or a company's account in the online service hall, with its real-name data.

    A person account holds the person's name and 居民身份证号码. A company account holds the company name,
    its 统一社会信用代码, and the name and 居民身份证号码 of its legal representative (法定代表人), who holds
    the account. `verified` says the real name was confirmed by a trusted source (the province's unified
    identity service, or a clerk at the window), not only checked for format.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账户"), on_delete=models.CASCADE,
                                related_name="citizen_profile")
    kind = models.CharField(_("账户类型"), max_length=8, choices=AccountKind.choices)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    name = models.CharField(_("姓名"), max_length=64)
    id_number = ResidentIdField(_("居民身份证号码"))
    company_name = models.CharField(_("企业名称"), max_length=200, blank=True)
    credit_code = CreditCodeField(_("统一社会信用代码"), blank=True)
    verified = models.BooleanField(_("已实名核验"), default=False)
    verified_via = models.CharField(_("核验方式"), max_length=16, choices=RealNameSource.choices, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    oidc_issuer = models.CharField(_("统一身份认证机构"), max_length=200, blank=True)
    oidc_subject = models.CharField(_("统一身份认证标识"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网上办事账户")
        verbose_name_plural = _("网上办事账户")
        constraints = [
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="accounts_profile_unique_mobile"),
            models.UniqueConstraint(fields=["id_number"], condition=Q(kind=AccountKind.PERSON),
                                    name="accounts_profile_unique_person"),
            models.UniqueConstraint(fields=["credit_code"], condition=Q(kind=AccountKind.COMPANY),
                                    name="accounts_profile_unique_company"),
            models.UniqueConstraint(fields=["oidc_issuer", "oidc_subject"], condition=~Q(oidc_subject=""),
                                    name="accounts_profile_unique_oidc_subject"),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.PERSON, credit_code="", company_name="")
                | (Q(kind=AccountKind.COMPANY) & ~Q(credit_code="") & ~Q(company_name="")),
                name="accounts_profile_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_company(self) -> bool:
        return self.kind == AccountKind.COMPANY

    @property
    def display_name(self) -> str:
        return self.company_name if self.is_company else self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id(self.id_number)


class CompanyAuthorizationQuerySet(models.QuerySet):
    def active(self, on=None):
        """Authorisations in force on a date (today by default): not revoked, started, not ended."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), revoked_at__isnull=True,
                           valid_from__lte=on)


class CompanyAuthorization(models.Model):
    """A company account lets one of its staff (a person account) apply on its behalf (企业经办人授权)."""

    company = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("授权企业"), on_delete=models.PROTECT,
                                related_name="authorizations_granted")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                               related_name="authorizations_received")
    scope = models.CharField(_("授权范围"), max_length=16, choices=AuthorizationScope.choices,
                             default=AuthorizationScope.APPLY)
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("授权人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = CompanyAuthorizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业经办人授权")
        verbose_name_plural = _("企业经办人授权")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "member"], condition=Q(revoked_at__isnull=True),
                                    name="accounts_authorization_one_open_per_member"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="accounts_authorization_dates_ordered"),
            models.CheckConstraint(condition=~Q(company=models.F("member")),
                                   name="accounts_authorization_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.member}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.revoked_at is None and self.valid_from <= today
                and (self.valid_until is None or self.valid_until >= today))


class OneTimeCode(models.Model):
    """A one-time code sent by SMS. Neither the number nor the code is stored: both are keyed hashes."""

    purpose = models.CharField(_("用途"), max_length=16, choices=CodePurpose.choices)
    phone_hash = models.CharField(_("手机号摘要"), max_length=64)
    code_hash = models.CharField(_("验证码摘要"), max_length=100)  # salt$digest
    # created_at // 60 s: with phone_hash unique, two requests racing in the same minute send one code.
    slot = models.BigIntegerField(_("时间片"))
    client_hash = models.CharField(_("客户端摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "slot"], name="accounts_code_one_per_phone_per_slot"),
        ]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="accounts_code_phone_idx"),
            models.Index(fields=["client_hash", "created_at"], name="accounts_code_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M:%S}"
