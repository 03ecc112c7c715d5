"""Shared helpers for the programme's message and survey tests."""

from members.models import MemberProfile, User
from notifications.models import Delivery
from notifications.rendering import RenderedEmail, render_delivery
from programme import services
from programme.models import Enrolment
from tests.factories import member


def person(*, language: str = "fr", **fields) -> User:
    """A member who reads their e-mails in `language`."""
    user = member(**{"first_name": "Camille", **fields})
    MemberProfile.objects.filter(user=user).update(preferred_language=language)
    return user


def enrol(session, user) -> Enrolment:
    return services.enrolment_create(session_id=session.pk, user=user).enrolment


def deliveries(kind: str):
    return Delivery.objects.filter(kind=kind).order_by("pk")


def render(delivery: Delivery) -> RenderedEmail:
    """Render as the worker would, from a fresh row."""
    rendered = render_delivery(Delivery.objects.select_related("recipient").get(pk=delivery.pk))
    assert isinstance(rendered, RenderedEmail), rendered
    return rendered
