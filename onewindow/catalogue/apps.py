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
