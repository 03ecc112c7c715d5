import io

import pytest

from demo import accounts
from demo import referrals as demo_referrals
from referrals.models import Case, CaseEvent, Partner, Referral

pytestmark = pytest.mark.django_db


def test_demo_seed_is_realistic_and_idempotent():
    accounts.seed_accounts()
    demo_referrals.seed(io.StringIO())
    counts = (
        Partner.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        Referral.objects.count(),
    )
    demo_referrals.seed(io.StringIO())
    assert (
        Partner.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        Referral.objects.count(),
    ) == counts
    names = set(Partner.objects.values_list("name", flat=True))
    for expected in (
        "Centre de Prévention du Suicide",
        "Zelfmoordlijn 1813",
        "Télé-Accueil 107",
        "Tele-Onthaal 106",
        "Un pass dans l'impasse",
        "Evoluno",
        "Amarok e-Santé",
    ):
        assert expected in names
    assert Partner.objects.filter(is_crisis_line=True).count() == 4
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == {"new", "in_progress", "oriented", "closed"}
    assert any(case.is_overdue for case in Case.objects.all())
    # A visitor asked to be called back without an account.
    assert Case.objects.filter(source="guest", member=None).count() == 1
