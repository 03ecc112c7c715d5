"""The listening cell at work: queue, case page, actions, refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.roles import Role
from referrals.choices import CaseStatus
from referrals.models import Case, CaseAccess, CaseEvent, Referral
from tests.factories import member, staff

from .factories import CaseFactory, PartnerFactory, attached_result
from .helpers import case_in

pytestmark = pytest.mark.django_db


def url(case, action=""):
    return f"/en/listening-cell/cases/{case.pk}/{action + '/' if action else ''}"


def test_queue_most_urgent_then_longest_waiting(advisor_client):
    now = timezone.now()
    low_old = CaseFactory(urgency=1, created_at=now - timedelta(days=5))
    high_new = CaseFactory(urgency=3, created_at=now - timedelta(hours=1))
    high_old = CaseFactory(urgency=3, created_at=now - timedelta(days=1))
    medium = CaseFactory(urgency=2, created_at=now - timedelta(days=3))
    response = advisor_client.get("/en/listening-cell/queue/")
    assert [c.pk for c in response.context["cases"]] == [
        high_old.pk,
        high_new.pk,
        medium.pk,
        low_old.pk,
    ]


def test_queue_filters(advisor_client, advisor_user, other_advisor):
    now = timezone.now()
    overdue = CaseFactory(first_contact_due=now - timedelta(hours=2), region="BRU")
    mine = case_in("in_progress", advisor=advisor_user)
    theirs = case_in("oriented", advisor=other_advisor)
    closed = case_in("closed", advisor=advisor_user)
    signal = CaseFactory(source="signal", agreement_confirmed=True, urgency=3)

    def ids(query):
        response = advisor_client.get(f"/en/listening-cell/queue/?{query}")
        assert response.status_code == 200
        return {c.pk for c in response.context["cases"]}

    assert ids("") == {overdue.pk, mine.pk, theirs.pk, signal.pk}
    assert ids("overdue=on") == {overdue.pk}
    assert ids("assignment=mine") == {mine.pk}
    assert ids("assignment=unassigned") == {overdue.pk, signal.pk}
    assert ids("status=closed") == {closed.pk}
    assert ids("status=all") == {overdue.pk, mine.pk, theirs.pk, closed.pk, signal.pk}
    assert ids("source=signal") == {signal.pk}
    assert ids("urgency=3") == {signal.pk}
    assert ids("region=BRU") == {overdue.pk}
    # Tampered filters are ignored rather than an error.
    assert ids("status=bogus&urgency=x&page=999") == {overdue.pk, mine.pk, theirs.pk, signal.pk}
    # A case held by an advisor who left the cell waits for someone, like a new one.
    orphan = case_in("in_progress", advisor=staff(Role.ADVISOR, is_active=False))
    assert ids("assignment=unassigned") == {overdue.pk, signal.pk, orphan.pk}
    # One tampered value does not throw away the filters that are valid.
    assert ids("status=closed&urgency=x") == {closed.pk}
    assert ids("assignment=mine&region=XX") == {mine.pk}


def test_overdue_cases_stand_out(advisor_client):
    CaseFactory(first_contact_due=timezone.now() - timedelta(hours=1))
    page = advisor_client.get("/en/listening-cell/queue/").content.decode()
    assert 'class="table-danger"' in page and "Overdue" in page


def test_the_queue_logs_each_case_it_lists_and_only_those(
    advisor_client, advisor_user, other_advisor
):
    mine = case_in("in_progress", advisor=advisor_user)
    theirs = case_in("in_progress", advisor=other_advisor)
    new = [CaseFactory() for _ in range(25)]  # with the two above, a second page
    first = advisor_client.get("/en/listening-cell/queue/")
    listed = {c.pk for c in first.context["cases"]}
    logs = list(CaseAccess.objects.filter(subject="queue_listing"))
    assert len(listed) == 25
    assert {log.case_id for log in logs} == listed and len(logs) == 25
    assert {log.accessed_by for log in logs} == {advisor_user}
    purposes = {log.case_id: log.purpose for log in logs}
    # The two claimed cases waited longest: first page, each with its own reason.
    assert (purposes[mine.pk], purposes[theirs.pk]) == ("case_work", "cover")
    assert {purposes[c.pk] for c in new if c.pk in purposes} == {"triage"}

    advisor_client.get("/en/listening-cell/queue/?page=2")
    cases = CaseAccess.objects.values_list("case_id", flat=True)
    assert sorted(cases) == sorted([mine.pk, theirs.pk] + [c.pk for c in new])
    # An empty page writes nothing.
    advisor_client.get("/en/listening-cell/queue/?status=closed")
    assert CaseAccess.objects.count() == 27


def test_case_page_logs_the_read_and_shows_the_timeline(advisor_client, advisor_user, new_case):
    response = advisor_client.get(url(new_case))
    assert response.status_code == 200
    log = CaseAccess.objects.get()
    assert (log.case, log.accessed_by, log.subject, log.purpose) == (
        new_case,
        advisor_user,
        "case",
        "triage",
    )
    assert log.accessed_at is not None


def test_attached_result_read_is_logged(advisor_client, advisor_user, member_user):
    result = attached_result(member_user)
    case = CaseFactory(member=member_user, assessment_result=result)
    response = advisor_client.get(url(case, "result"))
    assert response.status_code == 200
    assert "WHO-5" in response.content.decode() or result.instrument_name in (
        response.content.decode()
    )
    log = CaseAccess.objects.get(subject="assessment_result")
    assert (log.result_id, log.accessed_by, log.case) == (result.pk, advisor_user, case)


def test_no_result_attached_is_a_404(advisor_client, new_case):
    assert advisor_client.get(url(new_case, "result")).status_code == 404
    assert not CaseAccess.objects.exists()


def test_an_acute_result_puts_crisis_lines_first(advisor_client, advisor_user, member_user):
    support = PartnerFactory(name="AAA support", needs=["stress"])
    crisis = PartnerFactory(name="ZZZ crisis line", needs=["crisis"], is_crisis_line=True)
    result = attached_result(member_user, acute=True)
    case = case_in("in_progress", advisor=advisor_user, member=member_user, urgency=1)
    case.assessment_result = result
    case.save()
    suggestions = advisor_client.get(url(case)).context["suggestions"]
    assert [partner.pk for partner, _s in suggestions] == [crisis.pk, support.pk]


def test_claim_through_the_page_and_the_loser_is_told(
    client, advisor_user, other_advisor, new_case
):
    client.force_login(advisor_user)
    response = client.post(url(new_case, "claim"), follow=True)
    assert "The case is yours." in response.content.decode()
    client.force_login(other_advisor)
    response = client.post(url(new_case, "claim"), follow=True)
    assert response.status_code == 200
    assert f"{advisor_user.display_name} claimed this case first." in response.content.decode()
    assert Case.objects.get(pk=new_case.pk).assigned_to == advisor_user


def test_claiming_a_closed_case_is_refused_with_a_message(advisor_client, other_advisor):
    case = case_in("closed", advisor=other_advisor)
    response = advisor_client.post(url(case, "claim"), follow=True)
    assert "This case is closed: it cannot be claimed." in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to == other_advisor


def test_a_forbidden_transition_gets_a_message(advisor_client, new_case):
    response = advisor_client.post(
        url(new_case, "close"), {"close-outcome": "handled_by_cell"}, follow=True
    )
    assert response.status_code == 200
    assert "A case cannot go from “New” to “Closed”." in response.content.decode()
    assert Case.objects.get(pk=new_case.pk).status == "new"


def test_closing_a_closed_case_gets_a_message(advisor_client, advisor_user):
    case = case_in("closed", advisor=advisor_user)
    response = advisor_client.post(
        url(case, "close"), {"close-outcome": "unreachable"}, follow=True
    )
    assert "A case cannot go from “Closed” to “Closed”." in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == "handled_by_cell"


@pytest.mark.parametrize("path", ["", "result", "claim", "note", "close", "referrals/1/reached"])
def test_a_tampered_case_id_is_a_404(advisor_client, path):
    case = CaseFactory()
    missing = type("Missing", (), {"pk": case.pk + 1000})()
    method = advisor_client.get if path in ("", "result") else advisor_client.post
    assert method(url(missing, path)).status_code == 404


def test_a_referral_of_another_case_is_a_404(advisor_client, advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    other = case_in("oriented", advisor=advisor_user)
    referral = other.referrals.get()
    response = advisor_client.post(
        url(case, f"referrals/{referral.pk}/reached"), {f"reached-{referral.pk}-reached": "yes"}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).reached is None


def test_get_on_an_action_is_refused(advisor_client, new_case):
    assert advisor_client.get(url(new_case, "claim")).status_code == 405


def test_full_work_through_the_pages(advisor_client, advisor_user, member_user):
    partner = PartnerFactory(needs=["stress"], areas=["WLG"])
    case = CaseFactory(member=member_user)
    assert advisor_client.post(url(case, "claim")).status_code == 302
    assert (
        advisor_client.post(
            url(case, "contact"),
            {"contact-channel": "phone", "contact-reached": "yes", "contact-note": "OK"},
        ).status_code
        == 302
    )
    assert advisor_client.post(url(case, "note"), {"note-body": "Note"}).status_code == 302
    assert (
        advisor_client.post(
            url(case, "refer"),
            {"refer-partners": [str(partner.pk)], "refer-mode": "information"},
        ).status_code
        == 302
    )
    follow_up = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert (
        advisor_client.post(url(case, "follow-up"), {"follow-follow_up_on": follow_up}).status_code
        == 302
    )
    referral = case.referrals.get()
    assert (
        advisor_client.post(
            url(case, f"referrals/{referral.pk}/reached"),
            {f"reached-{referral.pk}-reached": "yes"},
        ).status_code
        == 302
    )
    assert (
        advisor_client.post(url(case, "close"), {"close-outcome": "referred_reached"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.follow_up_on) == (
        CaseStatus.CLOSED,
        "referred_reached",
        None,
    )
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        "case.claimed",
        "case.contact_attempt",
        "case.note",
        "case.referred",
        "case.oriented",
        "case.follow_up",
        "case.partner_reached",
        "case.closed",
    ]
    assert all(e.actor == advisor_user for e in case.events.all())


FORMS = {
    "note": "note_form",
    "contact": "contact_form",
    "refer": "referral_form",
    "follow-up": "follow_up_form",
    "close": "close_form",
    "assign": "assign_form",
}


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("note", {"note-body": ""}, "body"),
        ("note", {"note-body": "x" * 4001}, "body"),
        ("contact", {"contact-channel": "fax", "contact-reached": "yes"}, "channel"),
        ("refer", {"refer-mode": "information"}, "partners"),
        ("refer", {"refer-partners": ["999999"], "refer-mode": "information"}, "partners"),
        ("refer", {"refer-partners": ["PARTNER"], "refer-mode": "warm_handoff"}, "oral_consent"),
        ("follow-up", {"follow-follow_up_on": "2001-01-01"}, "follow_up_on"),
        ("follow-up", {"follow-follow_up_on": "not-a-date"}, "follow_up_on"),
        ("close", {"close-outcome": "referred_reached"}, "outcome"),
        ("assign", {"assign-assignee": "999999"}, "assignee"),
    ],
)
def test_bad_input_on_actions(advisor_client, advisor_user, action, data, field):
    case = case_in("in_progress", advisor=advisor_user)
    partner = PartnerFactory()
    if data.get("refer-partners") == ["PARTNER"]:
        data = {**data, "refer-partners": [str(partner.pk)]}
    events = CaseEvent.objects.count()
    response = advisor_client.post(url(case, action), data)
    assert response.status_code == 400
    form = response.context[FORMS[action]]
    assert form.is_bound and field in form.errors
    assert CaseEvent.objects.count() == events
    assert not Referral.objects.exists()


def test_a_member_in_the_assign_list_is_refused(advisor_client, advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    response = advisor_client.post(url(case, "assign"), {"assign-assignee": str(member().pk)})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).assigned_to == advisor_user


def test_notes_are_shown_inert(advisor_client, advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    advisor_client.post(url(case, "note"), {"note-body": "<img src=x onerror=alert(1)>"})
    page = advisor_client.get(url(case)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_suggestions_follow_needs_region_and_language(advisor_client, advisor_user):
    wanted = PartnerFactory(name="Liège money help", needs=["financial"], areas=["WLG"])
    PartnerFactory(name="Antwerp money help", needs=["financial"], areas=["VAN"])
    dutch = PartnerFactory(name="Dutch national", needs=["financial", "stress"], languages=["nl"])
    PartnerFactory(name="Legal only", needs=["legal"])
    case = case_in("in_progress", advisor=advisor_user, needs=["financial", "stress"])
    response = advisor_client.get(url(case))
    suggested = [partner.pk for partner, _s in response.context["suggestions"]]
    assert suggested == [wanted.pk, dutch.pk]
    others = {partner.name for partner in response.context["other_partners"]}
    assert others == {"Antwerp money help", "Legal only"}
    page = response.content.decode()
    assert "Does not help in French." in page


def test_partners_already_referred_are_not_offered_again(advisor_client, advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    referred = case.referrals.get().partner
    response = advisor_client.get(url(case))
    offered = [p.pk for p, _s in response.context["suggestions"]] + [
        p.pk for p in response.context["other_partners"]
    ]
    assert referred.pk not in offered


def test_urgency_reads_in_the_voice_of_whoever_gave_it(advisor_client, ambassador_user):
    request = CaseFactory(urgency=3)
    signal = CaseFactory(
        source="signal", raised_by=ambassador_user, agreement_confirmed=True, urgency=3
    )
    page = advisor_client.get("/en/listening-cell/queue/").content.decode()
    rows = page.split("<tbody>")[1]
    assert rows.count("It is urgent for me") == 1 and rows.count("It seems urgent") == 1
    assert "It is urgent for me" in advisor_client.get(url(request)).content.decode()
    signal_page = advisor_client.get(url(signal)).content.decode()
    assert "It seems urgent" in signal_page and "It is urgent for me" not in signal_page
