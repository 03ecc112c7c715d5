"""The partner's side in the managers' statistics: referrals per kind of partner, the
share taken on, the median days to the partner's first contact, with the small-count
rule of the other listening-cell figures (counts "<5" or rounded to 5, rates to 5 %,
a median only from five contacts)."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import translation

from common.belgium import BRUSSELS
from common.periods import Period
from referrals.choices import HelpKind, MemberHelped, PartnerAnswer, ReferralMode
from referrals.models import Referral
from referrals.statistics import cell_statistics
from tests.factories import staff

from .factories import CaseFactory, PartnerFactory

pytestmark = pytest.mark.django_db

MARCH = Period(start=date(2026, 3, 1), end=date(2026, 4, 1))
SENT = datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def april(time_machine):
    time_machine.move_to(datetime(2026, 4, 15, 10, 0, tzinfo=BRUSSELS), tick=False)
    cache.clear()


def referral(partner, *, answer="", days_to_contact=None, reason="", **fields) -> Referral:
    contacted = SENT + timedelta(days=days_to_contact) if days_to_contact is not None else None
    return Referral.objects.create(
        case=CaseFactory(created_at=SENT),
        partner=partner,
        mode=ReferralMode.WARM_HANDOFF,
        consent_basis="online",
        created_at=SENT,
        sent_to_partner_at=SENT,
        partner_answer=answer,
        partner_reason=reason,
        partner_contacted_at=contacted,
        **fields,
    )


@pytest.fixture
def march():
    psy = PartnerFactory(kind=HelpKind.PSYCHOLOGICAL)
    legal = PartnerFactory(kind=HelpKind.LEGAL)
    for days in (1, 2, 2, 3, 5, 8, 9):
        referral(psy, answer=PartnerAnswer.TAKEN_ON, days_to_contact=days)
    for _ in range(3):
        referral(psy, answer=PartnerAnswer.NOT_TAKEN_ON, reason="no_capacity")
    for _ in range(2):
        referral(psy)  # no answer yet
    for _ in range(2):
        referral(
            legal,
            answer=PartnerAnswer.CONTACTED,
            days_to_contact=1,
            reached=True,
            member_answered_at=SENT,
            member_helped=MemberHelped.YES,
        )


@pytest.mark.usefixtures("march")
def test_referrals_per_kind_of_partner_rounded_and_suppressed():
    with translation.override("fr"):  # the French labels, whatever a test before left active
        cell = cell_statistics(MARCH)
    lines = {line.label: line for line in cell.partner_kinds}
    psy, legal = lines["Soutien psychologique"], lines["Aide juridique"]
    assert (str(psy.made), str(psy.sent), psy.taken_on_rate) == ("10", "10", 60)  # 7 of 12
    # Two referrals: a small count, and no rate that would give them away.
    assert (str(legal.made), legal.taken_on_rate) == ("<5", None)
    assert [line.label for line in cell.partner_kinds][0] == "Soutien psychologique"


@pytest.mark.usefixtures("march")
def test_share_taken_on_and_median_days_to_first_contact():
    cell = cell_statistics(MARCH)
    assert (str(cell.referrals["sent"]), str(cell.referrals["taken_on"])) == ("15", "5")
    assert str(cell.referrals["not_taken_on"]) == "<5"
    assert cell.taken_on_rate == 50  # 7 of 14, to the nearest 5 %
    # Contacts after 1, 1, 1, 2, 2, 3, 5, 8, 9 days: the median, to the half day.
    assert cell.median_days_to_contact == 2.0
    # Two members said whether it helped: too few for a rate.
    assert cell.helped_rate is None


def test_a_median_needs_five_contacts():
    psy = PartnerFactory()
    for days in (1, 2, 3, 4):
        referral(psy, answer=PartnerAnswer.TAKEN_ON, days_to_contact=days)
    assert cell_statistics(MARCH).median_days_to_contact is None
    cache.clear()
    referral(psy, answer=PartnerAnswer.CONTACTED, days_to_contact=0.2)
    assert cell_statistics(MARCH).median_days_to_contact == 2.0


@pytest.mark.usefixtures("march")
def test_the_statistics_page_and_its_export(client):
    from members.roles import Role

    client.force_login(staff(Role.PROGRAMME_MANAGER))
    query = "start=2026-03&end=2026-03"
    page = client.get(f"/fr/dashboard/manager/statistics/?{query}").content.decode()
    assert 'id="cell-partners"' in page and "Soutien psychologique" in page
    response = client.get(f"/fr/dashboard/manager/statistics/?{query}&export=cell-partners")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1:] == [
        ["Soutien psychologique", "10", "10", "60"],
        ["Aide juridique", "<5", "<5", ""],
    ]
