"""The guest callback form: six things to fill in, no account."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from common.belgium import Language

from .choices import CALL_TODAY, CALL_TODAY_LABEL, TimeSlot
from .forms import PhoneField, require_a_way_to_reach, urgency_field
from .guest import EMAIL_MAX, NAME_MAX, NEED_A_WAY, NOTE_MAX

# The honeypot's name: a field people never see (hidden by CSS) and bots fill in.
HONEYPOT = "website"


class TokenField(forms.UUIDField):
    """The form's own id, sent back with it so a second send finds the first case. A
    missing or tampered one is no error: the send gets a fresh id."""

    widget = forms.HiddenInput

    def clean(self, value):
        try:
            return super().clean(value) or uuid.uuid4()
        except forms.ValidationError:
            return uuid.uuid4()


class GuestCallbackForm(forms.Form):
    name = forms.CharField(
        label=_("Your first name or a pseudonym"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Give a first name or a pseudonym, so the cell knows whom to ask.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    when = forms.ChoiceField(
        label=_("When may we call you?"),
        choices=[(CALL_TODAY, CALL_TODAY_LABEL), *TimeSlot.choices],
        initial=CALL_TODAY,
        help_text=_("On working days."),
    )
    language = forms.ChoiceField(label=_("Language for the conversation"), choices=Language.choices)
    urgency = urgency_field()
    note = forms.CharField(
        label=_("A short note for whoever calls you (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        help_text=_("For example: “after 6 pm”, or “do not leave a message”."),
    )
    token = TokenField(required=False)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        data = super().clean()
        require_a_way_to_reach(self, data, NEED_A_WAY)
        return data
