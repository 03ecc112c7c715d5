"""System checks: every registered kind has its category and its three templates."""

from django.core.checks import Error, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from .registry import categories, kinds

TEMPLATE_SUFFIXES = (".subject.txt", ".txt", ".html")


@register()
def check_message_kinds(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    known = categories()
    for code, kind in kinds().items():
        if kind.category not in known:
            errors.append(
                Error(
                    f"Message kind {code!r} belongs to the unknown category {kind.category!r}.",
                    hint="Register the category with notifications.registry.register_category.",
                    id="notifications.E001",
                )
            )
        for suffix in TEMPLATE_SUFFIXES:
            try:
                get_template(kind.template + suffix)
            except TemplateDoesNotExist:
                errors.append(
                    Error(
                        f"Message kind {code!r} has no template {kind.template + suffix}.",
                        id="notifications.E002",
                    )
                )
    return errors
