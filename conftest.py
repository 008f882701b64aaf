"""Shared pytest fixtures. App fixtures live next to the app's tests (factories.py)."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Every test writes uploads into its own folder: no test sees another's files.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English (cookie or Accept-Language) leaves English active in the thread after the
    # response; code called directly by a later test must see the default language (zh-hans) again.
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache outlives a test's database rollback (search results, rate limits, one-time codes):
    # every test starts with an empty one.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in with both steps: /admin needs the TOTP second factor too."""
    from onewindow.accounts.testing import staff_login

    staff_login(client, admin_user)
    return client
