"""Build the POST body the editor page sends, from a saved version (what a browser would submit)."""

from __future__ import annotations

from django import forms

from onewindow.catalogue.services import CHILD_FIELDS
from onewindow.workbench.catalogue_forms import VersionForm

FILE_FIELDS = {"blank_form", "sample"}


def _put(data: dict, key: str, field: forms.Field, value) -> None:
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
    elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        data[key] = [str(getattr(v, "pk", v)) for v in (value or [])]
    elif value is None:
        data[key] = ""
    else:
        data[key] = str(getattr(value, "pk", value))


def editor_data(version, *, action: str = "save", rows: dict | None = None, **fields) -> dict:
    """POST data of the editor: the saved values, with `fields` changed and whole relations replaced by `rows`."""
    form = VersionForm.for_version(version)
    data: dict = {"stamp": version.updated_at.isoformat(), "action": action}
    for name, field in form.fields.items():
        _put(data, name, field, fields.get(name, form[name].value()))
    rows = rows or {}
    for relation, (_model, names) in CHILD_FIELDS.items():
        existing = [{n: getattr(c, n) for n in names if n not in FILE_FIELDS} for c in getattr(version, relation).all()]
        wanted = rows.get(relation, existing)
        total = max(len(existing), len(wanted))
        data[f"{relation}-TOTAL_FORMS"] = str(total)
        data[f"{relation}-INITIAL_FORMS"] = str(len(existing))
        data[f"{relation}-MIN_NUM_FORMS"] = "0"
        data[f"{relation}-MAX_NUM_FORMS"] = "1000"
        for i in range(total):
            row = wanted[i] if i < len(wanted) else existing[i]
            for n in names:
                if n in FILE_FIELDS:
                    continue
                value = row.get(n)
                key = f"{relation}-{i}-{n}"
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif value is not None:
                    data[key] = str(value)
            data[f"{relation}-{i}-ORDER"] = str(i + 1)
            if i >= len(wanted):
                data[f"{relation}-{i}-DELETE"] = "on"
    return data
