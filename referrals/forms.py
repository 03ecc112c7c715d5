"""Validation of what people type (the advisors' forms are in case_forms, a guest's in
guest_forms); the services decide what it means."""

from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from members.consents import CONSENT_TEXTS, ConsentKind

from .choices import (
    AREA_CHOICES,
    SIGNAL_URGENCY_LABELS,
    Channel,
    NeedCategory,
    TimeSlot,
    Urgency,
)
from .models import MESSAGE_MAX, SIGNAL_NOTE_MAX, Partner
from .phones import normalise_phone, normalise_service_phone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ANY = [("", _("Any"))]
SOMEONE_ELSES_DETAILS = ("name", "phone", "email")


def details_of_someone_else(form: forms.Form) -> None:
    """An ambassador or an advisor types someone else's details: the browser must not
    offer their own."""
    for name in SOMEONE_ELSES_DETAILS:
        form.fields[name].widget.attrs["autocomplete"] = "off"


def require_a_way_to_reach(form: forms.Form, data: dict, message: "StrOrPromise") -> None:
    """A phone number or an e-mail address, unless one of them is already refused."""
    if not (data.get("phone") or data.get("email") or {"phone", "email"} & set(form.errors)):
        form.add_error("phone", message)


class PhoneField(forms.CharField):
    """A phone number in any usual Belgian or international writing, kept in E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else ""


def text_area(rows: int, maxlength: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": maxlength})


# --- Directory ---------------------------------------------------------------------------


class DirectoryFilterForm(forms.Form):
    need = forms.ChoiceField(label=_("Need"), choices=ANY + NeedCategory.choices, required=False)
    area = forms.ChoiceField(label=_("Region"), choices=ANY + AREA_CHOICES, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=ANY + Language.choices, required=False
    )


def urgency_field() -> forms.TypedChoiceField:
    """How urgent it feels, in the person's own words: the member's request and the
    guest's callback ask it the same way."""
    return forms.TypedChoiceField(
        label=_("How urgent does it feel?"),
        choices=Urgency.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=Urgency.MEDIUM,
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
            "description_fr": text_area(4, 1500),
            "description_nl": text_area(4, 1500),
            "description_en": text_area(4, 1500),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "last_verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        # "Crisis line" is also a kind of help: the flag says what it does instead.
        labels = {
            "is_crisis_line": _(
                "Answers people in crisis (listed first, suggested first when urgent)"
            )
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


def result_label(result) -> str:
    """A result as the member tells two apart: instrument, date and band."""
    taken = timezone.localtime(result.created_at)
    return _("%(instrument)s, taken on %(date)s: %(band)s") % {
        "instrument": result.instrument_name,
        "date": f"{taken:%d/%m/%Y}",
        "band": result.band_label,
    }


class ResultChoiceField(forms.ModelChoiceField):
    """Opt-in: "Don't attach a result" is the first choice and the default."""

    def label_from_instance(self, result):
        return result_label(result)


class ContactRequestForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What would you like to talk about?"),
        choices=NeedCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    urgency = urgency_field()
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
        widget=text_area(5, MESSAGE_MAX),
    )
    result = ResultChoiceField(
        label=_("Attach one of your self-assessment results?"),
        queryset=None,
        required=False,
        # blank=True: without it, Django drops the empty choice of a radio list.
        blank=True,
        empty_label=_("Don't attach a result"),
        widget=forms.RadioSelect,
        help_text=_(
            "Only the result you choose is shared, with the listening cell alone. You can "
            "detach it later while the request is open."
        ),
        error_messages={
            "invalid_choice": _("Choose one of your own results, or don't attach a result.")
        },
    )
    # The versioned consent text itself is the label: what the member ticks is what we record.
    share_with_partner = forms.BooleanField(
        label=CONSENT_TEXTS[ConsentKind.PARTNER_SHARING].text,
        required=False,
        help_text=_("Optional. Without it, the cell gives you the partners' details instead."),
    )

    # The fields shown first; the others sit under "Tell us more (optional)".
    ESSENTIAL = ("needs", "urgency", "channel", "phone")

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        if results.exists():
            self.fields["result"].queryset = results
            # Opt-in: "Don't attach a result" is chosen until the member picks one.
            self.fields["result"].initial = ""
        else:
            del self.fields["result"]

    @property
    def essential_fields(self):
        return [self[name] for name in self.ESSENTIAL]

    @property
    def optional_fields(self):
        return [field for field in self if field.name not in self.ESSENTIAL]

    @property
    def optional_errors(self) -> bool:
        """Open "Tell us more" when one of its fields needs a correction."""
        return any(field.errors for field in self.optional_fields)

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == Channel.PHONE and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number so the cell can call you."))
        return data


# --- Ambassador signal ---------------------------------------------------------------------


class SignalForm(forms.Form):
    """The same questions whoever the person is: the cell, not the ambassador, finds out
    whether the e-mail address belongs to a member account."""

    agreement_confirmed = forms.BooleanField(
        label=_("This person agreed that the listening cell contacts them."),
        error_messages={"required": _("Pass on a signal only for someone who agreed to it.")},
    )
    name = forms.CharField(
        label=_("Their name"),
        max_length=150,
        error_messages={"required": _("Give the person's name.")},
        help_text=_("As they told it to you: a first name is enough."),
    )
    phone = PhoneField(label=_("Their phone"), required=False)
    email = forms.EmailField(
        label=_("Their e-mail"),
        required=False,
        max_length=254,
        help_text=_("If they have an account on the portal, the address they use there."),
    )
    language = forms.ChoiceField(label=_("Language to speak with them"), choices=Language.choices)
    region = forms.ChoiceField(
        label=_("Their province (if you know it)"),
        choices=[("", _("I do not know"))] + Province.choices,
        required=False,
    )
    need = forms.ChoiceField(
        label=_("What did you notice?"), choices=[("", "—"), *NeedCategory.choices]
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
        widget=text_area(3, SIGNAL_NOTE_MAX),
        help_text=_("Facts only, a few words. You will not see this note again."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        details_of_someone_else(self)

    def clean(self):
        data = super().clean()
        require_a_way_to_reach(self, data, _("Give a phone number or an e-mail address."))
        return data
