"""API clients (other systems) and bearer tokens. Secrets and tokens are stored only as SHA-256 hashes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ClientRole, TokenKind


class ApiClient(models.Model):
    """Another system (provincial platform, a department's own approval system, a kiosk backend).

    It acts through its own service account, which holds one StaffRole per department of the client,
    so the cases services check a client's permissions exactly as they check a person's.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    client_id = models.CharField(_("客户端编号"), max_length=40, unique=True, editable=False)
    secret_hash = models.CharField(_("密钥摘要"), max_length=64, editable=False)
    role = models.CharField(_("权限"), max_length=24, choices=ClientRole.choices, default=ClientRole.ACCEPT)
    departments = models.ManyToManyField("org.Department", verbose_name=_("可办理的部门"),
                                         related_name="api_clients")
    service_user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("服务账户"),
                                        on_delete=models.PROTECT, related_name="api_client", editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    contact = models.CharField(_("对接联系人"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True)
                                                           | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A bearer token: a staff member's personal token, a client's long-lived API token, or a short-lived
    OAuth2 access token from the client-credentials grant. Only the hash is kept."""

    kind = models.CharField(_("类型"), max_length=12, choices=TokenKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("代表的账户"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    client = models.ForeignKey(ApiClient, verbose_name=_("接入系统"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("用途"), max_length=100, blank=True)
    prefix = models.CharField(_("令牌开头"), max_length=16, help_text=_("用于辨认令牌；完整令牌只在签发时显示一次。"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "kind", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())
