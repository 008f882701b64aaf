from django.db import migrations

from onewindow.catalogue.seed import seed_dictionaries


def seed(apps, schema_editor):
    seed_dictionaries(apps.get_model("catalogue", "ItemType"), apps.get_model("catalogue", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
