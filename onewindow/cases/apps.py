from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    label = "cases"
    verbose_name = _("办件")

    def ready(self):
        from onewindow.workcalendar.owners import register_deadline_owner

        from .deadlines import CaseDeadlines

        register_deadline_owner(CaseDeadlines())
