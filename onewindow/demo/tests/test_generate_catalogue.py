import pytest
from django.core.management import call_command

from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.quality import check_version, errors_only
from onewindow.catalogue.selectors import item_get_published, item_search
from onewindow.org.models import Department

pytestmark = pytest.mark.django_db


class _Sink:
    text = ""

    def write(self, msg="", *args, **kwargs):
        self.text += msg

    def flush(self):
        pass


def generate(**options):
    out = _Sink()
    call_command("generate_catalogue", no_progress=True, stdout=out, **options)
    return out.text


def test_generated_items_are_published_searchable_and_pass_the_rules():
    output = generate(departments=3, items=50, seed=7)
    assert "SC01" in output
    assert Department.objects.count() == 3
    versions = ItemVersion.objects.filter(item__implementation_code__startswith="SC01-")
    assert versions.count() == 50
    assert set(versions.values_list("status", flat=True)) == {VersionStatus.PUBLISHED}
    assert ServiceItem.objects.filter(published_version__isnull=True).count() == 0
    for version in versions.prefetch_related("materials", "steps", "fees"):
        assert errors_only(check_version(version)) == [], version.name
        assert 3 <= len(version.materials.all()) <= 12
    # Every generated item can be found by its own name and opened as a guide.
    sample = versions.order_by("pk")[:5]
    for version in sample:
        found = item_search(query=version.name, page_size=50).results
        assert version in found
        assert item_get_published(code=version.item.implementation_code) == version


def test_second_run_appends_a_new_batch_on_the_same_departments():
    generate(departments=3, items=10, seed=1)
    output = generate(departments=3, items=10, seed=1)
    assert "SC02" in output
    assert ServiceItem.objects.filter(implementation_code__startswith="SC").count() == 20
    assert Department.objects.count() == 3


def test_same_seed_gives_the_same_catalogue():
    generate(departments=2, items=15, seed=42)
    first = list(ItemVersion.objects.order_by("item__implementation_code").values_list("name", "promised_days"))
    ServiceItem.objects.filter(implementation_code__startswith="SC").delete()
    generate(departments=2, items=15, seed=42)
    second = list(ItemVersion.objects.order_by("item__implementation_code").values_list("name", "promised_days"))
    assert first == second
