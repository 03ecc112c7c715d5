from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.access import public, requires_permission
from common.pagination import page_of

from .forms import DeliveryFilterForm
from .models import DeliveryStatus
from .preferences import BadUnsubscribeToken, preference_enabled, unsubscribe_token_read
from .registry import kind_label
from .selectors import (
    MONITOR_PERMISSION,
    deliveries_visible_to,
    delivery_status_counts,
)
from .services import delivery_retry, email_check_send, preference_set

ONE_CLICK_FIELD = "List-Unsubscribe"


def _invalid_link(request):
    return render(request, "notifications/unsubscribe_invalid.html", status=400)


# The signed token is what authorises the change, not a session: mail clients send the
# RFC 8058 one-click POST without cookies or CSRF token, and members are not logged in.
@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        target = unsubscribe_token_read(token)
    except BadUnsubscribeToken:
        return _invalid_link(request)
    user = get_user_model().objects.filter(pk=target.user_id, is_active=True).first()
    if user is None:
        return _invalid_link(request)
    category = target.category
    if request.method == "POST":
        wanted = request.POST.get("action") == "resubscribe"
        preference_set(user=user, category=category.code, enabled=wanted)
        if request.POST.get(ONE_CLICK_FIELD) == "One-Click":
            # A mail client, not a person: answer plainly, no redirect to follow.
            return render(
                request,
                "notifications/unsubscribe.html",
                {"category": category, "subscribed": False, "token": token},
            )
        if wanted:
            messages.success(request, _("These e-mails are turned back on."))
        else:
            messages.success(request, _("Done: you will no longer receive these e-mails."))
        return redirect("notifications:unsubscribe", token=token)
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "category": category,
            "subscribed": preference_enabled(user, category.code),
            "token": token,
        },
    )


@requires_permission(MONITOR_PERMISSION)
def delivery_list(request):
    form = DeliveryFilterForm(request.GET or {"status": DeliveryStatus.FAILED})
    status = form.cleaned_data["status"] if form.is_valid() else DeliveryStatus.FAILED
    page, _moved = page_of(
        deliveries_visible_to(request.user, status=status), request.GET.get("page"), 50
    )
    for delivery in page.object_list:
        delivery.kind_label = kind_label(delivery.kind)
    counts = delivery_status_counts(request.user)
    return render(
        request,
        "notifications/delivery_list.html",
        {
            "form": form,
            "status": status,
            "page": page,
            "statuses": [(value, label, counts[value]) for value, label in DeliveryStatus.choices],
            "total": sum(counts.values()),
        },
    )


@requires_permission(MONITOR_PERMISSION)
@require_POST
def delivery_retry_view(request, pk: int):
    delivery = get_object_or_404(deliveries_visible_to(request.user), pk=pk)
    try:
        delivery_retry(delivery=delivery)
    except ValueError:
        messages.error(request, _("Only a failed message can be sent again."))
    else:
        messages.success(request, _("The message will be sent again in a moment."))
    return redirect("notifications:delivery-list")


@requires_permission(MONITOR_PERMISSION)
@require_POST
def email_check_view(request):
    email_check_send(user=request.user)
    messages.success(
        request,
        _("A test e-mail is on its way to %(address)s.") % {"address": request.user.email},
    )
    return redirect("notifications:delivery-list")
