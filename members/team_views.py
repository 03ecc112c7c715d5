"""The team pages of programme managers, and the invitation link the invited open."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.access import public, requires_permission
from common.pagination import page_of

from . import team_selectors as selectors
from . import team_services as services
from .models import User
from .roles import MANAGE_TEAM, Role, roles_of
from .team_forms import (
    DeactivationForm,
    InvitationAcceptForm,
    InvitationForm,
    RoleForm,
    TeamSearchForm,
)
from .workload import workloads


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@requires_permission(MANAGE_TEAM)
def team_list(request) -> HttpResponse:
    form = TeamSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.team_people(
        query=filters.get("q", ""), role=filters.get("role", ""), status=filters.get("status", "")
    )
    page, _moved = page_of(people, request.GET.get("page"), selectors.TEAM_PAGE_SIZE)
    rows = [(person, selectors.role_labels_of(person)) for person in page.object_list]
    return render(
        request,
        "members/team_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "invitations": list(selectors.pending_invitations()),
            "searching": bool(filters.get("q")),
        },
    )


@requires_permission(MANAGE_TEAM)
def team_invite(request) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, **form.cleaned_data)
        except services.TeamActionRefused as refused:
            _add_errors(form, refused)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s as %(role)s.")
                % {"email": invitation.email, "role": invitation.role_label},
            )
            return redirect("team:list")
    return render(
        request,
        "members/team_invite.html",
        {"form": form, "expire_days": settings.TEAM_INVITATION_EXPIRE_DAYS},
    )


@require_POST
@requires_permission(MANAGE_TEAM)
def invitation_resend(request, pk: int) -> HttpResponse:
    language = request.POST.get("language") or translation.get_language() or "fr"
    try:
        invitation = services.invitation_resend(
            invitation_id=pk, language=language[:2], actor=request.user
        )
    except services.TeamActionRefused as refused:
        _refused(request, refused)
    else:
        messages.success(
            request, _("A new invitation was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect("team:list")


@require_POST
@requires_permission(MANAGE_TEAM)
def invitation_withdraw(request, pk: int) -> HttpResponse:
    if services.invitation_withdraw(invitation_id=pk, actor=request.user):
        messages.success(request, _("The invitation was withdrawn: its link no longer works."))
    else:
        messages.info(request, _("This invitation was accepted or withdrawn meanwhile."))
    return redirect("team:list")


def _successors(person: User):
    """Who may take over what the person holds (the first kind of work they hold)."""
    for workload in workloads():
        if workload.held(person):
            return workload.successors(person)
    return None


def _person_page(request, person: User, *, role_form=None, deactivation_form=None):
    blockers = services.deactivation_blockers(person) if person.is_active else []
    return render(
        request,
        "members/team_person.html",
        {
            "person": person,
            "role_labels": selectors.role_labels_of(person),
            "is_self": person.pk == request.user.pk,
            "role_form": role_form or RoleForm(initial={"role": _team_role_of(person)}),
            "deactivation_form": deactivation_form
            or DeactivationForm(successors=_successors(person) if blockers else None),
            "blockers": blockers,
        },
    )


def _team_role_of(person: User) -> str:
    held = roles_of(person)
    for role in (Role.PROGRAMME_MANAGER, Role.ADVISOR, Role.AMBASSADOR):
        if role in held:
            return role.value
    return ""


def _person_or_404(pk: int) -> User:
    person = selectors.team_person(pk)
    if person is None:
        raise Http404
    return person


@requires_permission(MANAGE_TEAM)
def team_person(request, pk: int) -> HttpResponse:
    return _person_page(request, _person_or_404(pk))


@require_POST
@requires_permission(MANAGE_TEAM)
def team_person_role(request, pk: int) -> HttpResponse:
    person = _person_or_404(pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_change(person=person, role=form.cleaned_data["role"], actor=request.user)
        except services.TeamActionRefused as refused:
            _refused(request, refused)
        else:
            messages.success(
                request,
                _("%(name)s is now: %(role)s.")
                % {"name": person.display_name, "role": Role(form.cleaned_data["role"]).label},
            )
            return redirect("team:person", pk=person.pk)
    return _person_page(request, person, role_form=form)


@require_POST
@requires_permission(MANAGE_TEAM)
def team_person_deactivate(request, pk: int) -> HttpResponse:
    person = _person_or_404(pk)
    successors = _successors(person) if person.is_active else None
    form = DeactivationForm(request.POST, successors=successors)
    if form.is_valid():
        try:
            handed = services.person_deactivate(
                person=person, actor=request.user, successor=form.cleaned_data.get("successor")
            )
        except services.TeamActionRefused as refused:
            _refused(request, refused)
        else:
            messages.success(
                request,
                _("%(name)s's account is deactivated.") % {"name": person.display_name},
            )
            if handed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s open item was handed over to %(name)s.",
                        "%(count)s open items were handed over to %(name)s.",
                        handed,
                    )
                    % {"count": handed, "name": form.cleaned_data["successor"].display_name},
                )
            return redirect("team:person", pk=person.pk)
    return _person_page(request, person, deactivation_form=form)


@require_POST
@requires_permission(MANAGE_TEAM)
def team_person_reactivate(request, pk: int) -> HttpResponse:
    person = _person_or_404(pk)
    try:
        services.person_reactivate(person=person, actor=request.user)
    except services.TeamActionRefused as refused:
        _refused(request, refused)
    else:
        messages.success(
            request, _("%(name)s's account is active again.") % {"name": person.display_name}
        )
    return redirect("team:person", pk=person.pk)


@public
def invitation_accept(request, token: str) -> HttpResponse:
    """The invited person chooses a password; then they are signed in and land on their
    home (staff roles are first asked to set up their authenticator app)."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationInvalid as invalid:
        return render(
            request, "members/invitation_invalid.html", {"reason": str(invalid)}, status=410
        )
    if request.user.is_authenticated:
        messages.info(request, _("Log out first to accept an invitation for another address."))
        return redirect("dashboards:home")
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                language=(translation.get_language() or "fr")[:2],
            )
        except services.InvitationInvalid as invalid:
            return render(
                request, "members/invitation_invalid.html", {"reason": str(invalid)}, status=410
            )
        except services.TeamActionRefused as refused:
            _add_errors(form, refused)
        else:
            login(request, user, backend="members.auth_backends.ModelBackend")
            messages.success(request, _("Welcome to the programme team."))
            return redirect("dashboards:home")
    return render(
        request, "members/invitation_accept.html", {"form": form, "invitation": invitation}
    )
