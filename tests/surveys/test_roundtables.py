"""Round tables and "you said, we did": the managers' pages, the public page with its
figures under the small-count rule, the home page's latest change, and the one e-mail
to each member who signed a message that led to a change."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Delivery, DeliveryStatus
from notifications.sending import send_inline, sweep
from notifications.services import preference_set
from programme import page_cache
from surveys import feedback_services as feedback
from surveys import roundtable_services as services
from surveys.emails import CHANGE_DONE
from surveys.models import (
    CHANGE_TEXT_MAX,
    Decision,
    DecisionStatus,
    FeedbackEvent,
    FeedbackItem,
    FeedbackStatus,
    RoundTable,
)
from surveys.preferences import CHANGES_MADE
from surveys.tasks import plan_change_notices
from tests.factories import member
from tests.programme.factories import SessionFactory
from tests.programme.helpers import person
from tests.surveys.factories import SurveyCampaignFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"surveys:{name}", args=args)


def idea(*, author=None, text="A workshop on pricing", **fields) -> FeedbackItem:
    return feedback.feedback_submit(kind="need", text=text, language="fr", author=author, **fields)


def round_table(**fields) -> RoundTable:
    values = {
        "round_table_id": None,
        "actor": None,
        "title": "Table ronde de printemps",
        "held_on": date(2026, 3, 12),
        "session_id": None,
        "member_count": 12,
        "partner_count": 3,
        "summary": "Ce qui a été dit.",
        **fields,
    }
    return services.round_table_save(**values)


def decision(table: RoundTable, items=(), campaign=None, text="Un atelier trésorerie") -> Decision:
    return services.decision_save(
        round_table_id=table.pk,
        decision_id=None,
        actor=None,
        text=text,
        feedback_item_ids=[item.pk for item in items],
        campaign_id=campaign.pk if campaign else None,
    )


def publish(change: Decision, *, done_on: date | None = None, **texts) -> Decision:
    fields = {
        "public_text_fr": "Un atelier trésorerie le soir.",
        "public_text_nl": "Een avondworkshop over cashflow.",
        "public_text_en": "",
        **texts,
    }
    return services.change_update(
        decision_id=change.pk,
        actor=None,
        status=DecisionStatus.DONE,
        done_on=done_on,
        publish=True,
        **fields,
    )


# --- Managers' pages -----------------------------------------------------------------------


def test_visitors_and_members_cannot_reach_the_managers_pages(client, member_user):
    table = round_table()
    pages = [
        url("manage-round-tables"),
        url("manage-round-table-new"),
        url("manage-round-table", table.pk),
        url("manage-decision-new", table.pk),
    ]
    for page in pages:
        assert client.get(page).status_code == 302
    client.force_login(member_user)
    for page in pages:
        assert client.get(page).status_code == 403
    assert client.post(url("manage-round-table-new"), {"title": "x"}).status_code == 403
    assert RoundTable.objects.count() == 1


def test_a_manager_records_a_round_table_with_counted_participants(client, manager_user):
    session = SessionFactory()
    client.force_login(manager_user)
    response = client.post(
        url("manage-round-table-new"),
        {
            "title": "Table ronde <b>Liège</b>",
            "held_on": "2026-03-12",
            "session": str(session.pk),
            "member_count": "14",
            "partner_count": "4",
            "summary": "<script>alert(1)</script> Trop d'administratif.",
        },
    )
    table = RoundTable.objects.get()
    assert response.status_code == 302
    assert response.url == url("manage-round-table", table.pk)
    assert (table.session, table.member_count, table.partner_count, table.created_by) == (
        session,
        14,
        4,
        manager_user,
    )
    html = client.get(response.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Table ronde &lt;b&gt;Liège&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("member_count", "-1", "greater than or equal to 0"),
        ("member_count", "99999", "less than or equal to 10000"),
        ("held_on", "1890-01-01", "Enter a date between 2000 and 2100"),
        ("held_on", "not a date", "Enter a valid date"),
        ("summary", "x" * 5001, "at most 5000 characters"),
        ("title", "", "This field is required"),
        ("session", "999999", "Select a valid choice"),
    ],
)
def test_bad_round_table_input_is_refused_clearly(client, manager_user, field, value, message):
    client.force_login(manager_user)
    data = {
        "title": "Table",
        "held_on": "2026-03-12",
        "member_count": "1",
        "partner_count": "0",
        field: value,
    }
    response = client.post(url("manage-round-table-new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RoundTable.objects.exists()


def test_a_decision_links_messages_and_a_survey_and_says_so_on_their_timeline(client, manager_user):
    table = round_table()
    first, second = idea(), idea(text="Same")
    campaign = SurveyCampaignFactory(status="sent", send_at=timezone.now())
    client.force_login(manager_user)
    response = client.post(
        url("manage-decision-new", table.pk),
        {
            "action": "decision",
            "text": "Un atelier trésorerie",
            "feedback_items": f"#{first.pk}, {second.pk} #{first.pk}",
            "campaign": str(campaign.pk),
        },
    )
    change = Decision.objects.get()
    assert response.status_code == 302
    assert set(change.feedback_items.all()) == {first, second}
    assert change.campaign == campaign
    linked = FeedbackEvent.objects.filter(action=FeedbackEvent.DECISION_LINKED)
    assert {event.item_id for event in linked} == {first.pk, second.pk}
    assert linked.first().summary() == f"Linked to decision #{change.pk} of a round table"
    # Unlinking one leaves its line too.
    client.post(
        url("manage-decision", table.pk, change.pk),
        {"action": "decision", "text": "Un atelier", "feedback_items": str(first.pk)},
    )
    assert list(change.feedback_items.all()) == [first]
    assert FeedbackEvent.objects.filter(
        item=second, action=FeedbackEvent.DECISION_UNLINKED
    ).exists()


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ("12 abc", "Write the numbers of the messages, e.g. #12, #15 (not “abc”)."),
        ("999999", "There is no message with the number #999999."),
        ("<img src=x>", "(not “&lt;img”)"),
    ],
)
def test_bad_message_numbers_are_refused_clearly(client, manager_user, numbers, message):
    table = round_table()
    client.force_login(manager_user)
    response = client.post(
        url("manage-decision-new", table.pk),
        {"action": "decision", "text": "Un atelier", "feedback_items": numbers},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.exists()


def test_a_decision_of_another_round_table_or_an_unknown_action_is_no_500(client, manager_user):
    table, other = round_table(), round_table(title="Autre")
    change = decision(table)
    client.force_login(manager_user)
    assert client.get(url("manage-decision", other.pk, change.pk)).status_code == 404
    assert client.get(url("manage-decision", table.pk, 999999)).status_code == 404
    response = client.post(url("manage-decision", table.pk, change.pk), {"action": "bogus"})
    assert response.status_code == 302
    # Publishing a decision that does not exist yet is not offered.
    response = client.post(url("manage-decision-new", table.pk), {"action": "change"})
    assert response.status_code == 302
    assert Decision.objects.count() == 1


def test_publishing_needs_the_change_done_and_its_french_and_dutch_texts(client, manager_user):
    table = round_table()
    change = decision(table)
    client.force_login(manager_user)
    page = url("manage-decision", table.pk, change.pk)
    html = client.post(
        page, {"action": "change", "status": "decided", "publish": "on"}
    ).content.decode()
    assert "Only a change that is done can be published." in html
    html = client.post(
        page, {"action": "change", "status": "done", "publish": "on", "public_text_fr": "Fait"}
    ).content.decode()
    assert "Write the public text in Dutch to publish the change." in html
    tomorrow = timezone.localdate() + timedelta(days=1)
    html = client.post(
        page,
        {
            "action": "change",
            "status": "done",
            "done_on": tomorrow.isoformat(),
            "public_text_fr": "Fait",
            "public_text_nl": "Gedaan",
        },
    ).content.decode()
    assert "not in the future" in html
    html = client.post(
        page,
        {
            "action": "change",
            "status": "done",
            "public_text_fr": "x" * (CHANGE_TEXT_MAX + 1),
            "public_text_nl": "Gedaan",
        },
    ).content.decode()
    assert "at most 600 characters" in html
    change.refresh_from_db()
    assert (change.status, change.published_at) == (DecisionStatus.DECIDED, None)


def test_marking_done_moves_the_linked_messages_to_done_but_not_the_declined(manager_user):
    table = round_table()
    open_item, declined = idea(), idea(text="Non")
    feedback.feedback_set_status(item_id=declined.pk, status="declined", public_reason="Hors cadre")
    change = decision(table, items=[open_item, declined])
    publish(change)
    open_item.refresh_from_db()
    declined.refresh_from_db()
    assert (open_item.status, declined.status) == (FeedbackStatus.DONE, FeedbackStatus.DECLINED)
    change.refresh_from_db()
    assert change.done_on == timezone.localdate()


def _list_queries(client, page: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return len(queries)


def test_the_managers_lists_read_a_fixed_number_of_queries(client, manager_user):
    client.force_login(manager_user)
    table = round_table(session_id=SessionFactory().pk)
    decision(table, items=[idea()], campaign=SurveyCampaignFactory())
    few = (
        _list_queries(client, url("manage-round-tables")),
        _list_queries(client, url("manage-round-table", table.pk)),
    )
    for n in range(5):
        other = round_table(title=f"Table {n}", session_id=SessionFactory().pk)
        decision(other, items=[idea()])
        decision(table, items=[idea(), idea()], campaign=SurveyCampaignFactory())
    many = (
        _list_queries(client, url("manage-round-tables")),
        _list_queries(client, url("manage-round-table", table.pk)),
    )
    assert few == many


# --- The public page -----------------------------------------------------------------------


def test_the_public_page_lists_published_changes_newest_first_in_each_language(client):
    table = round_table()
    old = publish(decision(table), done_on=date(2026, 1, 5), public_text_en="An evening workshop.")
    new = publish(decision(table), done_on=date(2026, 2, 5), public_text_fr="Plus de webinaires.")
    decision(table, text="Not published")
    response = client.get(url("changes"))
    assert response.status_code == 200
    assert [change.pk for change in response.context["changes"]] == [new.pk, old.pk]
    html = response.content.decode()
    assert "An evening workshop." in html
    # No English text: the French one, marked as French for screen readers.
    assert '<p lang="fr">Plus de webinaires.</p>' in html
    assert "Not published" not in html
    nl = client.get(url("changes", language="nl")).content.decode()
    assert "Een avondworkshop over cashflow." in nl
    assert "Jij zei het, wij deden het" in nl
    fr = client.get(url("changes", language="fr")).content.decode()
    assert "Tu l’as dit, on l’a fait" in fr


def test_no_login_is_needed_and_an_empty_page_says_so(client):
    response = client.get(url("changes"))
    assert response.status_code == 200
    assert "No change is published yet." in response.content.decode()


def test_a_year_without_changes_and_a_bad_year_are_clear_not_errors(client):
    publish(decision(round_table()), done_on=date(2026, 1, 5))
    html = client.get(url("changes") + "?year=2019").content.decode()
    assert "No change was published in 2019." in html
    html = client.get(url("changes") + "?year=abc").content.decode()
    assert "That year could not be read" in html
    assert "Un atelier trésorerie le soir." in html or "Een avond" in html or "evening" in html
    assert client.get(url("changes") + "?year=2026&page=99").status_code == 200


def test_html_in_a_change_is_shown_as_text(client):
    publish(
        decision(round_table()),
        public_text_en="<script>alert(1)</script> <b>bold</b>",
    )
    html = client.get(url("changes")).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html


def test_figures_follow_the_small_count_rule(client):
    table = round_table()
    few = publish(decision(table, items=[idea() for _n in range(3)]), done_on=date(2026, 1, 1))
    originals = [idea() for _n in range(5)]
    for _n in range(2):
        duplicate = idea()
        feedback.feedback_mark_duplicate(item_id=duplicate.pk, original_id=originals[0].pk)
    many = publish(decision(table, items=originals), done_on=date(2026, 1, 2))
    alone = publish(decision(table), done_on=date(2026, 1, 3))
    campaign = SurveyCampaignFactory(status="sent", send_at=timezone.now())
    surveyed = publish(decision(table, campaign=campaign), done_on=date(2026, 1, 4))
    response = client.get(url("changes"))
    shown = {change.pk: change for change in response.context["changes"]}
    assert shown[few.pk].messages.value == 3
    assert shown[many.pk].messages.value == 7  # the five linked and the two merged into one
    html = response.content.decode()
    assert "Fewer than 5 messages asked for it." in html
    assert "About 5 messages asked for it." in html  # 7, rounded to the nearest 5
    assert "3 messages" not in html and "7 messages" not in html
    assert "it came from the round table itself" in html
    assert shown[alone.pk].answers is None
    assert "A survey was linked to it; it has no answers yet." in html
    assert shown[surveyed.pk].answers.value == 0


def test_the_public_page_reads_a_fixed_number_of_queries(client):
    table = round_table()
    campaign = SurveyCampaignFactory(status="sent", send_at=timezone.now())
    publish(decision(table, items=[idea()], campaign=campaign))
    few = _list_queries(client, url("changes"))
    for _n in range(6):
        publish(decision(round_table(), items=[idea(), idea()], campaign=SurveyCampaignFactory()))
    assert _list_queries(client, url("changes")) == few


def test_the_footer_links_to_the_page(client):
    html = client.get("/fr/").content.decode()
    assert 'id="footer-changes-link"' in html
    assert url("changes", language="fr") in html


def test_the_home_page_shows_the_latest_change_at_once_despite_its_cache(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    html = client.get("/en/").content.decode()
    assert 'id="latest-change"' not in html
    generation = page_cache.cache.get(page_cache.GENERATION_KEY)
    change = decision(round_table())
    publish(change, public_text_en="Evening workshops on cash flow.")
    assert page_cache.cache.get(page_cache.GENERATION_KEY) != generation
    html = client.get("/en/").content.decode()
    assert 'id="latest-change"' in html
    assert "Evening workshops on cash flow." in html
    assert url("changes") in html


# --- Telling the members who asked ----------------------------------------------------------


def _sweep_twice() -> None:
    for _n in range(2):
        sweep(dispatch=send_inline)


def test_the_member_who_signed_is_told_once_even_if_everything_runs_twice(
    django_capture_on_commit_callbacks,
):
    signer = person(language="nl", email="signer@example.org")
    other_signer = person(language="fr", email="other@example.org")
    table = round_table()
    # Two messages of the same member, one merged into a linked one, an anonymous one.
    mine, mine_again = idea(author=signer), idea(author=signer)
    merged = idea(author=other_signer)
    feedback.feedback_mark_duplicate(item_id=merged.pk, original_id=mine.pk)
    change = decision(table, items=[mine, mine_again, idea()])
    with django_capture_on_commit_callbacks(execute=True):
        publish(change)
    # The task handed over at publication, run again, and two sweeps.
    plan_change_notices(change.pk)
    services.change_notices_plan(decision_id=change.pk, now=timezone.now())
    _sweep_twice()
    sent = Delivery.objects.filter(kind=CHANGE_DONE, status=DeliveryStatus.SENT)
    assert sorted(d.recipient_id for d in sent) == sorted([signer.pk, other_signer.pk])
    assert sorted(message.to[0] for message in mail.outbox) == [
        "other@example.org",
        "signer@example.org",
    ]
    dutch = next(m for m in mail.outbox if m.to == ["signer@example.org"])
    assert dutch.subject == "Jij zei het, wij deden het: je idee leidde tot een verandering"
    assert "Een avondworkshop over cashflow." in dutch.body
    assert "List-Unsubscribe" in dutch.extra_headers
    # Changing the change again, or withdrawing and republishing it, tells no one twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.change_update(
            decision_id=change.pk,
            actor=None,
            status="done",
            done_on=None,
            public_text_fr="Fait",
            public_text_nl="Gedaan",
            public_text_en="",
            publish=False,
        )
        publish(change)
    _sweep_twice()
    assert len(mail.outbox) == 2


def test_a_member_linked_after_publication_is_told_by_the_next_sweep():
    table = round_table()
    change = publish(decision(table))
    _sweep_twice()
    assert not mail.outbox
    late = person(email="late@example.org")
    services.decision_save(
        round_table_id=table.pk,
        decision_id=change.pk,
        actor=None,
        text=change.text,
        feedback_item_ids=[idea(author=late).pk],
        campaign_id=None,
    )
    _sweep_twice()
    assert [message.to for message in mail.outbox] == [["late@example.org"]]


def test_members_who_turned_it_off_or_did_not_sign_are_not_told():
    quiet = member(email="quiet@example.org")
    preference_set(user=quiet, category=CHANGES_MADE, enabled=False)
    change = decision(round_table(), items=[idea(author=quiet), idea()])
    publish(change)
    _sweep_twice()
    assert not mail.outbox
    assert not Delivery.objects.filter(kind=CHANGE_DONE).exists()


def test_a_change_withdrawn_before_the_sweep_is_not_sent():
    signer = member(email="signer@example.org")
    change = decision(round_table(), items=[idea(author=signer)])
    publish(change)
    services.change_notices_plan(decision_id=change.pk, now=timezone.now())
    services.change_update(
        decision_id=change.pk,
        actor=None,
        status="done",
        done_on=None,
        public_text_fr="Fait",
        public_text_nl="Gedaan",
        public_text_en="",
        publish=False,
    )
    _sweep_twice()
    assert not mail.outbox
    assert Delivery.objects.get(kind=CHANGE_DONE).status == DeliveryStatus.SKIPPED


def test_the_category_is_offered_in_the_members_message_preferences(client, member_user):
    client.force_login(member_user)
    with translation.override("en"):
        html = client.get(reverse("members:profile")).content.decode()
    assert "News of what changed after your ideas" in html
    assert 'name="notify_changes_made"' in html


def test_the_message_page_names_the_decisions_it_led_to(client, manager_user):
    item = idea()
    table = round_table(title="Table de Namur")
    change = decision(table, items=[item])
    client.force_login(manager_user)
    html = client.get(url("manage-idea", item.pk)).content.decode()
    assert 'id="idea-decisions"' in html
    assert url("manage-decision", table.pk, change.pk) in html
    assert "Table de Namur" in html
