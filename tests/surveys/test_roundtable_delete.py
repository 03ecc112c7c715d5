"""Deleting a round table: managers only, after a confirmation page; refused while one of
its decisions is on the public page; otherwise its decisions go with it in one
transaction, each linked message keeps a line on its timeline, and the edit history
keeps the record."""

from datetime import date
from unittest import mock

import pytest

from surveys import roundtable_services as services
from surveys.models import Decision, FeedbackEvent, RoundTable
from tests.surveys.test_roundtables import decision, idea, publish, round_table, url

pytestmark = pytest.mark.django_db


def test_only_managers_reach_the_page(client, member_user, advisor_user):
    table = round_table()
    page = url("manage-round-table-delete", table.pk)
    assert client.get(page).status_code == 302
    assert client.post(page).status_code == 302
    for user in (member_user, advisor_user):
        client.force_login(user)
        assert client.get(page).status_code == 403
        assert client.post(page).status_code == 403
    assert RoundTable.objects.filter(pk=table.pk).exists()


def test_an_unknown_round_table_is_a_404_never_a_500(client, manager_user):
    client.force_login(manager_user)
    assert client.get(url("manage-round-table-delete", 999999)).status_code == 404
    assert client.post(url("manage-round-table-delete", 999999)).status_code == 404
    assert client.get("/en/programme/manage/round-tables/nonsense/delete/").status_code == 404
    table = round_table()
    assert client.put(url("manage-round-table-delete", table.pk)).status_code == 405


def test_the_page_asks_before_deleting(client, manager_user):
    table = round_table()
    decision(table)
    client.force_login(manager_user)
    detail = client.get(url("manage-round-table", table.pk)).content.decode()
    assert url("manage-round-table-delete", table.pk) in detail
    html = client.get(url("manage-round-table-delete", table.pk)).content.decode()
    assert "“Table ronde de printemps” of Thursday 12 March 2026 and its 1 decision" in html
    assert "Delete the round table" in html
    assert RoundTable.objects.filter(pk=table.pk).exists()  # a GET deletes nothing


def test_a_manager_deletes_a_round_table_and_its_decisions(client, manager_user):
    table = round_table()
    first, second = idea(), idea(text="Moins de paperasse")
    kept = decision(table, items=[first, second])
    other = decision(table, items=[first], text="Un guide")
    client.force_login(manager_user)
    response = client.post(url("manage-round-table-delete", table.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("manage-round-tables")
    assert "The round table “Table ronde de printemps” is deleted." in response.content.decode()
    assert not RoundTable.objects.filter(pk=table.pk).exists()
    assert not Decision.objects.filter(pk__in=[kept.pk, other.pk]).exists()
    events = FeedbackEvent.objects.filter(action=FeedbackEvent.DECISION_DELETED)
    assert sorted((e.item_id, e.detail["decision"], e.actor) for e in events) == sorted(
        [
            (first.pk, kept.pk, manager_user),
            (first.pk, other.pk, manager_user),
            (second.pk, kept.pk, manager_user),
        ]
    )
    assert events.first().summary().endswith("deleted with its round table")
    assert first.pk in [item.pk for item in type(first).objects.all()]  # messages stay
    assert RoundTable.history.filter(id=table.pk, history_type="-").exists()
    deleted = Decision.history.filter(history_type="-").values_list("id", flat=True)
    assert sorted(deleted) == sorted([kept.pk, other.pk])


def test_a_published_decision_refuses_the_deletion(client, manager_user):
    table = round_table()
    change = publish(decision(table, items=[idea()]), done_on=date(2026, 3, 20))
    client.force_login(manager_user)
    html = client.get(url("manage-round-table-delete", table.pk)).content.decode()
    assert 'id="round-table-delete-refused"' in html
    assert 'type="submit"' not in html.split('id="round-table-delete-refused"')[1]
    response = client.post(url("manage-round-table-delete", table.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("manage-round-table", table.pk)
    assert f"Decision #{change.pk} of this round table is on the public page" in (
        response.content.decode()
    )
    assert RoundTable.objects.filter(pk=table.pk).exists()
    assert Decision.objects.filter(pk=change.pk).exists()
    assert not FeedbackEvent.objects.filter(action=FeedbackEvent.DECISION_DELETED).exists()


def test_withdrawn_from_the_page_it_may_go(manager_user):
    table = round_table()
    change = publish(decision(table), done_on=date(2026, 3, 20))
    services.change_update(
        decision_id=change.pk,
        actor=manager_user,
        status="done",
        done_on=date(2026, 3, 20),
        public_text_fr=change.public_text_fr,
        public_text_nl=change.public_text_nl,
        public_text_en="",
        publish=False,
    )
    services.round_table_delete(round_table_id=table.pk, actor=manager_user)
    assert not RoundTable.objects.filter(pk=table.pk).exists()


def test_the_deletion_is_one_transaction(manager_user):
    table = round_table()
    change = decision(table, items=[idea()])
    with (
        mock.patch.object(RoundTable, "delete", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.round_table_delete(round_table_id=table.pk, actor=manager_user)
    assert Decision.objects.filter(pk=change.pk).exists()
    assert not FeedbackEvent.objects.filter(action=FeedbackEvent.DECISION_DELETED).exists()
