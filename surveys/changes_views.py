"""The public "you said, we did" page: the changes the programme made after what members
told it, newest first, with the figures behind each. No account needed."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from common.access import public
from common.pagination import page_of

from . import roundtable_selectors as selectors
from .roundtable_forms import ChangesFilterForm

CHANGES_PAGE_SIZE = 10


@public
def changes(request):
    form = ChangesFilterForm(request.GET or None, years=selectors.change_years())
    year = form.cleaned_data.get("year") if form.is_valid() else None
    page, moved = page_of(
        selectors.public_changes(year=year), request.GET.get("page"), CHANGES_PAGE_SIZE
    )
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    context = {
        "form": form,
        "year": year,
        "page": page,
        "changes": selectors.with_figures(page.object_list, language),
        "moved_to_page": page.number if moved else None,
    }
    return render(request, "surveys/changes_list.html", context)
