"""The advisors' forms on a case and on the queue (case_views); the services decide what
they mean."""

from datetime import datetime
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from common.belgium import BRUSSELS, Language, Province

from .choices import (
    OUTCOMES_FROM,
    CaseStatus,
    Channel,
    IntakeChannel,
    NeedCategory,
    Outcome,
    ReferralMode,
    Source,
    Urgency,
)
from .forms import (
    ANY,
    PhoneField,
    details_of_someone_else,
    require_a_way_to_reach,
    text_area,
    urgency_field,
)
from .guest_forms import TokenField
from .models import CALLBACK_NOTE_MAX, MESSAGE_MAX, NOTE_MAX, Partner
from .services.caller import EMAIL_MAX, NAME_MAX

if TYPE_CHECKING:
    from members.models import User


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Open")), *CaseStatus.choices, ("all", _("All"))],
        required=False,
    )
    assignment = forms.ChoiceField(
        label=_("Advisor"),
        choices=[("", _("Anyone")), ("mine", _("Mine")), ("unassigned", _("Unassigned"))],
        required=False,
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=[*ANY, *Urgency.choices], coerce=int, required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=ANY + Source.choices, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=ANY + Province.choices, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    awaiting_partner = forms.BooleanField(label=_("Waiting for a partner"), required=False)


class AssignForm(forms.Form):
    assignee: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Give the case to"), queryset=None
    )
    note = forms.CharField(
        label=_("Hand-over note (optional)"),
        help_text=_("What your colleague needs to know: where things stand, what was agreed."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, advisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = advisors
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class ContactAttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    reached = forms.TypedChoiceField(
        label=_("Did you reach the person?"),
        choices=[("yes", _("Yes, we talked")), ("no", _("No answer"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=text_area(2, NOTE_MAX),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"), max_length=NOTE_MAX, widget=text_area(3, NOTE_MAX)
    )


class ReferralForm(forms.Form):
    partners: "forms.ModelMultipleChoiceField[Partner]" = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one partner.")},
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=ReferralMode.choices,
        widget=forms.RadioSelect,
        initial=ReferralMode.INFORMATION,
    )
    oral_consent = forms.BooleanField(
        label=_("The person agreed, during our conversation, that we share their details."),
        required=False,
    )
    note = forms.CharField(
        label=_("What was given or shared (optional)"),
        required=False,
        max_length=1000,
        widget=text_area(2, 1000),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners
        self.fields["partners"].label_from_instance = lambda partner: partner.name


class ReachedForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Did the person reach the partner?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=1000, widget=text_area(2, 1000)
    )
    # Shown once an answer is recorded: changing it takes a second, deliberate tick.
    confirm_change = forms.BooleanField(
        label=_("Yes, replace the answer already recorded"), required=False
    )


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to remove the follow-up date."),
    )


class CallBackForm(forms.Form):
    """A date and a time as the person and the advisor agreed them, in Brussels time;
    the service says whether it is still ahead."""

    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time (Belgian time)"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
    )
    note = forms.CharField(
        label=_("Short note (optional)"),
        help_text=_("For you and your colleagues, e.g. which number to call."),
        required=False,
        max_length=CALLBACK_NOTE_MAX,
        widget=forms.TextInput(attrs={"maxlength": CALLBACK_NOTE_MAX}),
    )

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            data["at"] = datetime.combine(data["day"], data["time"], tzinfo=BRUSSELS)
        return data

    @classmethod
    def initial_for(cls, at: datetime) -> dict:
        local = at.astimezone(BRUSSELS)
        return {"day": local.date(), "time": local.time().replace(second=0, microsecond=0)}


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Closing note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=text_area(2, NOTE_MAX),
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_FROM.get(status, ())
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [c for c in Outcome.choices if c[0] in allowed]


class AlertSettingsForm(forms.Form):
    staff_alerts = forms.BooleanField(
        label=_("Send me the listening cell's e-mails"),
        help_text=_(
            "An alert when a case you hold, or nobody holds yet, passes its first-contact "
            "deadline, and a digest of your open cases on working-day mornings."
        ),
        required=False,
    )


class CallerCaseForm(forms.Form):
    """A case an advisor opens for someone on the phone or at the desk: what the person
    says, in the order a conversation gives it. The service checks it all again."""

    agreement_confirmed = forms.BooleanField(
        label=_(
            "The person agreed, during our conversation, that the listening cell opens a "
            "case and contacts them."
        ),
        error_messages={
            "required": _("Open a case only for someone who agreed to it during your conversation.")
        },
    )
    intake_channel = forms.ChoiceField(
        label=_("How did the person come in?"),
        choices=IntakeChannel.choices,
        widget=forms.RadioSelect,
        initial=IntakeChannel.PHONE,
        error_messages={"required": _("Choose how the person came in.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("What is it about?"),
        choices=NeedCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    urgency = urgency_field()
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        error_messages={"required": _("Give the person's name.")},
        help_text=_("As the person gave it: a first name is enough."),
    )
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False, max_length=EMAIL_MAX)
    link_account = forms.BooleanField(
        label=_("Link the case to the member account that uses this e-mail address"),
        help_text=_("The member then sees the case among their requests."),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language for the conversation"), choices=Language.choices)
    region = forms.ChoiceField(
        label=_("Province"),
        choices=[("", _("Not known"))] + Province.choices,
        required=False,
        help_text=_("For a linked account, left empty: the province of the member's profile."),
    )
    channel = forms.ChoiceField(
        label=_("How to contact the person next"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
    )
    message = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=text_area(4, MESSAGE_MAX),
        help_text=_("What the person said and what was agreed; the member does not see it."),
    )
    token = TokenField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        details_of_someone_else(self)

    def clean(self):
        data = super().clean()
        require_a_way_to_reach(self, data, _("Give a phone number or an e-mail address."))
        return data
