"""Mon parcours: the member's own path through the programme (reads only)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from common.access import requires_permission
from members.roles import ACCESS_MEMBER_SPACE
from programme.selectors import calendar_feed_of, parcours_for

from .member_cache import member_page_cache
from .panels import context_for


# Recommendations follow the member's self-assessment bands (health data): no-store.
# Kept for the member alone in the shared cache until what it shows changes.
@requires_permission(ACCESS_MEMBER_SPACE)
@never_cache
@member_page_cache
def parcours(request):
    context = {
        "parcours": parcours_for(request.user),
        "has_calendar_feed": calendar_feed_of(request.user) is not None,
        # Recommendations from the member's latest self-assessments (assessments app).
        **context_for("parcours", request.user),
    }
    return render(request, "dashboards/parcours.html", context)
