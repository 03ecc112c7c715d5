"""Pages for visitors and members: catalogue, modules, sessions, enrolment, calendars."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import public, signed_in
from common.pagination import page_of
from common.redirects import safe_next
from members.selectors import language_and_province
from notifications.links import absolute_url, portal_host, reverse_absolute

from . import ics, selectors, services
from .forms import CatalogueFilterForm
from .models import EnrolmentStatus, ModuleFormat
from .page_cache import anonymous_page_cache
from .selectors.material import module_materials_later, session_materials

CATALOGUE_PAGE_SIZE = 12


@public
@anonymous_page_cache
def catalogue(request):
    # A GET form sends every field, empty ones too: drop them so shared links stay short.
    pairs = [(key, value) for key, values in request.GET.lists() for value in values]
    kept = [(key, value) for key, value in pairs if value.strip()]
    if len(kept) != len(pairs):
        query = urlencode(kept)
        return redirect(request.path + (f"?{query}" if query else ""))
    themes = list(selectors.themes_published())
    form = CatalogueFilterForm(request.GET, themes=themes)
    filters = form.filters()
    # The member's language, or the page's for a visitor, comes first.
    language, province = language_and_province(request.user)
    language = language or (translation.get_language() or "")[:2]
    page, moved = page_of(
        selectors.catalogue_modules(filters, language=language, province=province),
        request.GET.get("page"),
        CATALOGUE_PAGE_SIZE,
    )
    modules = list(page.object_list)
    selectors.catalogue_page_extras(modules)
    saved = selectors.saved_module_ids(request.user)
    for module in modules:
        module.is_saved = module.pk in saved
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "modules": modules,
        "moved_to_page": page.number if moved else None,
        "ignored": form.ignored,
        "can_save": selectors.can_enrol(request.user),
    }
    return render(request, "programme/catalogue_list.html", context)


@public
@anonymous_page_cache
def module_detail(request, slug: str):
    module = get_object_or_404(selectors.modules_visible_to(request.user), slug=slug)
    sessions = selectors.module_sessions(module, request.user)
    is_saved = module.pk in selectors.saved_module_ids(request.user)
    versions = selectors.module_versions(module, request.user)
    context = {
        "module": module,
        "versions": versions,
        "alternates": selectors.alternate_links(module, versions),
        "themes": selectors.module_themes(module),
        "sessions": sessions,
        "is_saved": is_saved,
        "can_enrol": selectors.can_enrol(request.user),
        "materials_later": module_materials_later(module),
    }
    return render(request, "programme/module_detail.html", context)


@public
@require_GET
@never_cache
def tool_open(request, slug: str):
    """Count one opening of a partner's digital tool for the month, then send the browser
    to the tool. Visitors may open the tools too; nothing about who opened it is kept."""
    module = get_object_or_404(selectors.tools_to_open(), slug=slug)
    services.tool_opened(module=module)
    response = redirect(module.external_url)
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
@require_POST
def module_save(request, slug: str):
    module = get_object_or_404(selectors.modules_published(), slug=slug)
    detail = reverse("programme:module-detail", args=[module.slug])
    if not request.user.is_authenticated:
        # Back to the module after logging in: this address only takes POST.
        return redirect_to_login(detail)
    if not selectors.can_enrol(request.user):
        messages.error(request, _("Only programme members have a path to keep modules in."))
        return redirect(detail)
    if request.POST.get("action") == "unsave":
        services.module_unsave(user=request.user, module=module)
        if module.format == ModuleFormat.PRACTICAL_CONTENT:
            messages.success(request, _("The sheet is no longer in your library."))
        else:
            messages.success(request, _("The module is no longer in your path."))
        return redirect(safe_next(request, detail))
    _saved, created = services.module_save(user=request.user, module=module)
    if not created:
        messages.info(request, _("It was already in your library: nothing changed."))
    elif module.format == ModuleFormat.PRACTICAL_CONTENT:
        messages.success(
            request, _("The sheet is in your library: find it on your home page whenever you like.")
        )
    else:
        messages.success(request, _("The module is saved in your path."))
    return redirect(safe_next(request, detail))


def _visible_session(request, pk: int):
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=pk)


@public
def session_detail(request, pk: int):
    session = _visible_session(request, pk)
    mine = selectors.active_enrolments_by_session(request.user, [session.pk]).get(session.pk)
    refusal = services.refusal_reason(session)
    session.registration_open = refusal is None
    context = {
        "session": session,
        "module": session.module,
        "my_enrolment": mine,
        "is_confirmed": mine is not None and mine.status == EnrolmentStatus.CONFIRMED,
        "refusal": refusal,
        "can_enrol": selectors.can_enrol(request.user),
        "share_url": absolute_url(request.get_full_path()),
        "materials": session_materials(session, request.user),
    }
    return render(request, "programme/session_detail.html", context)


@public
@require_POST
def session_enrol(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("programme:session-detail", args=[pk]))
    back = safe_next(request, reverse("programme:session-detail", args=[pk]))
    if not selectors.can_enrol(request.user):
        _visible_session(request, pk)  # 404 for a session they may not see
        messages.error(request, _("Only members of the programme can enrol in a session."))
        return redirect(back)
    # The service reads the session once, under its lock: a session it enrols in is
    # published, so visible to everyone. Only a refusal asks whether the member may see
    # it at all (404 if not, as for a session that does not exist), outside the lock.
    try:
        outcome = services.enrolment_create(session_id=pk, user=request.user)
    except services.EnrolmentRefused as refused:
        _visible_session(request, pk)
        messages.error(request, refused.messages[0])
        return redirect(back)
    enrolment = outcome.enrolment
    if not outcome.created:
        messages.info(request, _("You were already enrolled in this session: nothing changed."))
    elif enrolment.status == EnrolmentStatus.CONFIRMED:
        messages.success(request, _("You are enrolled. See you there!"))
    else:
        messages.info(
            request,
            _(
                "This session is full: you are on the waitlist. We give you a seat as soon as one frees up."
            ),
        )
    return redirect(back)


@require_http_methods(["GET", "POST"])
@signed_in
def session_unenrol(request, pk: int):
    """A page that says what cancelling does to the seat and the waitlist; its form confirms.

    The member's own enrolment in the session, found from the signed-in user: nobody can
    name someone else's.
    """
    session = _visible_session(request, pk)
    detail = reverse("programme:session-detail", args=[session.pk])
    back = safe_next(request, detail)
    mine = selectors.active_enrolments_by_session(request.user, [session.pk]).get(session.pk)
    if mine is None:
        messages.info(
            request, _("You are not enrolled in this session: there is nothing to cancel.")
        )
        return redirect(back)
    if request.method == "GET":
        if session.has_started:
            messages.error(
                request, _("This session has already started: it can no longer be cancelled.")
            )
            return redirect(back)
        context = {
            "session": session,
            "module": session.module,
            "enrolment": mine,
            "is_confirmed": mine.status == EnrolmentStatus.CONFIRMED,
            "waiting": selectors.waiting_count(session.pk),
            "back": back,
        }
        return render(request, "programme/enrolment_cancel_confirm.html", context)
    try:
        services.enrolment_cancel(enrolment_id=mine.pk, user=request.user)
    except services.EnrolmentRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect(back)
    if mine.status == EnrolmentStatus.CONFIRMED:
        messages.success(
            request, _("Your enrolment is cancelled and your seat goes to someone else.")
        )
    else:
        messages.success(request, _("You have left the waitlist."))
    return redirect(back)


def _domain(request) -> str:
    return portal_host()


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
def session_ics(request, pk: int):
    session = _visible_session(request, pk)
    page_url = reverse_absolute("programme:session-detail", session.pk)
    event = ics.session_event(
        session,
        confirmed=selectors.is_confirmed_in(request.user, session),
        page_url=page_url,
        domain=_domain(request),
    )
    uid = ics.calendar_uid(f"session-file-{session.pk}", _domain(request))
    body = ics.calendar_bytes(session.module.title, [event], uid=uid)
    return _ics_response(body, f"session-{pk}.ics")


@public
def calendar_feed(request, token: str):
    """The member's private feed, read by calendar apps that cannot log in."""
    feed = selectors.calendar_feed_by_token(token)
    if feed is None:
        # An unknown or rotated token: nothing to tell whoever holds it, not even a page.
        return HttpResponseNotFound(b"", content_type="text/plain")
    events = [
        ics.session_event(
            entry.enrolment.session,
            # A cancelled seat no longer gives the join link.
            confirmed=entry.enrolment.status == EnrolmentStatus.CONFIRMED,
            page_url=reverse_absolute("programme:session-detail", entry.enrolment.session_id),
            domain=_domain(request),
            cancelled_by_member=entry.enrolment.cancelled_by_member,
            sequence=entry.sequence,
        )
        for entry in selectors.feed_entries(feed.user)
    ]
    name = _("My sessions — %(portal)s") % {"portal": settings.PORTAL_NAME}
    body = ics.calendar_bytes(
        name, events, uid=ics.calendar_uid(f"feed-{feed.pk}", _domain(request))
    )
    response = _ics_response(body, "my-sessions.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if not selectors.can_enrol(request.user):
        raise Http404
    if request.method == "POST":
        services.calendar_token_regenerate(user=request.user)
        messages.success(
            request, _("Your calendar has a new address. The previous one no longer works.")
        )
        return redirect("programme:calendar")
    feed = selectors.calendar_feed_of(request.user) or services.calendar_feed_ensure(
        user=request.user
    )
    feed_url = reverse_absolute("programme:calendar-feed", feed.token)
    name = _("My sessions — %(portal)s") % {"portal": settings.PORTAL_NAME}
    context = {"feed": feed, "feed_url": feed_url, "links": ics.subscribe_links(feed_url, name)}
    return render(request, "programme/calendar_settings.html", context)
