"""Demo data for the listening cell: a realistic partner directory and a few cases.

Crisis and listening lines carry their real public numbers (the same as the portal's
footer). Other organisations whose details we could not check carry example.org
addresses and no "last verified" date: they show the shape of the directory, not
contact details to use.

Safe to run again: partners are matched by slug, and cases are seeded only once. The
directory's texts are in demo/referrals_data.py.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.selectors import results_for_member
from members.models import User
from referrals import services
from referrals.choices import Outcome, ReferralMode, Urgency
from referrals.deadlines import first_contact_due
from referrals.guest import guest_callback_create
from referrals.models import Case, CaseEvent, Partner

from .referrals_data import PARTNERS, VERIFIED


def seed_partners() -> None:
    for item in PARTNERS:
        fields: dict[str, Any] = {
            "name": item.name,
            "alternate_name": item.alternate_name,
            "kind": item.kind,
            "description_fr": item.description_fr,
            "description_nl": item.description_nl,
            "description_en": item.description_en,
            "phone": item.phone,
            "email": item.email,
            "url": item.url,
            "opening_hours": item.opening_hours,
            "is_crisis_line": item.is_crisis_line,
            "is_active": True,
            "last_verified_on": VERIFIED if item.verified else None,
        }
        relations = {"needs": item.needs, "areas": item.areas, "languages": item.languages}
        existing = Partner.objects.filter(slug=item.slug).first()
        if existing is None:
            services.partner_create(slug=item.slug, **relations, **fields)
        else:
            services.partner_update(partner=existing, **relations, **fields)


def _backdate(case: Case, days: int) -> Case:
    """Make a demo case look as if it came in some days ago (its events too)."""
    received = timezone.now() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        created_at=received, first_contact_due=first_contact_due(received, urgent=case.urgent)
    )
    # The timeline is append-only for the portal; the demo rewrites history on purpose.
    CaseEvent._base_manager.filter(case=case, kind="case.created").update(created_at=received)
    case.refresh_from_db()
    return case


@transaction.atomic
def seed_cases(stdout) -> None:
    sophie = User.objects.get(email="membre@demo.example")
    pieter = User.objects.get(email="lid@demo.example")
    karim = User.objects.get(email="ambassadeur@demo.example")
    anne = User.objects.get(email="conseillere@demo.example")
    if Case.objects.filter(member__in=[sophie, pieter]).exists() or (
        Case.objects.filter(raised_by=karim).exists()
    ):
        stdout.write("  Listening cell: demo cases already there")
        return
    partner = {p.slug: p for p in Partner.objects.all()}

    # Sophie: a request closed last month, the closed loop recorded.
    old = services.request_create(
        member=sophie,
        needs=["financial", "stress"],
        channel="phone",
        time_slots=["morning"],
        language="fr",
        urgency=Urgency.MEDIUM,
        message="Un client important ne paie plus et les cotisations arrivent.",
        phone="0470 12 34 56",
        share_with_partner=True,
    )
    _backdate(old, 30)
    services.case_claim(case_id=old.pk, advisor=anne)
    services.contact_attempt_record(case=old, actor=anne, channel="phone", reached=True)
    services.referral_create(
        case=old,
        actor=anne,
        partners=[partner["droit-passerelle"], partner["centre-entreprises-difficulte"]],
        mode=ReferralMode.WARM_HANDOFF,
        note="Demande de report de cotisations transmise avec l'accord de Sophie.",
    )
    for referral in old.referrals.all():
        services.referral_record_reached(referral=referral, actor=anne, reached=True)
    services.case_close(case=old, actor=anne, outcome=Outcome.REFERRED_REACHED)

    # Sophie: a current request, being worked on, with her latest stress result attached.
    stress_result = results_for_member(sophie).filter(instrument="pss-10").first()
    current = services.request_create(
        member=sophie,
        needs=["sleep", "stress"],
        channel="video",
        time_slots=["lunch", "evening"],
        language="fr",
        urgency=Urgency.MEDIUM,
        message="Je dors mal depuis la rentrée, je voudrais en parler.",
        result=stress_result,
    )
    _backdate(current, 1)
    services.case_claim(case_id=current.pk, advisor=anne)
    services.note_add(case=current, actor=anne, body="Proposer Evoluno et l'atelier sommeil.")
    # Anne agreed with Sophie to call her back in a couple of hours (her "today" page).
    soon = timezone.now() + timedelta(hours=2)
    services.callback_book(
        case=current,
        actor=anne,
        at=soon.replace(minute=soon.minute - soon.minute % 15, second=0, microsecond=0),
        note="Plutôt sur son portable.",
    )

    # Pieter: a request nobody picked up yet, overdue.
    overdue = services.request_create(
        member=pieter,
        needs=["loneliness", "business"],
        channel="phone",
        time_slots=["afternoon"],
        language="nl",
        urgency=Urgency.HIGH,
        message="Sinds de sluiting van mijn zaak zie ik bijna niemand meer.",
        phone="0486 55 44 33",
    )
    _backdate(overdue, 6)

    # Karim's signals: one new, one oriented.
    services.signal_create(
        ambassador=karim,
        agreement_confirmed=True,
        name="Luc Martin",
        phone="0478 11 22 33",
        language="fr",
        region="BRU",
        need="business",
        urgency=Urgency.MEDIUM,
        note="Parle de déposer le bilan ; d'accord pour être appelé.",
    )
    oriented = services.signal_create(
        ambassador=karim,
        agreement_confirmed=True,
        name="Pieter",
        email=pieter.email,
        need="financial",
        urgency=Urgency.MEDIUM,
        note="Retards de paiement, semble épuisé.",
    )
    _backdate(oriented, 3)
    services.case_claim(case_id=oriented.pk, advisor=anne)
    services.contact_attempt_record(case=oriented, actor=anne, channel="phone", reached=True)
    services.referral_create(
        case=oriented, actor=anne, partners=[partner["dyzo"]], mode=ReferralMode.INFORMATION
    )
    services.follow_up_set(case=oriented, actor=anne, on=timezone.localdate() + timedelta(days=7))

    # A visitor without an account asked to be called back this morning.
    guest_callback_create(
        name="Alex",
        phone="0492 76 54 32",
        email="alex.guest@demo.example",
        when="today",
        language="fr",
        urgency=Urgency.HIGH,
        note="Plutôt après 18 h, pas de message sur le répondeur.",
        token=uuid.uuid4(),
    )
    stdout.write("  Listening cell: 6 demo cases")


def seed(stdout) -> None:
    seed_partners()
    seed_cases(stdout)
