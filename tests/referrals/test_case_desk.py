"""The advisor's desk: a recorded answer is not flipped by a stray click, and consent given
by phone shows as consent on the case."""

import pytest

from referrals import services
from referrals.choices import ReferralMode

from .factories import PartnerFactory
from .helpers import case_in

pytestmark = pytest.mark.django_db


def test_changing_a_recorded_answer_takes_a_confirmation(advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    referral = case.referrals.get()
    services.referral_record_reached(referral=referral, actor=advisor_user, reached=True)
    with pytest.raises(services.CaseActionRefused) as refused:
        services.referral_record_reached(referral=referral, actor=advisor_user, reached=False)
    assert refused.value.code == "confirm_change"
    referral.refresh_from_db()
    assert referral.reached is True
    # The same answer again needs nothing; a confirmed change is kept with what it replaced.
    services.referral_record_reached(referral=referral, actor=advisor_user, reached=True)
    services.referral_record_reached(
        referral=referral, actor=advisor_user, reached=False, confirm_change=True
    )
    referral.refresh_from_db()
    assert referral.reached is False
    assert case.events.filter(kind="case.partner_reached").latest("pk").data["previous"] is True


def test_the_case_page_asks_for_the_confirmation(client, advisor_user):
    case = case_in("oriented", advisor=advisor_user)
    referral = case.referrals.get()
    client.force_login(advisor_user)
    url = f"/en/listening-cell/cases/{case.pk}/referrals/{referral.pk}/reached/"
    prefix = f"reached-{referral.pk}"
    page = client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert f"{prefix}-confirm_change" not in page
    client.post(url, {f"{prefix}-reached": "yes"})
    page = client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert f"{prefix}-confirm_change" in page
    response = client.post(url, {f"{prefix}-reached": "no"}, follow=True)
    assert "tick the confirmation" in response.content.decode()
    referral.refresh_from_db()
    assert referral.reached is True
    client.post(url, {f"{prefix}-reached": "no", f"{prefix}-confirm_change": "on"})
    referral.refresh_from_db()
    assert referral.reached is False


def test_consent_given_by_phone_shows_on_the_case(client, advisor_user):
    case = case_in("in_progress", advisor=advisor_user)
    client.force_login(advisor_user)
    page = client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert "No consent on record" in page
    services.referral_create(
        case=case,
        actor=advisor_user,
        partners=[PartnerFactory(name="Un pass dans l'impasse")],
        mode=ReferralMode.WARM_HANDOFF,
        oral_consent=True,
    )
    page = client.get(f"/en/listening-cell/cases/{case.pk}/").content.decode()
    assert "No consent on record" not in page
    assert "Consent given orally on" in page and advisor_user.display_name in page
