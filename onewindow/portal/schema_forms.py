"""A Django form from an item's application form schema (JSON Schema, `ItemVersion.form_schema`).

Supported: an object whose properties are
- string (maxLength, minLength, pattern; format date → date input, format email → e-mail input;
  enum → select, with `enumNames` or `x-enumNames` as labels when given),
- integer / number (minimum, maximum),
- boolean (a checkbox; required means it must be ticked),
with `required`, `title` → label and `description` → help text, `default` → initial. Anything else
(arrays, nested objects, types we do not know) becomes a textarea holding JSON, so a schema never breaks
the page. The service (cases.services._validate_form) validates the data against the schema again.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PREFIX = "f_"  # form field names: f_<property>, so a property never clashes with the page's own fields


class JSONTextField(forms.CharField):
    widget = forms.Textarea

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value
        return json.dumps(value, ensure_ascii=False)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return json.loads(value)
        except ValueError as exc:
            raise forms.ValidationError(_("请按 JSON 格式填写。"), code="invalid_json") from exc


def _label(name: str, prop: dict) -> str:
    return str(prop.get("title") or name)


def _field(name: str, prop: Any, required: bool) -> forms.Field:
    if not isinstance(prop, dict):
        prop = {}
    kind = prop.get("type")
    common = {"label": _label(name, prop), "required": required, "help_text": prop.get("description", "")}
    if "default" in prop:
        common["initial"] = prop["default"]
    if kind == "string":
        enum = prop.get("enum")
        if isinstance(enum, list) and enum:
            labels = prop.get("enumNames") or prop.get("x-enumNames") or enum
            choices = [(str(v), str(labels[i]) if i < len(labels) else str(v)) for i, v in enumerate(enum)]
            return forms.ChoiceField(choices=[("", _("请选择"))] + choices, **common)
        fmt = prop.get("format")
        if fmt == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                   input_formats=["%Y-%m-%d"], **common)
        if fmt == "email":
            return forms.EmailField(max_length=prop.get("maxLength"), **common)
        max_length = prop.get("maxLength")
        widget = forms.Textarea(attrs={"rows": 3}) if (max_length or 0) > 200 else None
        field = forms.CharField(max_length=max_length, min_length=prop.get("minLength"), widget=widget,
                                **common)
        if prop.get("pattern"):
            field.validators.append(RegexValidator(prop["pattern"], message=_("格式不正确。")))
        return field
    if kind in ("integer", "number"):
        cls = forms.IntegerField if kind == "integer" else forms.DecimalField
        return cls(min_value=prop.get("minimum"), max_value=prop.get("maximum"), **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    field = JSONTextField(**common)
    field.help_text = (str(common["help_text"]) + " " if common["help_text"] else "") + str(_("请按 JSON 格式填写。"))
    return field


def schema_properties(schema: dict | None) -> dict:
    if not isinstance(schema, dict) or schema.get("type", "object") != "object":
        return {}
    props = schema.get("properties")
    return props if isinstance(props, dict) else {}


class SchemaForm(forms.Form):
    """The application form of one item version. `to_data()` gives the JSON the case stores."""

    def __init__(self, *args, schema: dict | None = None, **kwargs):
        self.schema = schema or {}
        super().__init__(*args, **kwargs)
        required = set(self.schema.get("required") or []) if isinstance(self.schema, dict) else set()
        for name, prop in schema_properties(self.schema).items():
            self.fields[PREFIX + name] = _field(name, prop, name in required)
            self.fields[PREFIX + name].property_name = name

    @classmethod
    def initial_from_data(cls, data: dict | None) -> dict:
        return {PREFIX + k: v for k, v in (data or {}).items()}

    def raw_data(self) -> dict:
        """What was typed, as it was typed (for the draft, even when invalid)."""
        out = {}
        for key, field in self.fields.items():
            name = field.property_name
            if isinstance(field, forms.BooleanField):
                out[name] = bool(self.data.get(self.add_prefix(key)))
                continue
            value = self.data.get(self.add_prefix(key), "")
            if value not in ("", None):
                out[name] = value
        return out

    def to_data(self) -> dict:
        """The cleaned values as JSON types (dates as ISO strings, decimals as numbers); empty ones left out."""
        out = {}
        for key, field in self.fields.items():
            value = self.cleaned_data.get(key)
            if value in (None, "") and not isinstance(field, forms.BooleanField):
                continue
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            out[field.property_name] = value
        return out

    def add_service_errors(self, fields: dict[str, list[str]]) -> None:
        """Errors of the service (keys like "form_data.shop_name") shown next to their field."""
        for key, messages in fields.items():
            if not key.startswith("form_data."):
                continue
            name = PREFIX + key.split(".", 1)[1].split(".")[0]
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
