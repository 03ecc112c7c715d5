"""A page with a form that posts, kept by the page cache: the public pages have none
today, and the cache must still give each visitor their own CSRF token if one comes."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from programme.page_cache import anonymous_page_cache

FORM = engines["django"].from_string(
    '<form method="post">{% csrf_token %}<button type="submit">Go</button></form>'
)
RENDERED: list[int] = []  # one entry per time the view itself ran


@anonymous_page_cache
def page_with_a_form(request):
    RENDERED.append(1)
    return HttpResponse(FORM.render({}, request))


def post_back(request):
    return HttpResponse("accepted")  # reached only past the CSRF check


urlpatterns = [path("form/", page_with_a_form), path("post/", post_back)]
