"""{% load accounts_tags %}: masking for templates. Full numbers are shown only through services.id_number_reveal."""

from django import template

from onewindow.core.identifiers import mask_id as _mask_id
from onewindow.notifications.masking import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_id(value):
    return _mask_id(value)


@register.filter
def mask_phone(value):
    return _mask_phone(value)
