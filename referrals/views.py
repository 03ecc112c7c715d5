"""Pages for visitors (partner directory), members (contact requests) and ambassadors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.selectors import results_for_member
from common.access import public, requires_permission
from common.pagination import page_of
from members.roles import ACCESS_MEMBER_SPACE, RAISE_SIGNALS
from members.selectors import profile_for

from . import guest, selectors, services
from .forms import ContactRequestForm, DirectoryFilterForm, SignalForm
from .partner_forms import MemberAnswerForm
from .phones import display_phone

DIRECTORY_PAGE_SIZE = 20
SIGNALS_PAGE_SIZE = 25


def valid_filters(form) -> dict:
    """The filter values that validated: a tampered one is dropped (the form says so) and
    the others still apply."""
    form.is_valid()
    return getattr(form, "cleaned_data", {})


def add_service_error(form, error: ValidationError) -> None:
    """Put a refusal from a service on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@public
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    cleaned = valid_filters(form)
    filters = {name: cleaned.get(name) or "" for name in form.fields}
    page, _moved = page_of(
        selectors.partners_directory(**filters), request.GET.get("page"), DIRECTORY_PAGE_SIZE
    )
    return render(
        request,
        "referrals/partner_directory.html",
        {
            "form": form,
            "page": page,
            "partners": page.object_list,
            "filtered": any(filters.values()),
        },
    )


# --- Members -------------------------------------------------------------------------------


def _offered_result(raw: str | None, results) -> int | None:
    """?result=<id> (from a result page) names one of the member's own results; anything
    else is ignored. It opens the choice, never makes it: attaching stays opt-in."""
    # isdigit() alone lets through "²", which int() refuses.
    if raw and raw.isascii() and raw.isdigit() and results.filter(pk=int(raw)).exists():
        return int(raw)
    return None


@requires_permission(ACCESS_MEMBER_SPACE)
def request_create(request):
    results = results_for_member(request.user)
    profile = profile_for(request.user)
    initial = {
        "language": profile.preferred_language,
        "phone": display_phone(profile.phone),
        "email": request.user.email,
    }
    form = ContactRequestForm(request.POST or None, initial=initial, results=results)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.request_create(
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
            return redirect("referrals:request-sent", case.pk)
    offered = _offered_result(request.GET.get("result"), results)
    return render(request, "referrals/request_form.html", {"form": form, "offered_result": offered})


@requires_permission(ACCESS_MEMBER_SPACE)
def request_sent(request, pk: int):
    """The confirmation: what happens next, in the words that fit how urgent it is."""
    case = selectors.member_request(request.user, pk)
    return render(
        request,
        "referrals/request_sent.html",
        {"case": case, "next": selectors.what_happens_next(case, now=timezone.now())},
    )


@require_POST
@requires_permission(ACCESS_MEMBER_SPACE)
def request_detach_result(request, pk: int):
    try:
        services.request_detach_result(member=request.user, case_id=pk)
    except PermissionDenied:
        raise Http404 from None
    except services.CaseActionRefused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(
            request, _("The result is detached: the listening cell no longer sees it.")
        )
    return redirect("referrals:my-cases")


@requires_permission(ACCESS_MEMBER_SPACE)
def my_cases(request):
    return render(
        request,
        "referrals/member_case_list.html",
        {
            "cases": selectors.cases_for_member(request.user),
            "guest_cases": guest.guest_cases_to_attach(request.user),
            "answer_form": MemberAnswerForm(),
        },
    )


@require_POST
@requires_permission(ACCESS_MEMBER_SPACE)
def member_referral_answer(request, referral_pk: int):
    """The member's word on a referral: did they reach the partner, did it help?"""
    form = MemberAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell us whether you got in touch with the partner."))
        return redirect("referrals:my-cases")
    try:
        services.member_answer_record(
            member=request.user,
            referral_id=referral_pk,
            reached=form.cleaned_data["reached"],
            helped=form.cleaned_data["helped"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you! The listening cell sees your answer."))
    return redirect("referrals:my-cases")


# --- Ambassadors ----------------------------------------------------------------------------


@requires_permission(RAISE_SIGNALS)
def signal_create(request):
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.signal_create(
                ambassador=request.user,
                agreement_confirmed=data["agreement_confirmed"],
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
    return render(
        request,
        "referrals/signal_form.html",
        {"form": form, "signals_left": services.signals_left_today(request.user)},
    )


@requires_permission(RAISE_SIGNALS)
def my_signals(request):
    page, _moved = page_of(
        selectors.signal_rows_for_ambassador(request.user),
        request.GET.get("page"),
        SIGNALS_PAGE_SIZE,
    )
    return render(
        request,
        "referrals/signal_list.html",
        {"page": page, "signals": selectors.signal_statuses(page.object_list)},
    )
