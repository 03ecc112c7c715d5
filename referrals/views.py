"""Pages for visitors (partner directory), members (contact requests) and ambassadors."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.selectors import results_for_member
from members.decorators import role_required
from members.roles import Role
from members.selectors import profile_for

from . import selectors, services
from .forms import ContactRequestForm, DirectoryFilterForm, SignalForm
from .phones import display_phone

DIRECTORY_PAGE_SIZE = 20
SIGNALS_PAGE_SIZE = 25


def page_of(items, raw_number, per_page: int) -> Page:
    """The requested page, or the nearest one that exists (a tampered number is no error)."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        asked = int(raw_number or 1)
    except (TypeError, ValueError):
        asked = 1
    return paginator.page(max(1, min(asked, paginator.num_pages)))


def valid_filters(form) -> dict:
    """The filter values that validated: a tampered one is dropped (the form says so) and
    the others still apply."""
    form.is_valid()
    return getattr(form, "cleaned_data", {})


def paged(request, items, per_page: int) -> tuple[Page, str]:
    """The page asked for, and the query string its pagination links keep."""
    page = page_of(items, request.GET.get("page"), per_page)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def add_service_error(form, error: ValidationError) -> None:
    """Put a refusal from a service on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    cleaned = valid_filters(form)
    filters = {name: cleaned.get(name) or "" for name in form.fields}
    page, query = paged(request, selectors.partners_directory(**filters), DIRECTORY_PAGE_SIZE)
    return render(
        request,
        "referrals/partner_directory.html",
        {
            "form": form,
            "page": page,
            "partners": page.object_list,
            "filtered": any(filters.values()),
            "query": query,
        },
    )


# --- Members -------------------------------------------------------------------------------


def _preselected_result(raw: str | None, results) -> int | None:
    """?result=<id> preselects one of the member's own results; anything else is ignored."""
    # isdigit() alone lets through "²", which int() refuses.
    if raw and raw.isascii() and raw.isdigit() and results.filter(pk=int(raw)).exists():
        return int(raw)
    return None


@role_required(Role.MEMBER)
def request_create(request):
    results = results_for_member(request.user)
    profile = profile_for(request.user)
    initial = {
        "language": profile.preferred_language,
        "phone": display_phone(profile.phone),
        "email": request.user.email,
        "result": _preselected_result(request.GET.get("result"), results),
    }
    form = ContactRequestForm(request.POST or None, initial=initial, results=results)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_create(
                member=request.user,
                needs=data["needs"],
                channel=data["channel"],
                time_slots=data["time_slots"],
                language=data["language"],
                urgency=data["urgency"],
                message=data["message"],
                phone=data["phone"],
                email=data["email"],
                result=data.get("result"),
                share_with_partner=data["share_with_partner"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            days = settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS
            messages.success(
                request,
                ngettext(
                    "Your request is with the listening cell. An advisor will contact you "
                    "within %(days)d working day.",
                    "Your request is with the listening cell. An advisor will contact you "
                    "within %(days)d working days.",
                    days,
                )
                % {"days": days},
            )
            return redirect("referrals:my-cases")
    return render(request, "referrals/request_form.html", {"form": form})


@role_required(Role.MEMBER)
def my_cases(request):
    return render(
        request,
        "referrals/member_case_list.html",
        {"cases": selectors.cases_for_member(request.user)},
    )


# --- Ambassadors ----------------------------------------------------------------------------


@role_required(Role.AMBASSADOR)
def signal_create(request):
    form = SignalForm(request.POST or None, find_member=selectors.member_by_email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signal_create(
                ambassador=request.user,
                agreement_confirmed=data["agreement_confirmed"],
                member=data.get("member"),
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                region=data["region"],
                need=data["need"],
                urgency=data["urgency"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Thank you. The listening cell has the signal and will follow it up.")
            )
            return redirect("referrals:my-signals")
    return render(request, "referrals/signal_form.html", {"form": form})


@role_required(Role.AMBASSADOR)
def my_signals(request):
    page, query = paged(
        request, selectors.signal_rows_for_ambassador(request.user), SIGNALS_PAGE_SIZE
    )
    return render(
        request,
        "referrals/signal_list.html",
        {"page": page, "signals": selectors.signal_statuses(page.object_list), "query": query},
    )
