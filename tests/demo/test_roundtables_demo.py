"""The demo's round table: two decisions linked to members' messages, one done and
published on "you said, we did" in French, Dutch and English in the programme's voice,
and safe to load twice."""

import io

import pytest
from django.utils import timezone

from demo import accounts
from demo import roundtables as demo_roundtables
from surveys.models import Decision, DecisionStatus, FeedbackEvent, FeedbackItem, RoundTable

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (RoundTable, Decision, FeedbackItem, FeedbackEvent)
    )


def test_the_demo_round_table_decides_and_publishes_a_change_and_loads_twice(client):
    accounts.seed_accounts()
    demo_roundtables.seed(io.StringIO())
    first = counts()
    demo_roundtables.seed(io.StringIO())
    assert counts() == first

    [table] = RoundTable.objects.all()
    assert table.held_on < timezone.localdate() and table.member_count > 0
    assert table.created_by.email == "gestionnaire@demo.example"
    decisions = list(table.decisions.prefetch_related("feedback_items"))
    assert len(decisions) == 2
    assert all(decision.feedback_items.exists() for decision in decisions)
    [published] = [decision for decision in decisions if decision.is_published]
    assert published.status == DecisionStatus.DONE and published.done_on < timezone.localdate()
    assert all((published.public_text_fr, published.public_text_nl, published.public_text_en))
    assert " tu " in f" {published.public_text_fr.lower()} " and "vous" not in (
        published.public_text_fr.lower()
    )
    assert " je " in f" {published.public_text_nl.lower()} "
    assert " u " not in f" {published.public_text_nl.lower()} "
    [other] = [decision for decision in decisions if not decision.is_published]
    assert other.status == DecisionStatus.DECIDED

    for language, text in (
        ("fr", published.public_text_fr),
        ("nl", published.public_text_nl),
        ("en", published.public_text_en),
    ):
        page = client.get(f"/{language}/programme/you-said-we-did/")
        assert page.status_code == 200
        assert text.replace("'", "&#x27;") in page.content.decode(), language
