"""What the catalogue reads share: permissions, published and upcoming rows, rankings."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from members.models import User
from members.roles import ACCESS_MEMBER_SPACE, MANAGE_PROGRAMME, holds

from ..models import (
    SESSION_FORMATS,
    Module,
    ModuleFormat,
    Session,
    SessionMode,
    Theme,
)


def can_manage(user: "User | AnonymousUser | None") -> bool:
    return bool(user) and holds(user, MANAGE_PROGRAMME)


def can_enrol(user: "User | AnonymousUser | None") -> bool:
    return bool(user) and holds(user, ACCESS_MEMBER_SPACE)


def sessions_upcoming() -> QuerySet[Session]:
    """Published, not cancelled sessions that have not started yet, soonest first."""
    return Session.objects.filter(
        is_published=True, cancelled_at__isnull=True, starts_at__gt=timezone.now()
    ).order_by("starts_at", "pk")


def sessions_public() -> QuerySet[Session]:
    """Upcoming sessions of published modules, with their module."""
    return sessions_upcoming().filter(module__is_published=True).select_related("module")


def modules_published() -> QuerySet[Module]:
    return Module.objects.filter(is_published=True)


def tools_to_open() -> QuerySet[Module]:
    """Published digital tools with the link to the partner's site: what views.tool_open
    counts and sends on to."""
    return modules_published().filter(format=ModuleFormat.DIGITAL_TOOL).exclude(external_url="")


def themes_published() -> QuerySet[Theme]:
    return Theme.objects.filter(is_published=True)


def _fits_first(field_name: str, value: str) -> Case:
    return Case(When(**{field_name: value}, then=Value(0)), default=Value(1))


def _serves_province(province: str) -> ExpressionWrapper:
    """The module can be followed from the province: on demand, or an upcoming session
    online or held there."""
    near = sessions_upcoming().filter(
        Q(province=province) | Q(mode=SessionMode.ONLINE), module=OuterRef("pk")
    )
    return ExpressionWrapper(
        Q(Exists(near)) | ~Q(format__in=SESSION_FORMATS), output_field=BooleanField()
    )
