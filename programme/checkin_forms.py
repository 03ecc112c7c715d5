"""The check-in page's two forms: the name search (GET) and one tap on a row (POST)."""

from django import forms
from django.utils.translation import gettext_lazy as _

# A name is at most 150 + 150 characters; a longer query cannot match.
CHECKIN_QUERY_MAX = 100


class CheckinSearchForm(forms.Form):
    q = forms.CharField(label=_("Search a name"), required=False, max_length=CHECKIN_QUERY_MAX)

    def query(self) -> str:
        """The search, cut and tidied; a bad one searches nothing rather than failing."""
        raw = self.data.get("q", "") if self.is_bound else ""
        return " ".join(str(raw).split())[:CHECKIN_QUERY_MAX]


class CheckinMarkForm(forms.Form):
    enrolment = forms.IntegerField(min_value=1)
    present = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
    # The search the row was found with, kept across the tap so the list stays as it was.
    q = forms.CharField(required=False, max_length=CHECKIN_QUERY_MAX)
