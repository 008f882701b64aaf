from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Every person who signs in: staff now; citizens and company users join with the online hall."""

    name = models.CharField(_("姓名"), max_length=64, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self) -> str:
        return self.name or super().get_full_name() or self.username

    def __str__(self) -> str:
        return self.name or self.username
