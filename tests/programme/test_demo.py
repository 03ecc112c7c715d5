"""The demo programme: realistic, complete, and safe to load twice."""

import io
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from demo import accounts
from demo import programme as demo_programme
from notifications.models import Delivery, DeliveryStatus
from programme.models import Enrolment, Module, ModuleFormat, ModuleVersionGroup, Session, Theme
from programme.themes import DEFAULT_THEMES
from surveys.models import CampaignStatus, SessionFeedback, SurveyCampaign
from surveys.selectors import feedback_summary, modules_with_feedback

pytestmark = pytest.mark.django_db


def test_demo_programme_is_complete_and_idempotent():
    accounts.seed_accounts()
    demo_programme.seed(io.StringIO())

    def counts():
        return [
            model.objects.count()
            for model in (
                Module,
                ModuleVersionGroup,
                Session,
                Enrolment,
                SessionFeedback,
                SurveyCampaign,
                Delivery,
            )
        ]

    first = counts()
    demo_programme.seed(io.StringIO())
    assert counts() == first

    assert Module.objects.filter(is_published=True).count() >= 30
    assert set(Module.objects.values_list("format", flat=True)) == set(ModuleFormat.values)
    assert {"fr", "nl", "en"} == set(Module.objects.values_list("language", flat=True))
    themed = Theme.objects.annotate(n=Count("modules")).filter(n__gt=0)
    assert {slug for slug, *_ in DEFAULT_THEMES} <= set(themed.values_list("slug", flat=True))
    providers = set(Module.objects.filter(format="digital_tool").values_list("provider", flat=True))
    assert {"Evoluno", "Amarok e-Santé"} <= providers
    assert not Module.objects.filter(format="digital_tool", external_url="").exists()
    # Some modules exist in French and Dutch, linked as versions of one content.
    assert ModuleVersionGroup.objects.count() >= 2
    assert all(g.modules.count() == 2 for g in ModuleVersionGroup.objects.all())

    now = timezone.now()
    upcoming = Session.objects.filter(starts_at__gt=now).order_by("starts_at")
    assert upcoming.count() >= 30
    assert now + timedelta(days=60) < upcoming.last().starts_at < now + timedelta(days=92)
    full = [s for s in Session.objects.all() if s.is_full]
    assert len(full) >= 3
    assert all(s.enrolments.filter(status="waitlisted").exists() for s in full)
    assert Session.objects.filter(mode="in_person").values("province").distinct().count() >= 8

    # Last month's webinar has enough answers for its statistics to show.
    [module] = modules_with_feedback()
    summary = feedback_summary(SessionFeedback.objects.filter(session__module=module))
    assert summary.shown and summary.answers >= 5
    assert SessionFeedback.objects.exclude(comment="").exists()
    draft = SurveyCampaign.objects.get()
    assert draft.status == CampaignStatus.DRAFT and draft.questions.count() == 3
    # The demo's own enrolments do not flood the console with confirmations.
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
