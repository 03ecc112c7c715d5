"""Forms for round tables, their decisions and the public changes (managers' pages), and
the public page's year filter."""

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programme.forms import DATE_INPUT, FIRST_YEAR, LAST_YEAR, within_programme_years
from programme.models import Session

from .models import (
    CHANGE_TEXT_MAX,
    DECISION_TEXT_MAX,
    PARTICIPANTS_MAX,
    ROUND_TABLE_SUMMARY_MAX,
    DecisionStatus,
    SurveyCampaign,
)
from .roundtable_selectors import campaign_choices, session_choices
from .roundtable_services import MAX_LINKED_ITEMS


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        day = date_format(timezone.localtime(obj.starts_at), "j M Y")
        return f"{day} — {obj.module.title}"


def _count_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=PARTICIPANTS_MAX,
        initial=0,
        help_text=_("A number only: the people are not named."),
    )


class RoundTableForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(
        label=_("Held on"), widget=DATE_INPUT, validators=[within_programme_years]
    )
    session = SessionChoiceField(
        label=_("Programme session (optional)"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("No session"),
    )
    member_count = _count_field(_("Members taking part"))
    partner_count = _count_field(_("Partners taking part"))
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=ROUND_TABLE_SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, current_session_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = session_choices(current_session_id)  # type: ignore[attr-defined]


ITEM_NUMBER = re.compile(r"#?(\d{1,10})")


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        max_length=DECISION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feedback_items = forms.CharField(
        label=_("Messages that led to it (numbers)"),
        required=False,
        max_length=2000,
        help_text=_(
            "The numbers of the messages in “Ideas and needs”, e.g. #12, #15. Leave empty if none."
        ),
    )
    campaign = forms.ModelChoiceField(
        label=_("Survey campaign that led to it (optional)"),
        queryset=SurveyCampaign.objects.none(),
        required=False,
        empty_label=_("No survey"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaign_choices()

    def clean_feedback_items(self) -> list[int]:
        raw = self.cleaned_data["feedback_items"]
        pieces = [piece for piece in re.split(r"[\s,;]+", raw) if piece]
        numbers = []
        for piece in pieces:
            match = ITEM_NUMBER.fullmatch(piece)
            if match is None:
                raise forms.ValidationError(
                    _("Write the numbers of the messages, e.g. #12, #15 (not “%(piece)s”).")
                    % {"piece": piece[:30]}
                )
            numbers.append(int(match.group(1)))
        if len(set(numbers)) > MAX_LINKED_ITEMS:
            raise forms.ValidationError(
                _("Link at most %(max)s messages.") % {"max": MAX_LINKED_ITEMS}
            )
        return sorted(set(numbers))


def _public_text(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=CHANGE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": CHANGE_TEXT_MAX}),
    )


class ChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DATE_INPUT,
        validators=[within_programme_years],
        help_text=_("Shown on the public page; today if left empty."),
    )
    public_text_fr = _public_text(_("Public text in French"))
    public_text_nl = _public_text(_("Public text in Dutch"))
    public_text_en = _public_text(_("Public text in English (optional: French otherwise)"))
    publish = forms.BooleanField(label=_("Publish on the “you said, we did” page"), required=False)


class ChangesFilterForm(forms.Form):
    """The public page's year; a year with nothing published shows a clear message."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All years"))] + [(year, str(year)) for year in years]
        asked = self.data.get("year", "")
        # A year typed in the address that has no change is shown as such, not refused.
        if asked.isdigit() and FIRST_YEAR <= int(asked) <= LAST_YEAR and int(asked) not in years:
            choices.append((int(asked), asked))
        self.fields["year"].choices = choices  # type: ignore[attr-defined]
