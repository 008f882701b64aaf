"""Template helpers of the workbench: status badges, form fields with their quality issues, sort headers."""

from __future__ import annotations

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from onewindow.catalogue.constants import VersionStatus

from ..access import is_catalogue_reviewer, is_catalogue_user
from ..catalogue_forms import WIDE_FIELDS

register = template.Library()

BADGES = {
    VersionStatus.DRAFT: "badge",
    VersionStatus.IN_REVIEW: "badge-primary",
    VersionStatus.PUBLISHED: "badge-ok",
    VersionStatus.RETIRED: "badge wb-badge-retired",
}


@register.simple_tag
def status_badge(version):
    """The status of a version; a draft that came back from review says so."""
    if version is None:
        return ""
    if version.status == VersionStatus.DRAFT and version.review_comment:
        return format_html('<span class="badge badge-danger" title="{}">{}</span>', version.review_comment,
                           _("已退回"))
    return format_html('<span class="badge {}">{}</span>', BADGES.get(version.status, "badge"),
                       version.get_status_display())


@register.simple_tag(takes_context=True)
def workbench_sections(context):
    """Which sections the signed-in user may open (roles are cached on the user: no extra query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return {"catalogue": is_catalogue_user(user), "review": is_catalogue_reviewer(user)}


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "multi"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.ClearableFileInput):
        return "file"
    return "input"


@register.inclusion_tag("workbench/catalogue/_field.html")
def wb_field(form, name, wide=None, compact=False):
    """Label, input, help, form errors and quality issues of one field, linked by aria attributes."""
    field = form[name]
    issues = getattr(form, "issues", {}).get(name, [])
    described = []
    if field.help_text and not compact:
        described.append(f"{field.auto_id}-help")
    if field.errors or issues:
        described.append(f"{field.auto_id}-issues")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors or any(i.is_error for i in issues):
        attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "issues": issues,
        "kind": _kind(field),
        "wide": name in WIDE_FIELDS if wide is None else wide,
        "compact": compact,
    }


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column header that sorts by `key` (toggles direction), as an htmx link that also works without JS."""
    request = context["request"]
    current = context.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"], aria, arrow = f"-{key}", "ascending", "▲"
    elif current == f"-{key}":
        params["sort"], aria, arrow = key, "descending", "▼"
    else:
        params["sort"], aria, arrow = key, "none", ""
    url = f"{request.path}?{params.urlencode()}"
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="{}" hx-get="{}" hx-target="#results" hx-push-url="true">{}'
        '<span class="wb-sort" aria-hidden="true">{}</span></a></th>',
        aria, url, url, label, arrow,
    )


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
