"""Choices and limits of accounts: citizen and company accounts, one-time codes, company authorisations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    # Same values as cases.ApplicantKind: a person account applies as 自然人, a company account as 法人.
    PERSON = "person", _("个人")
    COMPANY = "company", _("法人")


class RealNameSource(models.TextChoices):
    NONE = "", _("未核验")
    OIDC = "oidc", _("省统一身份认证")
    COUNTER = "counter", _("窗口核验")


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("注册")
    LOGIN = "login", _("登录")


class AuthorizationScope(models.TextChoices):
    APPLY = "apply", _("代为申请和查询办件")
    VIEW = "view", _("仅查询办件进度")


# One-time codes (短信验证码): 6 digits, valid 5 minutes, 5 tries, one per phone per 60 seconds.
CODE_DIGITS = 6
CODE_TTL_SECONDS = 5 * 60
CODE_MAX_ATTEMPTS = 5
CODE_RESEND_SECONDS = 60
CODE_DAILY_LIMIT_PER_PHONE = 10
CODE_HOURLY_LIMIT_PER_CLIENT = 30

# A sign-in whose first step (password) passed waits this long for its second step.
PENDING_LOGIN_SECONDS = 5 * 60
