"""How the statistics pages write a rate: "67%" in English, "67 %" in French."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def percent(value: int | None) -> str:
    """A percentage in the active language's typography, or a dash when there is none."""
    if value is None:
        return "—"
    # Translators: a percentage; French puts a no-break space before the sign.
    return gettext("%(value)s%%") % {"value": value}
