"""Re-assessment invitations, handed to notifications.

An invitation names the instrument and the day the member last took it, and links to
the questionnaire and to the page where they change the interval or stop. It never
carries a score, a band or an answer: e-mail is a weaker channel than the portal, and
results are health data seen by the member alone. Its subject, which the message log
keeps and programme managers read, does not name the instrument either. The builder
reads fresh data at send time and skips an invitation that no longer fits.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.links import reverse_absolute
from notifications.registry import Skip, register_kind

from .preferences import REASSESSMENT
from .selectors import NO_LONGER_DUE, reassessment_invitation_facts

REASSESSMENT_INVITATION = "assessments.reassessment_invitation"
CATEGORY = REASSESSMENT


def invitation_intent(plan_id: int, due_on: date) -> str:
    """One invitation per plan and due date, whatever the number of sweeps."""
    return f"plan:{plan_id}:{due_on.isoformat()}"


def build_invitation(delivery) -> dict | Skip:
    facts = reassessment_invitation_facts(
        plan_id=delivery.context.get("plan_id"), user_id=delivery.recipient_id
    )
    if isinstance(facts, str):
        return Skip(facts)
    if facts.last_taken_at > delivery.created_at:
        # Taken again since it was planned: the plan already moved on from that result.
        return Skip(NO_LONGER_DUE)
    instrument, plan = facts.instrument, facts.plan
    # Called in the recipient's language: the instrument's own wording in that language.
    name = str(instrument.name)
    return {
        "instrument_name": name,
        "short_name": instrument.short_name,
        "minutes": instrument.minutes,
        "last_taken_on": timezone.localdate(facts.last_taken_at),
        "interval": plan.get_interval_days_display(),
        "take_url": reverse_absolute("assessments:take", instrument.code),
        "plan_url": reverse_absolute("assessments:history") + f"#history-{instrument.code}",
        "action_url": reverse_absolute("assessments:take", instrument.code),
        "action_label": gettext("Take the %(name)s") % {"name": instrument.short_name},
    }


def register_emails() -> None:
    register_kind(
        REASSESSMENT_INVITATION,
        label=_("Invitation to take a self-assessment again"),
        category=CATEGORY,
        template="assessments/email/reassessment_invitation",
        build_context=build_invitation,
    )
