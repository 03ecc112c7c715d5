"""Managers write descriptions in Markdown; members read sanitised HTML."""

import re

import markdown as md
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "h5", "h6", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# Headings shift down by two: the page already has its h1 and h2.
HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6"}
_EXTERNAL_LINK = re.compile(r'(<a href="https?://[^"]*"[^>]*>)(.*?)(</a>)', re.S)
_HEADING = re.compile(r"<(/?)h([1-4])>")


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then nh3 keeps only harmless tags; external links say they leave."""
    html = md.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    html = _HEADING.sub(lambda m: f"<{m.group(1)}{HEADING_SHIFT['h' + m.group(2)]}>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    notice = escape(_("(external site, you leave the portal)"))
    clean = _EXTERNAL_LINK.sub(
        lambda m: (
            f'{m.group(1)}{m.group(2)}<span class="visually-hidden"> {notice}</span>{m.group(3)}'
        ),
        clean,
    )
    return mark_safe(clean)  # noqa: S308 - the HTML comes out of nh3.
