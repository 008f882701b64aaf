from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# The default SITE_NAME, marked so that makemessages puts it in the catalogue; a configured name that
# has no translation is shown as configured.
gettext_noop("一窗通办")


def site(request):
    name = settings.SITE_NAME
    return {"SITE_NAME": gettext(name) if name else name, "SITE_BUREAU": settings.SITE_BUREAU}
