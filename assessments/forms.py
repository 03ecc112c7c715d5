"""The one-page questionnaire, the keep-or-see-once choice and the re-assessment opt-in."""

import secrets

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from members.consents import CONSENT_TEXTS, ConsentKind

from .instruments import Instrument
from .models import ReassessmentInterval

TOKEN_SALT = "assessments.form"
# Long enough for someone who pauses halfway; a stale form keeps its answers.
TOKEN_MAX_AGE = 60 * 60 * 12


class Keep:
    ONCE = "once"
    KEEP = "keep"


def form_token(instrument: Instrument) -> str:
    """A signed ticket naming the instrument version shown and a fresh submission key."""
    return signing.dumps(
        {"i": instrument.code, "v": instrument.version, "k": secrets.token_urlsafe(16)},
        salt=TOKEN_SALT,
    )


class AssessmentForm(forms.Form):
    """One required radio group per item, built from the instrument's data."""

    version = forms.CharField(widget=forms.HiddenInput)
    token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _(
                "We could not read this form. Please check your answers and send them again."
            )
        },
    )

    def __init__(self, *args, instrument: Instrument, can_keep: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.can_keep = can_keep
        self.fields["version"].initial = instrument.version
        for item in instrument.items:
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.text,  # type: ignore[arg-type]  # a Text gives the active language when shown, as a lazy string
                choices=[(str(option.value), option.label) for option in item.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Please choose an answer to this question."),
                    "invalid_choice": _("Please choose one of the answers offered."),
                },
            )
        if can_keep:
            self.fields["keep"] = forms.ChoiceField(
                label=_("What happens to this result?"),
                choices=[
                    (Keep.ONCE, _("Show it to me once, keep nothing")),
                    (Keep.KEEP, _("Keep it in my history")),
                ],
                initial=Keep.ONCE,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose whether to keep this result.")},
            )

    @property
    def consent_text(self):
        return CONSENT_TEXTS[ConsentKind.HEALTH_DATA].text

    @property
    def consent_version(self) -> str:
        return CONSENT_TEXTS[ConsentKind.HEALTH_DATA].version

    def item_fields(self):
        """(item, bound field) pairs in the instrument's order, for the template."""
        return [(item, self[item.code]) for item in self.instrument.items]

    def clean_token(self) -> dict:
        try:
            ticket = signing.loads(
                self.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                _(
                    "This form was opened a long time ago. Please check your answers and send them again."
                ),
                code="expired",
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("We could not read this form. Please check your answers and send them again."),
                code="tampered",
            ) from error
        if not isinstance(ticket, dict) or ticket.get("i") != self.instrument.code:
            raise forms.ValidationError(
                _("We could not read this form. Please check your answers and send them again."),
                code="tampered",
            )
        return ticket

    @property
    def is_stale(self) -> bool:
        """The form was made for another version of the instrument than today's."""
        return self.data.get("version") not in (None, self.instrument.version)

    def answers(self) -> dict[str, int]:
        return {item.code: self.cleaned_data[item.code] for item in self.instrument.items}

    @property
    def wants_keep(self) -> bool:
        return self.can_keep and self.cleaned_data.get("keep") == Keep.KEEP

    @property
    def submission_key(self) -> str:
        return self.cleaned_data["token"]["k"]

    def clean(self):
        cleaned = super().clean()
        ticket = cleaned.get("token")
        if isinstance(ticket, dict) and ticket.get("v") != cleaned.get("version"):
            self.add_error(
                "token",
                forms.ValidationError(
                    _(
                        "We could not read this form. "
                        "Please check your answers and send them again."
                    ),
                    code="tampered",
                ),
            )
        return cleaned


class ReassessmentForm(forms.Form):
    """Invitations to take an instrument again: an interval, or none."""

    OFF = "off"

    interval = forms.ChoiceField(
        label=_("Invite me to take it again"),
        choices=[(OFF, _("No invitations"))]
        + [(str(value), label) for value, label in ReassessmentInterval.choices],
        widget=forms.Select,
    )

    def interval_days(self) -> int | None:
        value = self.cleaned_data["interval"]
        return None if value == self.OFF else int(value)


class DeleteAllForm(forms.Form):
    withdraw_consent = forms.BooleanField(
        label=_("Also withdraw my consent to keep self-assessment results"),
        required=False,
    )
