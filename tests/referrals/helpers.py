"""Put a case in a given state with raw rows (the services are what the tests exercise)."""

from django.utils import timezone

from referrals.choices import CaseStatus, Outcome, ReferralMode
from referrals.models import Referral

from .factories import CaseFactory, PartnerFactory


def case_in(status: str, *, advisor, **fields):
    extra: dict = {}
    if status != CaseStatus.NEW:
        extra["assigned_to"] = advisor
    if status == CaseStatus.CLOSED:
        extra.update(outcome=Outcome.HANDLED, closed_at=timezone.now())
    case = CaseFactory(status=status, **extra, **fields)
    if status == CaseStatus.ORIENTED:
        Referral.objects.create(case=case, partner=PartnerFactory(), mode=ReferralMode.INFORMATION)
    return case
