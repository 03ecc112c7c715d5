"""The surveys' e-mails: the invitation to the satisfaction survey after a session, and
a campaign's invitation. Planners (planners.py) record them; each belongs to a category
the member controls.

The kinds keep the codes they had when the surveys were part of programme: the delivery
log's rows, intents and List-Id headers of messages already sent carry them.

Every builder loads fresh data at send time and returns Skip when the message lost its
point (the enrolment was cancelled, the survey was answered, the campaign withdrawn).
This module imports neither the planners nor the services: they import it.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.helplines import HELP_LINES
from notifications.email import PortalEmail
from notifications.links import absolute_url, reverse_absolute
from notifications.registry import Skip, register_kind
from notifications.rendering import render_plain
from programme.emails import delivery_enrolment, session_context
from programme.models import Attendance, Enrolment, EnrolmentStatus

from .links import campaign_token, feedback_token
from .models import (
    CampaignResponse,
    CampaignStatus,
    Decision,
    DecisionStatus,
    FeedbackItem,
    SessionFeedback,
    SurveyCampaign,
)

SURVEY_INVITATION = "programme.survey_invitation"
CAMPAIGN_INVITATION = "programme.campaign_invitation"
CHANGE_DONE = "surveys.change_done"
# New with the surveys app: its own code, in the invitation's category.
CAMPAIGN_REMINDER = "surveys.campaign_reminder"


def campaign_prefix(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


def feedback_refusal(enrolment: Enrolment | None) -> str | None:
    """Why this enrolment cannot answer the satisfaction survey, or None."""
    if enrolment is None:
        return "the enrolment no longer exists"
    if enrolment.user_id is None:
        return "the member erased their account"
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        return "the enrolment is not confirmed"
    if enrolment.attendance == Attendance.NO_SHOW:
        return "the member did not attend"
    if enrolment.session.is_cancelled:
        return "the session was cancelled"
    if enrolment.session.ends_at > timezone.now():
        return "the session has not ended yet"
    return None


def build_survey_invitation(delivery) -> dict | Skip:
    enrolment = delivery_enrolment(delivery)
    if reason := feedback_refusal(enrolment):
        return Skip(reason)
    assert enrolment is not None  # feedback_refusal gave a reason otherwise
    if SessionFeedback.objects.filter(enrolment=enrolment).exists():
        return Skip("the survey was already answered")
    survey_url = reverse_absolute("surveys:feedback", feedback_token(enrolment_id=enrolment.pk))
    return {
        **session_context(enrolment.session),
        "survey_url": survey_url,
        "action_url": survey_url,
        "action_label": _("Give my opinion (2 minutes)"),
    }


def build_campaign_invitation(delivery) -> dict | Skip:
    """Built in the recipient's language (the machinery activates it): the campaign's
    version in that language, or its base one."""
    campaign = (
        SurveyCampaign.objects.filter(pk=delivery.context.get("campaign_id"))
        .prefetch_related("questions")
        .first()
    )
    if campaign is None or campaign.status != CampaignStatus.SENT:
        return Skip("the campaign was withdrawn")
    if CampaignResponse.objects.filter(campaign=campaign, user_id=delivery.recipient_id).exists():
        return Skip("the member already answered")
    token = campaign_token(campaign_id=campaign.pk, user_id=delivery.recipient_id)
    survey_url = reverse_absolute("surveys:campaign-respond", token)
    language = translation.get_language()
    return {
        "campaign": campaign,
        "title": campaign.title_in(language),
        "intro": campaign.intro_in(language),
        "question_count": len(campaign.questions.all()),
        "survey_url": survey_url,
        "action_url": survey_url,
        "action_label": _("Answer the survey"),
    }


def build_change_done(delivery) -> dict | Skip:
    """A member who signed a message linked to a change is told it was done, in their
    language, with the public text of the change and a link to the page listing them."""
    change = (
        Decision.objects.select_related("round_table")
        .filter(pk=delivery.context.get("change_id"))
        .first()
    )
    if change is None or change.status != DecisionStatus.DONE or not change.is_published:
        return Skip("the change is no longer published")
    text, text_language = change.public_text((get_language() or settings.LANGUAGE_CODE)[:2])
    changes_url = reverse_absolute("surveys:changes")
    return {
        "change": change,
        "change_text": text,
        "change_text_language": text_language,
        "changes_url": changes_url,
        "action_url": changes_url,
        "action_label": _("See what changed"),
    }


def build_campaign_reminder(delivery) -> dict | Skip:
    """The one reminder: skipped like the invitation once answered or withdrawn."""
    return build_campaign_invitation(delivery)


KINDS = (
    (
        SURVEY_INVITATION,
        _("Satisfaction survey after a session"),
        "surveys",
        build_survey_invitation,
    ),
    (CAMPAIGN_INVITATION, _("Programme survey"), "programme_news", build_campaign_invitation),
    (CHANGE_DONE, _("What changed after your message"), "changes_made", build_change_done),
    (
        CAMPAIGN_REMINDER,
        _("Reminder of a programme survey"),
        "programme_news",
        build_campaign_reminder,
    ),
)


def register_emails() -> None:
    for code, label, category, build in KINDS:
        name = code.split(".", 1)[1]
        register_kind(
            code,
            label=label,
            category=category,
            template=f"surveys/email/{name}",
            build_context=build,
        )


FEEDBACK_REPLY_TEMPLATE = "surveys/email/feedback_reply"


def feedback_reply_message(item: FeedbackItem) -> PortalEmail:
    """The team's reply to a feedback item, in the language it was written in.

    Not a Delivery: the delivery log holds messages to accounts, and most notes come from
    visitors or from members who stayed anonymous; the address they left is the only
    one to use. The templates and the message class are the machinery's own."""
    language = item.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "PORTAL_NAME": settings.PORTAL_NAME,
            "HELP_LINES": HELP_LINES,
            "LANGUAGE_CODE": language,
            "portal_url": absolute_url(f"/{language}/"),
            "recipient": None,
            "item": item,
        }
        subject = " ".join(render_plain(f"{FEEDBACK_REPLY_TEMPLATE}.subject.txt", context).split())
        context["subject"] = subject
        text = render_plain(f"{FEEDBACK_REPLY_TEMPLATE}.txt", context)
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        html = render_to_string(f"{FEEDBACK_REPLY_TEMPLATE}.html", context)
    message = PortalEmail(
        subject=subject[:255],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[item.reply_email],
        headers={
            "Auto-Submitted": "auto-replied",
            "Content-Language": language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message
