"""The search result cache: a repeated search is one query; a publication or a retirement shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.catalogue import search_cache, services
from onewindow.catalogue.selectors import item_search
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, WindowFactory, staff

pytestmark = pytest.mark.django_db


def _queries(**kwargs) -> tuple[list, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = item_search(**kwargs)
    return [v.name for v in page.results], len(ctx)


def test_the_same_page_again_is_one_query_by_id():
    published_item(name="食品经营许可")
    published_item(name="食品生产许可")
    first, cold = _queries(query="食品")
    again, warm = _queries(query="食品")
    assert again == first and len(first) == 2
    assert cold >= 2 and warm == 1
    assert _queries(query="食品", page=2)[1] >= 1  # another page is another key
    assert _queries(query="食品", audience="company")[0] == first  # and other filters too


def test_a_new_publication_and_a_retirement_show_at_once():
    dept = DepartmentFactory()
    admin = staff(Role.ADMIN, None, username="admin")  # may retire (review) any item
    kept = published_item(name="食品经营许可", department=dept)
    assert _queries(query="食品")[0] == ["食品经营许可"]
    new = published_item(name="食品生产许可", department=dept)
    assert sorted(_queries(query="食品")[0]) == ["食品生产许可", "食品经营许可"]
    services.version_retire(actor=admin, version=new, reason="职能调整")
    assert _queries(query="食品")[0] == [kept.name]


def test_a_windows_scope_is_never_cached():
    version = published_item(name="食品经营许可")
    window = WindowFactory(department=version.item.department)
    assert search_cache.key_for(query="食品", page=1, page_size=20, filters={"window": window}) is None
    assert search_cache.key_for(query="食品", page=1, page_size=20, filters={"window": None}) is not None


def test_switched_off_with_a_zero_time_to_live(settings):
    settings.CATALOGUE_SEARCH_CACHE_SECONDS = 0
    published_item(name="食品经营许可")
    _queries(query="食品")
    assert _queries(query="食品")[1] >= 2
