from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.org.constants import Role


class ClientRole(models.TextChoices):
    """What an external system may do on the cases of its departments (its service account's role)."""

    READ = Role.INSPECTOR.value, _("只读（查询办件）")
    ACCEPT = Role.CLERK.value, _("受理（提交、受理、补正、办结、送达）")
    DECIDE = Role.REVIEWER.value, _("审查决定（另可作出决定、特别程序、申请延期）")


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("工作人员令牌")
    CLIENT = "client", _("接入系统令牌")
    OAUTH = "oauth", _("OAuth2 访问令牌")


# Prefixes make a leaked token recognisable (secret scanners, logs) without revealing anything.
TOKEN_PREFIX = "owt_"  # noqa: S105 (prefixes, not secrets)
ACCESS_TOKEN_PREFIX = "owa_"  # noqa: S105
CLIENT_ID_PREFIX = "owc_"
SECRET_PREFIX = "ows_"  # noqa: S105
