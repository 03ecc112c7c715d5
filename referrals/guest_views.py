"""The "Talk to someone" page: the crisis lines, the cell's phone, a callback with no account."""

import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import public, requires_permission
from common.ratelimit import over_limit
from members.roles import ACCESS_MEMBER_SPACE, Role, has_role

from . import guest
from .choices import Source
from .guest_forms import HONEYPOT, GuestCallbackForm
from .limits import cell_context, contact_over_limit, limited_response
from .models import Case
from .views import add_service_error

logger = logging.getLogger(__name__)

# The session remembers the guest's last case, for the confirmation page alone.
SESSION_KEY = "referrals_guest_case"


def _contact_over_limit(request, data: dict) -> bool:
    return contact_over_limit(
        request,
        group="referrals.guest.contact",
        rate=settings.REFERRALS_GUEST_LIMIT_PER_CONTACT,
        phones=[data["phone"]],
        emails=[data["email"]],
    )


@public
def talk(request):
    # A member has their own request form, with their history; everyone else calls back
    # as a guest.
    member = request.user.is_authenticated and has_role(request.user, Role.MEMBER)
    form = None
    if not member:
        form = GuestCallbackForm(
            request.POST or None,
            initial={"language": (get_language() or "fr")[:2], "token": uuid.uuid4()},
        )
    if form is not None and request.method == "POST":
        if over_limit(
            request,
            group="referrals.guest.ip",
            key="ip",
            rate=settings.REFERRALS_GUEST_LIMIT_PER_IP,
        ):
            return limited_response(request)
        if request.POST.get(HONEYPOT):
            logger.info("Guest callback refused: the honeypot field was filled in.")
            return limited_response(request)
        if form.is_valid():
            data = form.cleaned_data
            case = guest.case_for_token(data["token"])
            if case is None:
                if _contact_over_limit(request, data):
                    return limited_response(request)
                try:
                    case, _created = guest.guest_callback_create(
                        name=data["name"],
                        phone=data["phone"],
                        email=data["email"],
                        when=data["when"],
                        language=data["language"],
                        urgency=data["urgency"],
                        note=data["note"],
                        token=data["token"],
                    )
                except ValidationError as error:
                    add_service_error(form, error)
            if case is not None:
                request.session[SESSION_KEY] = case.pk
                return redirect("referrals:talk-sent")
    return render(
        request,
        "referrals/talk.html",
        {"form": form, "retention_days": settings.RETENTION_CLOSED_CASE_DAYS, **cell_context()},
    )


@public
def talk_sent(request):
    case_id = request.session.get(SESSION_KEY)
    case = (
        Case.objects.filter(pk=case_id, source=Source.GUEST)
        .only("pk", "source", "contact_phone", "contact_email", "urgency", "first_contact_due")
        .first()
        if isinstance(case_id, int)
        else None
    )
    if case is None:
        return redirect("referrals:talk")
    return render(request, "referrals/talk_sent.html", {"case": case, **cell_context()})


@require_POST
@requires_permission(ACCESS_MEMBER_SPACE)
def guest_case_attach(request, pk: int):
    try:
        guest.guest_case_attach(member=request.user, case_id=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is now with your other requests."))
    return redirect("referrals:my-cases")
