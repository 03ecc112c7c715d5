"""The managers' form to repeat a session."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SeriesFrequency
from .services.series import MAX_OCCURRENCES, MIN_OCCURRENCES

DRAFT, LIKE_ORIGINAL = "draft", "like_original"

COUNT_ERROR = _("Enter a number of occurrences between 2 and 52.")


class SeriesForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Repeat"),
        choices=SeriesFrequency.choices,
        initial=SeriesFrequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    count = forms.IntegerField(
        label=_("Number of occurrences, this session included"),
        help_text=_("Between 2 and 52."),
        min_value=MIN_OCCURRENCES,
        max_value=MAX_OCCURRENCES,
        initial=4,
        # One message for every wrong value (0, 1, 500, "four"): it says what is expected.
        error_messages={
            "required": COUNT_ERROR,
            "invalid": COUNT_ERROR,
            "min_value": COUNT_ERROR,
            "max_value": COUNT_ERROR,
        },
    )
    status = forms.ChoiceField(
        label=_("The new sessions are"),
        choices=[
            (DRAFT, _("Drafts, to publish when they are ready")),
            (LIKE_ORIGINAL, _("Published or draft, like this session")),
        ],
        initial=DRAFT,
        widget=forms.RadioSelect,
    )
