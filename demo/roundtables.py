"""A past round table of the demo programme, through the surveys app's services: two
messages left by members, the round table that weighed them, and its two decisions, one
done and published on "you said, we did" in French, Dutch and English, the other still
to do. Safe to run again: the messages are found by their text, the round table by its
title, its decisions by their text."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from members.models import User
from surveys.feedback_services import feedback_submit
from surveys.models import Decision, DecisionStatus, FeedbackItem, RoundTable
from surveys.roundtable_services import change_update, decision_save, round_table_save

TITLE = "Table ronde des indépendants — Namur"
SUMMARY = (
    "Onze indépendants et trois partenaires ont parlé de ce qui rend le programme difficile "
    "à suivre. Les webinars en journée tombent pendant les heures de travail. Plusieurs "
    "demandent aussi un atelier concret sur la trésorerie quand les clients paient en retard."
)
# (kind, language, text): anonymous, as most messages are, so nobody is e-mailed.
IDEAS = [
    (
        "suggestion",
        "nl",
        "Meer webinars 's avonds, na de werkuren: overdag sta ik in de winkel.",
    ),
    (
        "need",
        "fr",
        "Un atelier sur la trésorerie quand les clients paient en retard, en soirée si possible.",
    ),
]
EVENING = "Programmer une partie des webinars en soirée, à 19 h 30."
CASH = "Préparer un atelier pratique sur la trésorerie et les retards de paiement."
EVENING_TEXTS = {
    "public_text_fr": (
        "Tu nous as dit que les webinars en journée tombent pendant ton travail. Une partie "
        "des webinars a maintenant lieu le soir, à 19 h 30. Choisis celui qui te convient "
        "dans le catalogue."
    ),
    "public_text_nl": (
        "Je liet ons weten dat webinars overdag samenvallen met je werk. Een deel van de "
        "webinars vindt nu 's avonds plaats, om 19.30 uur. Kies in de catalogus wat bij je "
        "past."
    ),
    "public_text_en": (
        "You told us that daytime webinars clash with your work. Some webinars now take "
        "place in the evening, at 7.30 pm. Pick the one that suits you in the catalogue."
    ),
}


def _idea(kind: str, language: str, text: str) -> FeedbackItem:
    existing = FeedbackItem.objects.filter(text=text).first()
    if existing is not None:
        return existing
    return feedback_submit(kind=kind, text=text, language=language, page_path="/fr/")


def _decision(round_table: RoundTable, text: str, item: FeedbackItem, actor) -> Decision:
    existing = Decision.objects.filter(round_table=round_table, text=text).first()
    if existing is not None:
        return existing
    return decision_save(
        round_table_id=round_table.pk,
        decision_id=None,
        actor=actor,
        text=text,
        feedback_item_ids=[item.pk],
        campaign_id=None,
    )


@transaction.atomic
def seed(stdout) -> None:
    manager = User.objects.filter(email="gestionnaire@demo.example").first()
    evening_idea, cash_idea = (_idea(*idea) for idea in IDEAS)
    held_on = timezone.localdate() - timedelta(days=75)
    round_table = RoundTable.objects.filter(title=TITLE).first() or round_table_save(
        round_table_id=None,
        actor=manager,
        title=TITLE,
        held_on=held_on,
        session_id=None,
        member_count=11,
        partner_count=3,
        summary=SUMMARY,
    )
    evening = _decision(round_table, EVENING, evening_idea, manager)
    _decision(round_table, CASH, cash_idea, manager)
    if not evening.is_published:
        change_update(
            decision_id=evening.pk,
            actor=manager,
            status=DecisionStatus.DONE,
            done_on=round_table.held_on + timedelta(days=30),
            publish=True,
            **EVENING_TEXTS,
        )
    stdout.write(
        f"Round tables: {RoundTable.objects.count()}, "
        f"{Decision.objects.filter(published_at__isnull=False).count()} change(s) published."
    )
