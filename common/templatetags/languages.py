from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


def in_language(full_path: str, code: str) -> str:
    """The same address in another language: the portal's paths are not translated, so
    only the language prefix changes (the query string stays). An address outside the
    languages' prefixes leads to that language's home page. Django's translate_url
    would resolve and reverse the path for each language on every page, and leave an
    address it cannot resolve (a 404 page) in the current language."""
    for known, _name in settings.LANGUAGES:
        prefix = f"/{known}/"
        if full_path.startswith(prefix):
            return f"/{code}/{full_path.removeprefix(prefix)}"
    return f"/{code}/"


@register.inclusion_tag("partials/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to this page in each language.

    Plain links, not a form posted to set_language: a page for visitors then carries no
    CSRF token and sets no cookie, so the same page serves every visitor from the cache
    (programme.page_cache), and each language has an address to share or bookmark.
    """
    request = context.get("request")
    full_path = request.get_full_path() if request else "/"
    current = translation.get_language()
    return {
        "languages": [
            {
                "code": code,
                "name_local": translation.get_language_info(code)["name_local"],
                "url": in_language(full_path, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ]
    }
