"""The demo member's self-assessment history: a trend to look at, safe to load twice."""

import io

import pytest

from assessments.models import AssessmentResult, ReassessmentPlan
from demo import accounts
from demo import assessments as demo_assessments
from members.models import Consent

pytestmark = pytest.mark.django_db


def test_demo_results_show_a_trend_and_seeding_twice_changes_nothing(client):
    accounts.seed_accounts()
    demo_assessments.seed(io.StringIO())
    demo_assessments.seed(io.StringIO())
    member = accounts.User.objects.get(email="membre@demo.example")
    results = AssessmentResult.objects.filter(user=member)
    assert results.count() == 8
    assert Consent.objects.filter(user=member).count() == 1
    assert ReassessmentPlan.objects.filter(user=member).count() == 1
    who5 = list(results.filter(instrument="who-5").order_by("created_at"))
    assert [int(r.score) for r in who5] == [28, 40, 52, 68]
    assert who5[0].acute and not who5[-1].acute
    assert not AssessmentResult.objects.exclude(user=member).exists()
    client.force_login(member)
    page = client.get("/en/self-assessments/history/").content.decode()
    section = page[page.index('id="history-who-5"') : page.index('id="history-pss-10"')]
    assert section.count("<circle") == 4


def test_without_the_demo_member_nothing_is_seeded():
    demo_assessments.seed(io.StringIO())
    assert not AssessmentResult.objects.exists()
