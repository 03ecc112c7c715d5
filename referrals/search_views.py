"""The advisors' case search: a past case found again by reference, name, e-mail or phone."""

from django.shortcuts import render

from common.access import requires_permission
from common.pagination import page_of
from members.roles import WORK_CASES

from . import services
from .choices import AccessSubject
from .selectors.search import SearchQueryError, case_search, read_query

SEARCH_PAGE_SIZE = 25


@requires_permission(WORK_CASES)
def case_search_page(request):
    raw = request.GET.get("q", "")
    page, error = None, ""
    if raw.strip():
        try:
            query = read_query(raw)
        except SearchQueryError as refusal:
            error = str(refusal)
        else:
            page, _moved = page_of(
                case_search(request.user, query), request.GET.get("page"), SEARCH_PAGE_SIZE
            )
            services.access_record_listing(
                cases=page.object_list, user=request.user, subject=AccessSubject.FOUND
            )
    return render(
        request,
        "referrals/case_search.html",
        {"q": raw[:200], "error": error, "page": page, "cases": page.object_list if page else []},
        status=400 if error else 200,
    )
