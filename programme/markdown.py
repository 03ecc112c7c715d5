"""Managers write descriptions in Markdown; members read sanitised HTML."""

import re

import markdown as md
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# The page already has its h1 and the h2 the description sits under.
FIRST_HEADING = 3
_EXTERNAL_LINK = re.compile(r'(<a href="https?://[^"]*"[^>]*>)(.*?)(</a>)', re.S)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)


def _nest_headings(html: str) -> str:
    """Renumber the headings from h3, each at most one level below the section it opens
    in, so that none is skipped whatever levels the writer picked ("## Signals" alone
    becomes an h3, not an h4 under the page's h2)."""
    open_sections: list[tuple[int, int]] = []  # (level written, level shown)

    def renumber(match: re.Match) -> str:
        written = int(match.group(1))
        while open_sections and open_sections[-1][0] > written:
            open_sections.pop()
        if open_sections and open_sections[-1][0] == written:
            shown = open_sections.pop()[1]
        else:
            shown = min(open_sections[-1][1] + 1, 6) if open_sections else FIRST_HEADING
        open_sections.append((written, shown))
        return f"<h{shown}>{match.group(2)}</h{shown}>"

    return _HEADING.sub(renumber, html)


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then nh3 keeps only harmless tags; external links say they leave."""
    html = md.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    # After nh3, headings carry no attribute, whether written in Markdown or in HTML.
    clean = _nest_headings(clean)
    notice = escape(_("(external site, you leave the portal)"))
    clean = _EXTERNAL_LINK.sub(
        lambda m: (
            f'{m.group(1)}{m.group(2)}<span class="visually-hidden"> {notice}</span>{m.group(3)}'
        ),
        clean,
    )
    return mark_safe(clean)  # noqa: S308 - the HTML comes out of nh3.
