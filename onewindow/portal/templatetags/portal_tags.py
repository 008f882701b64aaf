from urllib.parse import urlencode

from django import template

from onewindow.portal import presenters

register = template.Library()

register.filter("visits_label", presenters.visits_label)
register.filter("depth_short", presenters.depth_short)
register.filter("depth_badge_class", presenters.depth_badge_class)
register.filter("promised_label", presenters.promised_label)
register.filter("legal_label", presenters.legal_label)
register.filter("phones", presenters.phones)
register.filter("rate", presenters.percent)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" removes them): “?q=食品&page=2”."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    items = [(k, v) for k, values in params.lists() for v in values if v != ""]
    return "?" + urlencode(items) if items else "?"


@register.filter
def css_width(value) -> str:
    """A number as a CSS percentage that stays in 0..100 (for bars)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "0%"
    return f"{max(0.0, min(number, 100.0)):.1f}%"


@register.filter
def get_item(mapping, key):
    """dict lookup by a variable key: {{ themes|get_item:audience }}."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []
