"""The public, read-only HSDS 3.0 API (schema/openapi.json) and the datapackage downloads.

Plain JsonResponse views: the answers' shapes are fixed by the official schemas, which
the serialisers follow and the tests check, so a framework's serializers and generated
OpenAPI would only restate them (and publish a second, diverging OpenAPI document).
Anonymous, GET only, no session or cookie read: any cache may keep the answers.
"""

import json
from datetime import datetime, time
from functools import wraps
from uuid import UUID

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import get_current_timezone, is_aware, make_aware
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from common.access import public

from . import package, schemas, selectors, serialise

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
CACHE_SECONDS = 300


class BadQuery(ValueError):
    pass


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def api_view(view):
    """Public, GET only, cacheable; a bad query parameter is a 400, an unknown id a 404,
    both in JSON."""

    @public
    @wraps(view)
    @require_GET
    @cache_control(public=True, max_age=CACHE_SECONDS)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadQuery as error:
            return _json({"error": str(error)}, status=400)
        except Http404:
            return _json({"error": "Not found."}, status=404)

    return wrapped


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadQuery(f"{name} must be a whole number of 1 or more.")
    value = int(raw)
    return min(value, maximum) if maximum else value


def _flag(request, name: str) -> bool:
    raw = request.GET.get(name, "").lower()
    if raw in ("", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise BadQuery(f"{name} must be true or false.")


def _uuid(value: str) -> str:
    try:
        return str(UUID(value))
    except ValueError:
        raise Http404 from None


def _paginated(request, queryset, render):
    page_number = _positive_int(request, "page", 1)
    per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = queryset.count()
    start = (page_number - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total else []
    return _json(
        serialise.page(
            (render(item) for item in items),
            total_items=total,
            page_number=page_number,
            per_page=per_page,
        )
    )


def _modified_after(request) -> datetime | None:
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None and (day := parse_date(raw)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        moment = None
    if moment is None:
        raise BadQuery("modified_after must be a date or a date and time (ISO 8601).")
    return moment if is_aware(moment) else make_aware(moment, get_current_timezone())


@api_view
def index(request):
    return _json(
        serialise.api_index(
            openapi_url=request.build_absolute_uri(reverse("hsds:openapi")),
        )
    )


@api_view
def openapi(request):
    return _json(schemas.load("openapi.json"))


@api_view
def services(request):
    full = _flag(request, "full")
    minimal = _flag(request, "minimal")
    partners = selectors.public_services(
        search=request.GET.get("search", "").strip(),
        taxonomy_term_id=request.GET.get("taxonomy_term_id", "").strip(),
        taxonomy_id=request.GET.get("taxonomy_id", "").strip(),
        organization_id=request.GET.get("organization_id", "").strip(),
        modified_after=_modified_after(request),
    )
    if full:
        return _paginated(request, selectors.with_details(partners), serialise.service_full)
    if minimal:
        return _paginated(
            request,
            partners,
            serialise.service_minimal,
        )
    return _paginated(request, partners, serialise.service_row)


@api_view
def service_detail(request, id: str):
    partner = selectors.with_details(selectors.public_partners()).filter(hsds_id=_uuid(id)).first()
    if partner is None:
        raise Http404
    return _json(serialise.service_full(partner))


@api_view
def organizations(request):
    full = _flag(request, "full")
    full_service = _flag(request, "full_service")
    partners = selectors.public_services(search=request.GET.get("search", "").strip())
    if full or full_service:
        return _paginated(
            request,
            selectors.with_details(partners) if full_service else partners,
            lambda p: serialise.organization_full(p, full_service=full_service),
        )
    return _paginated(request, partners, serialise.organization_row)


@api_view
def organization_detail(request, id: str):
    pks = selectors.pks_of_organization(_uuid(id))
    if not pks:
        raise Http404
    partner = selectors.with_details(selectors.public_partners()).get(pk=pks[0])
    return _json(serialise.organization_full(partner, full_service=_flag(request, "full_service")))


def _static_list(request, rows):
    page_number = _positive_int(request, "page", 1)
    per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    search = request.GET.get("search", "").strip().casefold()
    if search:
        rows = [row for row in rows if search in row["name"].casefold()]
    start = (page_number - 1) * per_page
    return _json(
        serialise.page(
            rows[start : start + per_page],
            total_items=len(rows),
            page_number=page_number,
            per_page=per_page,
        )
    )


@api_view
def taxonomies(request):
    return _static_list(request, serialise.taxonomy_rows())


@api_view
def taxonomy_detail(request, id: str):
    wanted = _uuid(id)
    for row in serialise.taxonomy_rows():
        if row["id"] == wanted:
            return _json(row)
    raise Http404


@api_view
def taxonomy_terms(request):
    rows = serialise.taxonomy_term_rows()
    if taxonomy_id := request.GET.get("taxonomy_id", "").strip():
        rows = [row for row in rows if row["taxonomy_id"] == taxonomy_id]
    # The portal's taxonomies are flat: every term is a top term, none has a parent.
    if request.GET.get("parent_id"):
        rows = []
    return _static_list(request, rows)


@api_view
def taxonomy_term_detail(request, id: str):
    wanted = _uuid(id)
    for row in serialise.taxonomy_term_rows():
        if row["id"] == wanted:
            return _json(row)
    raise Http404


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _directory_tables():
    return serialise.tabular(selectors.with_details(selectors.public_partners()))


@api_view
def datapackage_json(request):
    body = json.dumps(_directory_tables(), ensure_ascii=False, indent=2)
    return _attachment(
        HttpResponse(body, content_type="application/json"), "hsds-partner-directory.json"
    )


@api_view
def datapackage_zip(request):
    return _attachment(
        HttpResponse(package.write_zip(_directory_tables()), content_type="application/zip"),
        "hsds-partner-directory.zip",
    )
