from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftStatus(models.TextChoices):
    OPEN = "open", _("草稿")
    SUBMITTED = "submitted", _("已提交")


# Delivery a citizen may choose online (电子送达 is the bureau's decision, not the applicant's).
class DeliveryChoice(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    MAIL = "mail", _("免费邮寄")
