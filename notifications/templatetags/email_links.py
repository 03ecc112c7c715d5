"""{% load email_links %}: absolute links in e-mail templates (PORTAL_BASE_URL + path)."""

from django import template

from notifications.links import absolute_url, reverse_absolute

register = template.Library()


@register.simple_tag
def absolute_link(viewname: str, *args, **kwargs) -> str:
    """{% absolute_link "programme:session-detail" session.pk %}, in the recipient's language."""
    return reverse_absolute(viewname, *args, **kwargs)


@register.filter
def absolute(path: str) -> str:
    """{{ session.get_absolute_url|absolute }}"""
    return absolute_url(str(path))
