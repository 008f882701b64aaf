import pytest

from onewindow.catalogue.selectors import item_search
from onewindow.catalogue.tests.factories import published_item

pytestmark = pytest.mark.django_db


def test_published_item_is_found_by_name_and_keyword():
    version = published_item()
    assert item_search(query="食品").results == [version]
    assert item_search(query="餐馆").results == [version]
    assert item_search(query="spjy").results == [version]
    assert item_search(query="婚姻").results == []
