from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_dictionaries(sender, apps=None, using="default", **kwargs):
    # Also runs after `flush` (as content types do), so test databases and fresh installs always have them.
    from .seed import seed_dictionaries

    if apps is None:
        from django.apps import apps
    seed_dictionaries(apps.get_model("catalogue", "ItemType"), apps.get_model("catalogue", "Theme"))


class CatalogueConfig(AppConfig):
    name = "onewindow.catalogue"
    label = "catalogue"
    verbose_name = _("事项管理")

    def ready(self):
        post_migrate.connect(_seed_dictionaries, sender=self, dispatch_uid="catalogue_seed_dictionaries")
        _connect_search_cache()


def _connect_search_cache() -> None:
    """Any change to what search reads starts a new result-cache generation (catalogue/search_cache.py)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from onewindow.org.models import Delegation

    from . import search_cache
    from .models import ItemVersion, ServiceItem

    for model in (ItemVersion, ServiceItem, Delegation):
        uid = f"catalogue_search_cache_{model._meta.label_lower}"
        post_save.connect(search_cache.bump, sender=model, dispatch_uid=f"{uid}_save", weak=False)
        post_delete.connect(search_cache.bump, sender=model, dispatch_uid=f"{uid}_delete", weak=False)
    m2m_changed.connect(search_cache.bump, sender=ItemVersion.themes.through,
                        dispatch_uid="catalogue_search_cache_themes", weak=False)
