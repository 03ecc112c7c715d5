"""Validation of what people type; the services decide what it means."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from members.consents import CONSENT_TEXTS, ConsentKind

from .choices import (
    AREA_CHOICES,
    OUTCOMES_FROM,
    SIGNAL_URGENCY_LABELS,
    CaseStatus,
    Channel,
    NeedCategory,
    Outcome,
    ReferralMode,
    Source,
    TimeSlot,
    Urgency,
)
from .models import MESSAGE_MAX, NOTE_MAX, SIGNAL_NOTE_MAX, Partner
from .phones import normalise_phone, normalise_service_phone

ANY = [("", _("Any"))]


class PhoneField(forms.CharField):
    """A phone number in any usual Belgian or international writing, kept in E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else ""


def _text_area(rows: int, maxlength: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": maxlength})


# --- Directory ---------------------------------------------------------------------------


class DirectoryFilterForm(forms.Form):
    need = forms.ChoiceField(label=_("Need"), choices=ANY + NeedCategory.choices, required=False)
    area = forms.ChoiceField(label=_("Region"), choices=ANY + AREA_CHOICES, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=ANY + Language.choices, required=False
    )


class PartnerForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("Needs served"), choices=NeedCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        label=_("Areas served"), choices=AREA_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "alternate_name",
            "kind",
            "is_crisis_line",
            "description_fr",
            "description_nl",
            "description_en",
            "phone",
            "email",
            "url",
            "opening_hours",
            "last_verified_on",
            "is_active",
        ]
        widgets = {
            "description_fr": _text_area(4, 1500),
            "description_nl": _text_area(4, 1500),
            "description_en": _text_area(4, 1500),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "last_verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["needs"].initial = [n.need for n in self.instance.needs.all()]
            self.fields["areas"].initial = [a.area for a in self.instance.areas.all()]
            self.fields["languages"].initial = [
                lang.language for lang in self.instance.languages.all()
            ]

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalise_service_phone(phone) if phone else ""


# --- Member request ---------------------------------------------------------------------


class ResultChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, result):
        taken = timezone.localtime(result.created_at)
        return _("%(instrument)s, taken on %(date)s") % {
            "instrument": result.instrument_name,
            "date": f"{taken:%d/%m/%Y}",
        }


class ContactRequestForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What would you like to talk about?"),
        choices=NeedCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent does it feel?"),
        choices=Urgency.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=Urgency.MEDIUM,
    )
    channel = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
    )
    time_slots = forms.MultipleChoiceField(
        label=_("When suits you? (working days)"),
        choices=TimeSlot.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Language for the conversation"), choices=Language.choices)
    message = forms.CharField(
        label=_("Anything you would like us to know (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=_text_area(5, MESSAGE_MAX),
    )
    result = ResultChoiceField(
        label=_("Attach one of your self-assessment results?"),
        queryset=None,
        required=False,
        empty_label=_("No, attach nothing"),
        widget=forms.RadioSelect,
        help_text=_("Only the result you choose is shared, with the listening cell alone."),
    )
    # The versioned consent text itself is the label: what the member ticks is what we record.
    share_with_partner = forms.BooleanField(
        label=CONSENT_TEXTS[ConsentKind.PARTNER_SHARING].text,
        required=False,
        help_text=_("Optional. Without it, the cell gives you the partners' details instead."),
    )

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        if results.exists():
            self.fields["result"].queryset = results
        else:
            del self.fields["result"]

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == Channel.PHONE and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number so the cell can call you."))
        return data


# --- Ambassador signal ---------------------------------------------------------------------


class SignalForm(forms.Form):
    WHO_MEMBER, WHO_OTHER = "member", "other"

    agreement_confirmed = forms.BooleanField(
        label=_("This person agreed that the listening cell contacts them."),
        error_messages={"required": _("Pass on a signal only for someone who agreed to it.")},
    )
    who = forms.ChoiceField(
        label=_("Who is it about?"),
        choices=[
            (WHO_MEMBER, _("A member with an account on the portal")),
            (WHO_OTHER, _("Someone without an account")),
        ],
        widget=forms.RadioSelect,
        initial=WHO_MEMBER,
    )
    member_email = forms.EmailField(
        label=_("The member's e-mail address on the portal"), required=False, max_length=254
    )
    name = forms.CharField(label=_("Their name"), required=False, max_length=150)
    phone = PhoneField(label=_("Their phone"), required=False)
    email = forms.EmailField(label=_("Their e-mail"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Language to speak with them"), choices=Language.choices)
    region = forms.ChoiceField(
        label=_("Their province (if you know it)"),
        choices=[("", _("I do not know"))] + Province.choices,
        required=False,
    )
    need = forms.ChoiceField(
        label=_("What did you notice?"), choices=[("", "—")] + NeedCategory.choices
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent does it seem?"),
        choices=list(SIGNAL_URGENCY_LABELS.items()),
        coerce=int,
        widget=forms.RadioSelect,
        initial=Urgency.MEDIUM,
    )
    note = forms.CharField(
        label=_("A short note for the listening cell"),
        max_length=SIGNAL_NOTE_MAX,
        required=False,
        widget=_text_area(3, SIGNAL_NOTE_MAX),
        help_text=_("Facts only, a few words. You will not see this note again."),
    )

    def __init__(self, *args, find_member, **kwargs):
        self.find_member = find_member
        super().__init__(*args, **kwargs)
        for name in ("name", "phone", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if data.get("who") == self.WHO_MEMBER:
            email = data.get("member_email")
            if not email:
                if "member_email" not in self.errors:
                    self.add_error("member_email", _("Give the member's e-mail address."))
            else:
                data["member"] = self.find_member(email)
                if data["member"] is None:
                    self.add_error(
                        "member_email",
                        _(
                            "No member account uses this address. Choose “Someone without an "
                            "account” and give their name and phone or e-mail."
                        ),
                    )
        elif data.get("who") == self.WHO_OTHER:
            data["member"] = None
            if not data.get("name") and "name" not in self.errors:
                self.add_error("name", _("Give the person's name."))
            if (
                not data.get("phone")
                and not data.get("email")
                and "phone" not in self.errors
                and "email" not in self.errors
            ):
                self.add_error("phone", _("Give a phone number or an e-mail address."))
        return data


# --- Advisor ---------------------------------------------------------------------------------


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
        label=_("Urgency"), choices=ANY + Urgency.choices, coerce=int, required=False
    )
    source = forms.ChoiceField(label=_("Source"), choices=ANY + Source.choices, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=ANY + Province.choices, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Give the case to"), queryset=None)

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
        widget=_text_area(2, NOTE_MAX),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"), max_length=NOTE_MAX, widget=_text_area(3, NOTE_MAX)
    )


class ReferralForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
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
        widget=_text_area(2, 1000),
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
        label=_("Note (optional)"), required=False, max_length=1000, widget=_text_area(2, 1000)
    )


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to remove the follow-up date."),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Closing note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=_text_area(2, NOTE_MAX),
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_FROM.get(status, ())
        self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] in allowed]


class AlertSettingsForm(forms.Form):
    staff_alerts = forms.BooleanField(
        label=_("Send me the listening cell's e-mails"),
        help_text=_(
            "An alert when a case you hold, or nobody holds yet, passes its first-contact "
            "deadline, and a digest of your open cases on working-day mornings."
        ),
        required=False,
    )
