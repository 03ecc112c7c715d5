"""The listening cell's part of a member's data file, erasure, and retention limits
(registered in apps.py).

What the data file leaves out, and why (GDPR Art. 15(4): the right of access must not
adversely affect the rights and freedoms of others): the advisors' private notes and
every text an advisor wrote on the timeline (contact attempts, referrals, closing), the
names of the advisors (the access log says when each read was and why, not who) and of
the ambassador who passed on a signal, and an ambassador's note. Those are other people's
words and identities, written for the cell's work. The file keeps every fact about the
member: what they asked, how to reach them, each step of the timeline (what happened,
when, the status and outcome), the partners suggested, and when the cell read the case.
A member who wants more asks the fund's data protection officer, who reviews the notes
by hand.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q

from .choices import AccessSubject, AnonymisedBecause, EventKind, Source
from .models import Case, CaseAccess, CaseEvent, Referral
from .services.erasure import cases_anonymise, cases_close_member_gone


def _step(event: CaseEvent) -> dict:
    data = event.data or {}
    step = {"at": event.created_at, "what": event.get_kind_display()}
    if event.from_status and event.to_status:
        step["status"] = f"{event.get_from_status_display()} → {event.get_to_status_display()}"
    if event.kind == EventKind.CONTACT_ATTEMPT:
        step["channel"] = data.get("channel")
        step["reached"] = data.get("reached")
    elif event.kind in (
        EventKind.REFERRED,
        EventKind.PARTNER_REACHED,
        EventKind.SENT_TO_PARTNER,
        EventKind.PARTNER_ANSWERED,
        EventKind.MEMBER_ANSWERED,
    ):
        step["partner"] = data.get("partner_name")
        for key in ("reached", "helped", "answer", "reason"):
            if key in data:
                step[key] = data[key]
    elif event.kind == EventKind.CLOSED:
        step["outcome"] = data.get("outcome")
    return step


def export_member(user) -> list[dict]:
    """The member's requests and the signals about them: five queries whatever the number."""
    cases = (
        Case.objects.filter(member=user)
        .select_related("sharing_consent")
        .annotate(listings=Count("accesses", filter=Q(accesses__subject=AccessSubject.LISTED)))
        .prefetch_related(
            "needs",
            # Who read the case is left out like the advisors' names elsewhere: when and why.
            Prefetch(
                "accesses",
                queryset=CaseAccess.objects.exclude(subject=AccessSubject.LISTED).order_by(
                    "accessed_at", "pk"
                ),
                to_attr="reads",
            ),
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("partner").order_by("created_at", "pk"),
            ),
            Prefetch(
                "events",
                # Private notes are the advisors' working notes (see the module's docstring).
                queryset=CaseEvent.objects.exclude(kind=EventKind.NOTE).order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for case in cases:
        own_words = case.source in (Source.REQUEST, Source.GUEST)
        rows.append(
            {
                "reference": case.reference,
                "source": case.get_source_display(),
                "received_at": case.created_at,
                "status": case.get_status_display(),
                "outcome": case.get_outcome_display() or None,
                "topics": [need.get_need_display() for need in case.needs.all()],
                "how_urgent": case.urgency_label,
                # An ambassador's note, an advisor's notes on a case they opened: their
                # words about the member, not the member's.
                "message": case.message if own_words else None,
                "preferred_channel": case.get_preferred_channel_display() or None,
                "time_slots": case.time_slot_labels,
                "language": case.get_language_display(),
                "region": case.get_region_display() or None,
                "phone": case.contact_phone,
                "email": case.contact_email,
                "attached_self_assessment_result": case.assessment_result_id,
                "consent_to_share_with_a_partner": None
                if case.sharing_consent is None
                else {
                    "given_at": case.sharing_consent.given_at,
                    "withdrawn_at": case.sharing_consent.withdrawn_at,
                },
                "first_contact_at": case.first_contact_at,
                "closed_at": case.closed_at,
                "partners_suggested": [
                    {
                        "partner": referral.partner.name,
                        "how": referral.get_mode_display(),
                        "on": referral.created_at,
                        "reached": referral.reached,
                        # What the member said of it, and, for a referral sent to the
                        # partner with their consent, when and what the partner answered.
                        "helped": referral.member_helped,
                        "sent_to_partner_at": referral.sent_to_partner_at,
                        "partner_answer": referral.partner_answer,
                        "partner_answered_at": referral.partner_answered_at,
                    }
                    for referral in case.referrals.all()
                ],
                "timeline": [_step(event) for event in case.events.all()],
                "read_by_the_listening_cell": [
                    {
                        "at": read.accessed_at,
                        "what": read.get_subject_display(),
                        "why": read.get_purpose_display(),
                    }
                    for read in case.reads
                ],
                "times_listed_in_the_advisors_queue": case.listings,
            }
        )
    return rows


def erase_member(user) -> None:
    """Open cases close first (nobody can reach the person any more), then every case
    loses the person's details."""
    ids = list(Case.objects.filter(member=user).values_list("pk", flat=True))
    cases_close_member_gone(case_ids=ids)
    cases_anonymise(case_ids=ids, reason=AnonymisedBecause.ERASURE)


def anonymise_old_cases(*, now: datetime, limit: int) -> int:
    """Cases closed longer ago than the retention limit lose the person's details."""
    cutoff = now - timedelta(days=settings.RETENTION_CLOSED_CASE_DAYS)
    done = CaseEvent.objects.filter(kind=EventKind.ANONYMISED).values("case_id")
    ids = list(
        Case.objects.filter(closed_at__lt=cutoff)
        .exclude(pk__in=done)
        .order_by("closed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return cases_anonymise(case_ids=ids, reason=AnonymisedBecause.RETENTION)


def delete_old_access_log(*, now: datetime, limit: int) -> int:
    """Reads of cases older than the retention limit leave the access log."""
    cutoff = now - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS)
    # The log's own manager refuses deletion: only the retention limit removes rows.
    log = CaseAccess._base_manager
    ids = list(
        log.filter(accessed_at__lt=cutoff).order_by("accessed_at", "pk").values_list("pk")[:limit]
    )
    if not ids:
        return 0
    deleted, _by_model = log.filter(pk__in=[pk for (pk,) in ids]).delete()
    return deleted
