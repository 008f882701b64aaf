from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "SITE_BUREAU": settings.SITE_BUREAU}
