"""Shared pytest fixtures. App fixtures live next to the app's tests (factories.py)."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Every test writes uploads into its own folder: no test sees another's files.
    settings.MEDIA_ROOT = tmp_path / "media"
