"""What the programme holds about a member: their part of the data file, and erasure.

programme imports no other domain app, so members registers these (members.apps).
Erasure frees the member's seats through the enrolment service, so the waitlist moves
on, and keeps the programme's statistics without the person: the enrolments (status,
attendance) and the scores of survey answers stay, no longer linked to anyone; what the
member wrote in them goes.
"""

from django.db.models import Prefetch
from django.utils import timezone

from .models import (
    ACTIVE_STATUSES,
    CalendarFeed,
    CampaignAnswer,
    CampaignResponse,
    Enrolment,
    EnrolmentEvent,
    SavedModule,
    SessionFeedback,
)
from .services import EnrolmentRefused, enrolment_cancel


def _by(actor_id: int | None, user) -> str:
    """Who made a change, without naming the programme's staff (third parties)."""
    if actor_id is None:
        return "portal"
    return "you" if actor_id == user.pk else "programme team"


def _enrolments(user) -> list[dict]:
    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("session__module", "feedback")
        .prefetch_related(
            Prefetch("events", queryset=EnrolmentEvent.objects.order_by("created_at", "pk"))
        )
        .order_by("queued_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        session = enrolment.session
        feedback = getattr(enrolment, "feedback", None)
        rows.append(
            {
                "session": {
                    "id": session.pk,
                    "module": session.module.title,
                    "starts_at": session.starts_at,
                    "ends_at": session.ends_at,
                    "mode": session.get_mode_display(),
                    "venue": session.venue,
                    "cancelled_by_the_organiser_at": session.cancelled_at,
                },
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "joined_at": enrolment.queued_at,
                "confirmed_at": enrolment.confirmed_at,
                "cancelled_at": enrolment.cancelled_at,
                "attendance": enrolment.get_attendance_display() or None,
                "history": [
                    {
                        "at": event.created_at,
                        "what": event.action,
                        "by": _by(event.actor_id, user),
                        "details": event.data,
                    }
                    for event in enrolment.events.all()
                ],
                "satisfaction_survey": None
                if feedback is None
                else {
                    "answered_at": feedback.created_at,
                    "usefulness": feedback.usefulness,
                    "quality": feedback.quality,
                    "would_recommend": feedback.recommend,
                    "comment": feedback.comment,
                },
            }
        )
    return rows


def _survey_answers(user) -> list[dict]:
    responses = (
        CampaignResponse.objects.filter(user=user)
        .select_related("campaign")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=CampaignAnswer.objects.select_related("question").order_by(
                    "question__position", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "survey": response.campaign.title,
            "answered_at": response.created_at,
            "answers": [
                {
                    "question": answer.question.text,
                    "answer": answer.scale_value
                    if answer.scale_value is not None
                    else answer.text_value,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


def export_member(user) -> dict:
    """Six queries whatever the member's history."""
    feed = CalendarFeed.objects.filter(user=user).only("created_at").first()
    return {
        "enrolments_and_waitlist_places": _enrolments(user),
        "saved_modules": [
            {"module": saved.module.title, "saved_at": saved.created_at}
            for saved in SavedModule.objects.filter(user=user).select_related("module")
        ],
        # The feed's address is a secret that opens the calendar: its existence only.
        "private_calendar_feed": {
            "exists": feed is not None,
            "created_at": feed and feed.created_at,
        },
        "survey_answers": _survey_answers(user),
    }


def erase_member(user) -> None:
    """Give up the seats and waitlist places still to come (the waitlist moves on), then
    unlink what stays as anonymous statistics and delete the rest."""
    upcoming = Enrolment.objects.filter(
        user=user, status__in=ACTIVE_STATUSES, session__starts_at__gt=timezone.now()
    ).values_list("pk", flat=True)
    for enrolment_id in list(upcoming):
        try:
            enrolment_cancel(enrolment_id=enrolment_id, user=user)
        except EnrolmentRefused as refused:
            if refused.code != "started":  # it started meanwhile: the seat is kept
                raise
    # The scores stay as statistics; free text may say who wrote it, so it goes.
    SessionFeedback.objects.filter(enrolment__user=user).exclude(comment="").update(comment="")
    CampaignAnswer.objects.filter(response__user=user).exclude(text_value="").update(text_value="")
    Enrolment.objects.filter(user=user).update(user=None)
    EnrolmentEvent.objects.filter(actor=user).update(actor=None)
    CampaignResponse.objects.filter(user=user).update(user=None)
    SavedModule.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
