"""Views every deployment needs whatever the apps: a liveness check."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .access import public


@public
@require_safe
def health(request):
    """The process answers: for a load balancer's checks, and the benchmarks' baseline
    (the cheapest page through the same middleware, no query)."""
    return HttpResponse("ok", content_type="text/plain")
