"""Pagination of every list page: one reading of the page number, one partial
(templates/partials/pagination.html) that draws the links."""

from typing import cast

from django.core.paginator import Page, Paginator


class NumberedPage(Page):
    """A page that also knows which page numbers to link to (ends and neighbours, the
    rest elided), for the partial."""

    elided_range: list[int | str]


class _NumberedPaginator(Paginator):
    # Paginator.page() builds its pages through _get_page, the hook Django offers.
    def _get_page(self, *args, **kwargs) -> NumberedPage:
        return NumberedPage(*args, **kwargs)


def page_of(items, raw_number, per_page: int) -> tuple[NumberedPage, bool]:
    """The requested page, or the nearest one that exists (a tampered number is no error);
    True when it had to move."""
    paginator = _NumberedPaginator(items, per_page, allow_empty_first_page=True)
    try:
        asked = int(raw_number or 1)
    except (TypeError, ValueError):
        asked = 1
    number = max(1, min(asked, paginator.num_pages))
    page = cast(NumberedPage, paginator.page(number))
    page.elided_range = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return page, (raw_number not in (None, "") and number != asked)
