"""Opening and working cases through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from members.consents import ConsentKind
from members.models import Consent
from members.roles import Role
from members.services import consent_withdraw
from referrals import services
from referrals.choices import CaseStatus, Channel, ConsentBasis, ReferralMode, Urgency
from referrals.models import Case, CaseAccess, CaseEvent, Referral
from referrals.privacy import delete_old_access_log
from tests.concurrency import at_once, postgres_only
from tests.factories import staff

from .factories import CaseFactory, PartnerFactory
from .helpers import case_in

pytestmark = pytest.mark.django_db


def make_request(user, **overrides):
    values = {
        "member": user,
        "needs": ["stress", "financial"],
        "channel": Channel.PHONE,
        "time_slots": ["morning", "evening"],
        "language": "fr",
        "urgency": Urgency.MEDIUM,
        "message": "Je suis débordé.",
        "phone": "0470 12 34 56",
    }
    values.update(overrides)
    return services.request_create(**values)


# --- Member requests ---------------------------------------------------------------------


def test_a_member_request_opens_a_new_case(member_user):
    member_user.profile.province = "VOV"
    member_user.profile.save()
    case = make_request(member_user, share_with_partner=True)
    assert case.status == CaseStatus.NEW and case.assigned_to is None
    assert case.contact_phone == "+32470123456"
    assert case.contact_email == member_user.email
    assert case.region == "VOV"
    assert sorted(n.need for n in case.needs.all()) == ["financial", "stress"]
    assert case.first_contact_due > case.created_at
    consent = Consent.objects.get(user=member_user, kind=ConsentKind.PARTNER_SHARING)
    assert case.sharing_consent == consent and consent.text_version
    event = case.events.get()
    assert (event.kind, event.actor, event.to_status) == ("case.created", member_user, "new")


def test_no_consent_recorded_unless_given(member_user):
    case = make_request(member_user)
    assert case.sharing_consent is None
    assert not Consent.objects.filter(user=member_user).exists()


def test_a_phone_call_needs_a_phone_number(member_user):
    with pytest.raises(ValidationError):
        make_request(member_user, phone="")
    assert not Case.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "not a phone", "+32 470"])
def test_an_invalid_phone_is_refused_and_nothing_written(member_user, phone):
    with pytest.raises(ValidationError):
        make_request(member_user, phone=phone)
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_oversized_text_is_refused_and_nothing_written(member_user):
    with pytest.raises(ValidationError):
        make_request(member_user, message="x" * 2001, share_with_partner=True)
    assert not Case.objects.exists()
    # The consent given in the same request is rolled back with it.
    assert not Consent.objects.exists()


def test_a_request_needs_a_topic(member_user):
    with pytest.raises(ValidationError):
        make_request(member_user, needs=[])
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "change", [{"needs": ["stress", "astrology"]}, {"time_slots": ["morning", "midnight"]}]
)
def test_codes_outside_the_lists_are_refused_and_nothing_written(member_user, change):
    with pytest.raises(ValidationError) as refused:
        make_request(member_user, **change)
    assert set(refused.value.error_dict) == set(change)
    assert not Case.objects.exists()


def test_a_signal_with_an_unknown_category_is_refused(ambassador_user):
    with pytest.raises(ValidationError):
        services.signal_create(
            ambassador=ambassador_user,
            agreement_confirmed=True,
            name="Luc",
            phone="0470 12 34 56",
            need="astrology",
            note="",
        )
    assert not Case.objects.exists()


def test_only_members_ask(advisor_user):
    with pytest.raises(PermissionDenied):
        make_request(advisor_user)


# --- Ambassador signals --------------------------------------------------------------------


def test_a_signal_about_an_existing_member(ambassador_user, member_user):
    member_user.profile.phone = "0470 99 88 77"
    member_user.profile.province = "BRU"
    member_user.profile.save()
    case = services.signal_create(
        ambassador=ambassador_user,
        agreement_confirmed=True,
        name="Sophie",
        email=member_user.email,
        need="loneliness",
        note="Semble isolé depuis la faillite d'un client.",
    )
    assert (case.source, case.raised_by, case.member) == ("signal", ambassador_user, member_user)
    # What the ambassador did not give comes from the member's profile, for the cell.
    assert case.contact_phone == "+32470998877" and case.region == "BRU"
    assert case.contact_name == "Sophie"
    assert [n.need for n in case.needs.all()] == ["loneliness"]


def test_a_signal_about_someone_without_an_account(ambassador_user):
    case = services.signal_create(
        ambassador=ambassador_user,
        agreement_confirmed=True,
        name="Jan Peeters",
        phone="09 265 70 00",
        language="nl",
        region="VOV",
        need="financial",
        note="",
    )
    assert case.member is None and case.contact_name == "Jan Peeters"
    assert case.contact_phone == "+3292657000"


def test_a_signal_needs_the_persons_agreement(ambassador_user):
    with pytest.raises(ValidationError):
        services.signal_create(
            ambassador=ambassador_user,
            agreement_confirmed=False,
            name="X",
            email="x@example.org",
            need="stress",
            note="",
        )
    assert not Case.objects.exists()


def test_a_signal_needs_a_way_to_reach_the_person(ambassador_user):
    with pytest.raises(ValidationError):
        services.signal_create(
            ambassador=ambassador_user, agreement_confirmed=True, name="X", need="stress", note=""
        )


def test_only_ambassadors_raise_signals(member_user):
    with pytest.raises(PermissionDenied):
        services.signal_create(
            ambassador=member_user,
            agreement_confirmed=True,
            name="X",
            email="x@example.org",
            need="stress",
            note="",
        )


# --- Claiming and assigning -----------------------------------------------------------------


def test_claim_then_the_second_advisor_is_told(advisor_user, other_advisor, new_case):
    services.case_claim(case_id=new_case.pk, advisor=advisor_user)
    with pytest.raises(services.ClaimLost) as lost:
        services.case_claim(case_id=new_case.pk, advisor=other_advisor)
    assert advisor_user.display_name in lost.value.messages[0]
    new_case.refresh_from_db()
    assert new_case.assigned_to == advisor_user
    assert new_case.events.filter(kind="case.claimed").count() == 1


def test_claiming_a_closed_case_is_refused(advisor_user):
    case = case_in("closed", advisor=advisor_user)
    with pytest.raises(services.ClaimLost) as refused:
        services.case_claim(case_id=case.pk, advisor=staff(Role.ADVISOR))
    assert refused.value.code == "closed"


def test_only_advisors_claim(new_case, manager_user):
    with pytest.raises(PermissionDenied):
        services.case_claim(case_id=new_case.pk, advisor=manager_user)
    new_case.refresh_from_db()
    assert new_case.status == "new"


def test_assign_to_a_colleague(advisor_user, other_advisor):
    case = case_in("in_progress", advisor=advisor_user)
    services.case_assign(case=case, assignee=other_advisor, actor=advisor_user)
    case.refresh_from_db()
    assert case.assigned_to == other_advisor
    event = case.events.get(kind="case.assigned")
    assert event.actor == advisor_user and event.data["assignee"] == other_advisor.pk


def test_assign_only_to_an_advisor(advisor_user, manager_user, new_case):
    with pytest.raises(PermissionDenied):
        services.case_assign(case=new_case, assignee=manager_user, actor=advisor_user)


@postgres_only
def test_two_advisors_claim_at_once_one_wins():
    first, second = staff(Role.ADVISOR), staff(Role.ADVISOR)
    case = CaseFactory()

    def claim(advisor) -> str:
        try:
            services.case_claim(case_id=case.pk, advisor=advisor)
        except services.ClaimLost:
            return "lost"
        return "won"

    outcomes = dict(zip((first.pk, second.pk), at_once(claim, (first, second)), strict=True))
    assert sorted(outcomes.values()) == ["lost", "won"]
    case.refresh_from_db()
    winner = next(pk for pk, result in outcomes.items() if result == "won")
    assert case.assigned_to_id == winner
    assert case.events.filter(kind="case.claimed").count() == 1


# --- Contact, notes, referrals, follow-up -----------------------------------------------------


def test_first_contact_attempt_meets_the_deadline(advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    case.first_contact_due = timezone.now() - timedelta(hours=1)
    case.save()
    assert case.is_overdue
    services.contact_attempt_record(
        case=case, actor=advisor_user, channel="phone", reached=False, note="Messagerie"
    )
    case.refresh_from_db()
    assert case.first_contact_at is not None and not case.is_overdue
    first = case.first_contact_at
    services.contact_attempt_record(case=case, actor=advisor_user, channel="phone", reached=True)
    case.refresh_from_db()
    assert case.first_contact_at == first
    assert case.events.filter(kind="case.contact_attempt").count() == 2


def test_contact_needs_a_claimed_case(advisor_user, new_case):
    with pytest.raises(services.CaseActionRefused):
        services.contact_attempt_record(
            case=new_case, actor=advisor_user, channel="phone", reached=True
        )


def test_notes_go_on_the_timeline(advisor_user, new_case):
    services.note_add(case=new_case, actor=advisor_user, body="<script>alert(1)</script>")
    assert new_case.events.get(kind="case.note").body == "<script>alert(1)</script>"
    with pytest.raises(ValidationError):
        services.note_add(case=new_case, actor=advisor_user, body="   ")
    with pytest.raises(ValidationError):
        services.note_add(case=new_case, actor=advisor_user, body="x" * 4001)
    assert new_case.events.filter(kind="case.note").count() == 1


def test_refer_to_several_partners(advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    partners = [PartnerFactory(), PartnerFactory()]
    services.referral_create(
        case=case, actor=advisor_user, partners=partners, mode=ReferralMode.INFORMATION
    )
    case.refresh_from_db()
    assert case.status == "oriented"
    assert set(case.referrals.values_list("partner", flat=True)) == {p.pk for p in partners}
    assert case.events.filter(kind="case.referred").count() == 2
    with pytest.raises(services.CaseActionRefused):
        services.referral_create(
            case=case, actor=advisor_user, partners=partners[:1], mode=ReferralMode.INFORMATION
        )
    assert case.referrals.count() == 2


def test_a_warm_handoff_needs_consent(advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    partner = PartnerFactory()
    with pytest.raises(ValidationError):
        services.referral_create(
            case=case, actor=advisor_user, partners=[partner], mode=ReferralMode.WARM_HANDOFF
        )
    assert not Referral.objects.exists()
    services.referral_create(
        case=case,
        actor=advisor_user,
        partners=[partner],
        mode=ReferralMode.WARM_HANDOFF,
        oral_consent=True,
    )
    assert Referral.objects.get().consent_basis == ConsentBasis.ORAL


def test_a_warm_handoff_uses_the_consent_given_online(advisor_user, member_user):
    case = make_request(member_user, share_with_partner=True)
    services.case_claim(case_id=case.pk, advisor=advisor_user)
    services.referral_create(
        case=case, actor=advisor_user, partners=[PartnerFactory()], mode="warm_handoff"
    )
    assert Referral.objects.get().consent_basis == ConsentBasis.ONLINE


def test_a_withdrawn_consent_no_longer_counts(advisor_user, member_user):
    case = make_request(member_user, share_with_partner=True)
    consent_withdraw(user=member_user, kind=ConsentKind.PARTNER_SHARING)
    services.case_claim(case_id=case.pk, advisor=advisor_user)
    with pytest.raises(ValidationError):
        services.referral_create(
            case=case, actor=advisor_user, partners=[PartnerFactory()], mode="warm_handoff"
        )


def test_an_inactive_partner_cannot_be_chosen(advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    with pytest.raises(ValidationError):
        services.referral_create(
            case=case,
            actor=advisor_user,
            partners=[PartnerFactory(is_active=False)],
            mode="information",
        )


def test_follow_up_date(advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    soon = timezone.localdate() + timedelta(days=14)
    services.follow_up_set(case=case, actor=advisor_user, on=soon)
    case.refresh_from_db()
    assert case.follow_up_on == soon
    with pytest.raises(ValidationError):
        services.follow_up_set(
            case=case, actor=advisor_user, on=timezone.localdate() - timedelta(1)
        )
    services.follow_up_set(case=case, actor=advisor_user, on=None)
    case.refresh_from_db()
    assert case.follow_up_on is None
    assert [e.data["on"] for e in case.events.filter(kind="case.follow_up")] == [
        soon.isoformat(),
        None,
    ]


def test_closed_loop_is_recorded(advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    referral = case.referrals.get()
    services.referral_record_reached(referral=referral, actor=advisor_user, reached=False)
    referral.refresh_from_db()
    assert referral.reached is False and referral.reached_recorded_at
    event = case.events.get(kind="case.partner_reached")
    assert event.data == {
        "partner": referral.partner_id,
        "partner_name": referral.partner.name,
        "reached": False,
    }


# --- Access log -------------------------------------------------------------------------------


def test_access_purpose_follows_the_case(advisor_user, other_advisor, new_case):
    log = services.access_record(case=new_case, user=advisor_user, subject="case")
    assert log.purpose == "triage"
    services.case_claim(case_id=new_case.pk, advisor=advisor_user)
    new_case.refresh_from_db()
    assert services.access_record(case=new_case, user=advisor_user, subject="case").purpose == (
        "case_work"
    )
    assert services.access_record(case=new_case, user=other_advisor, subject="case").purpose == (
        "cover"
    )


def test_the_access_log_is_append_only(advisor_user, new_case):
    log = services.access_record(case=new_case, user=advisor_user, subject="case")
    log.purpose = "review"
    with pytest.raises(ValidationError):
        log.save()
    with pytest.raises(ValidationError):
        log.delete()
    with pytest.raises(ValidationError):
        CaseAccess.objects.filter(pk=log.pk).update(purpose="review")
    with pytest.raises(ValidationError):
        CaseAccess.objects.all().delete()
    with pytest.raises(ValidationError):
        CaseEvent.objects.all().delete()
    assert CaseAccess.objects.get(pk=log.pk).purpose == "triage"


def test_the_database_itself_refuses_to_change_the_access_log(advisor_user, new_case):
    """Raw SQL, or any program on the database, cannot rewrite who read what."""
    log = services.access_record(case=new_case, user=advisor_user, subject="case")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_caseaccess SET purpose = 'review' WHERE id = %s", [log.pk])
    assert CaseAccess.objects.get(pk=log.pk).purpose == "triage"
    # Rows still leave through the retention job, past the limit.
    assert delete_old_access_log(now=timezone.now() + timedelta(days=10_000), limit=10) == 1


def test_erasing_a_member_keeps_the_case_as_a_statistic(member_user):
    case = make_request(member_user)
    member_user.delete()
    case.refresh_from_db()
    assert case.member is None and case.status == "new"


def test_a_profile_phone_phonenumbers_rejects_does_not_block_a_signal(ambassador_user, member_user):
    member_user.profile.phone = "0000 000 000"
    member_user.profile.save()
    case = services.signal_create(
        ambassador=ambassador_user,
        agreement_confirmed=True,
        name="Sophie",
        email=member_user.email,
        need="stress",
        note="",
    )
    assert case.contact_phone == "0000 000 000"


def test_overdue_cases_for_the_alert_sweep(advisor_user):
    from referrals.selectors import cases_overdue

    now = timezone.now()
    late = CaseFactory(first_contact_due=now - timedelta(hours=3))
    later = CaseFactory(first_contact_due=now - timedelta(hours=1))
    CaseFactory(first_contact_due=now + timedelta(hours=1))
    contacted = case_in("in_progress", advisor=advisor_user)
    Case.objects.filter(pk=contacted.pk).update(
        first_contact_due=now - timedelta(days=1), first_contact_at=now - timedelta(days=2)
    )
    closed = case_in("closed", advisor=advisor_user)
    Case.objects.filter(pk=closed.pk).update(first_contact_due=now - timedelta(days=1))
    assert list(cases_overdue(now)) == [late, later]


def test_only_one_of_the_members_own_results_can_be_attached(member_user):
    from tests.factories import member

    from .factories import attached_result

    with pytest.raises(PermissionDenied):
        make_request(member_user, result=attached_result(member()))
    assert not Case.objects.exists()
    mine = attached_result(member_user)
    assert make_request(member_user, result=mine).assessment_result == mine


def test_deleting_the_result_detaches_it(member_user):
    from .factories import attached_result

    result = attached_result(member_user)
    case = make_request(member_user, result=result)
    result.delete()
    case.refresh_from_db()
    assert case.assessment_result is None
