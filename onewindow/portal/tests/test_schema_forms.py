"""The JSON-Schema → Django form renderer of the application form."""

from __future__ import annotations

from django import forms

from onewindow.portal.schema_forms import JSONTextField, SchemaForm

from .hall_helpers import SCHEMA


def test_each_supported_type_becomes_the_right_field():
    form = SchemaForm(schema=SCHEMA)
    f = form.fields
    assert isinstance(f["f_shop_name"], forms.CharField) and f["f_shop_name"].max_length == 20
    assert f["f_shop_name"].required and f["f_shop_name"].label == "店铺名称"
    assert f["f_shop_name"].help_text == "与营业执照一致"
    assert isinstance(f["f_area"], forms.DecimalField) and f["f_area"].min_value == 1
    assert isinstance(f["f_staff"], forms.IntegerField) and not f["f_staff"].required
    assert isinstance(f["f_category"], forms.ChoiceField)
    assert ("snack", "小吃店") in f["f_category"].choices
    assert isinstance(f["f_open_date"], forms.DateField)
    assert isinstance(f["f_email"], forms.EmailField)
    assert isinstance(f["f_chain"], forms.BooleanField)
    assert isinstance(f["f_branches"], JSONTextField)  # unsupported: JSON in a textarea


def test_empty_or_odd_schemas_give_an_empty_form():
    for schema in ({}, None, {"type": "array"}, {"type": "object", "properties": "x"}):
        assert SchemaForm(schema=schema).fields == {}


def test_to_data_gives_json_types_and_raw_data_keeps_what_was_typed():
    data = {"f_shop_name": "李记", "f_area": "12", "f_staff": "2", "f_open_date": "2026-01-05", "f_chain": "on",
            "f_branches": '["a", "b"]'}
    form = SchemaForm(data, schema=SCHEMA)
    assert form.is_valid(), form.errors
    assert form.to_data() == {"shop_name": "李记", "area": 12, "staff": 2, "open_date": "2026-01-05",
                              "chain": True, "branches": ["a", "b"]}
    bad = SchemaForm({"f_area": "lots"}, schema=SCHEMA)
    assert not bad.is_valid()
    assert bad.raw_data()["area"] == "lots" and bad.raw_data()["chain"] is False


def test_service_errors_land_on_their_field():
    form = SchemaForm({"f_shop_name": "x", "f_area": "3"}, schema=SCHEMA)
    assert form.is_valid()
    form.add_service_errors({"form_data.shop_name": ["“店铺名称”填写不正确。"], "applicant.name": ["x"]})
    assert form.errors["f_shop_name"] == ["“店铺名称”填写不正确。"]
