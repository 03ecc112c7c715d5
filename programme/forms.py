"""Forms: the catalogue's filters (GET) and the managers' editing forms."""

from datetime import timedelta

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province

from .models import (
    SESSION_FORMATS,
    Attendance,
    Module,
    ModuleFormat,
    Session,
    SessionMode,
    Theme,
)
from .selectors import CatalogueFilters
from .services import SESSION_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

# Years a programme date can fall in. Dates near the ends of Python's range (an edited
# link with year 9999, a typo with year 1) overflow when a day is added or the time is
# converted to UTC for the database; such dates are refused as input instead.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def within_programme_years(value) -> None:
    """Validator for date and datetime fields."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the URL so that a search can be shared.

    Unknown values (an outdated link, a hand-edited URL) are dropped and listed in
    `ignored`, so the page still answers and says what it left out.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    format = forms.MultipleChoiceField(
        label=_("Formats"),
        required=False,
        choices=ModuleFormat.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.MultipleChoiceField(
        label=_("Language of delivery"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[("", _("Either")), *SessionMode.choices],
        widget=forms.RadioSelect,
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        choices=[("", _("All of Belgium")), *Province.choices],
    )
    date_from = forms.DateField(
        label=_("Sessions from"),
        required=False,
        widget=DATE_INPUT,
        validators=[within_programme_years],
    )
    date_to = forms.DateField(
        label=_("Sessions until"),
        required=False,
        widget=DATE_INPUT,
        validators=[within_programme_years],
    )

    MULTIPLE = ("theme", "format", "language")
    SINGLE = ("mode", "province")

    def __init__(self, data, *, themes: list[Theme]):
        self.ignored: list[str] = []
        cleaned_data = data.copy()
        # The ignores below: self.fields holds these choice and char fields, typed Field.
        super().__init__(cleaned_data)
        self.fields["theme"].choices = [(t.slug, t.name) for t in themes]  # type: ignore[attr-defined]
        for name in self.MULTIPLE:
            known = {str(value) for value, _label in self.fields[name].choices}  # type: ignore[attr-defined]
            values = data.getlist(name)
            kept = [v for v in values if v in known]
            if len(kept) != len(values):
                self.ignored.append(str(self.fields[name].label))
                cleaned_data.setlist(name, kept)
        for name in self.SINGLE:
            known = {str(value) for value, _label in self.fields[name].choices}  # type: ignore[attr-defined]
            if data.get(name, "") not in known:
                self.ignored.append(str(self.fields[name].label))
                cleaned_data[name] = ""
        # A pasted paragraph still searches, on its first words.
        cleaned_data["q"] = data.get("q", "")[: self.fields["q"].max_length]  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            cleaned["date_from"], cleaned["date_to"] = end, start
        return cleaned

    def filters(self) -> CatalogueFilters:
        """The valid part of the request; a field with an error is left out and reported."""
        self.is_valid()
        for name in list(self.errors):
            if name in self.fields and str(self.fields[name].label) not in self.ignored:
                self.ignored.append(str(self.fields[name].label))
        data = self.cleaned_data
        return CatalogueFilters(
            q=data.get("q", "") or "",
            themes=data.get("theme") or [],
            formats=data.get("format") or [],
            languages=data.get("language") or [],
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            mode=data.get("mode") or "",
            province=data.get("province") or "",
        )


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name_fr", "name_nl", "name_en", "position"]


class SearchSynonymsForm(forms.Form):
    """One textarea per language: a group of words that mean the same per line."""

    def __init__(self, *args, initial_groups: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for language, name in Language.choices:
            self.fields[language] = forms.CharField(
                label=name,
                required=False,
                max_length=5000,
                initial=initial_groups.get(language, ""),
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=_(
                    "One group per line, words separated by commas: sommeil, insomnie, dormir"
                ),
            )


class ModuleForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Module
        fields = [
            "title",
            "summary",
            "description",
            "format",
            "content_kind",
            "language",
            "themes",
            "duration_minutes",
            "provider",
            "external_url",
            "audience_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 10}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "format": forms.RadioSelect,
            "language": forms.RadioSelect,
        }

    def clean(self):
        cleaned = super().clean()
        module_format = cleaned.get("format")
        if module_format == ModuleFormat.PRACTICAL_CONTENT and not cleaned.get("content_kind"):
            self.add_error("content_kind", _("Say what kind of content this is."))
        if module_format and module_format != ModuleFormat.PRACTICAL_CONTENT:
            cleaned["content_kind"] = ""
        if module_format == ModuleFormat.DIGITAL_TOOL and not cleaned.get("external_url"):
            self.add_error(
                "external_url", _("A digital tool needs the link to the partner's tool.")
            )
        return cleaned


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)
        widgets = {
            "starts_at": DATETIME_INPUT,
            "ends_at": DATETIME_INPUT,
            "registration_deadline": DATETIME_INPUT,
            "mode": forms.RadioSelect,
        }
        help_texts = {"starts_at": _("Belgian time.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(format__in=SESSION_FORMATS)
        self.fields["mode"].choices = SessionMode.choices
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["capacity"].widget.attrs["min"] = 1
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            self.fields[name].validators.append(within_programme_years)
        if self.instance.pk:
            # Moving participants to another module would change what they signed up for.
            self.fields["module"].disabled = True

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        deadline = cleaned.get("registration_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        if starts and deadline and deadline > starts:
            self.add_error(
                "registration_deadline", _("Registration must close before the session starts.")
            )
        if not self.instance.pk and starts and starts <= timezone.now():
            self.add_error("starts_at", _("A new session must start in the future."))
        if cleaned.get("mode") == SessionMode.IN_PERSON:
            for name in ("venue", "province"):
                if not cleaned.get(name):
                    self.add_error(name, _("An in-person session needs this."))
        # A capacity below the seats taken is refused by session_update, under the
        # session's lock: a count read here could be stale by the time it saves.
        return cleaned


class SessionDuplicateForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start (Belgian time)"),
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[within_programme_years],
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].initial = timezone.localtime(session.starts_at) + timedelta(days=7)

    def clean_starts_at(self):
        starts = self.cleaned_data["starts_at"]
        if starts <= timezone.now():
            raise forms.ValidationError(_("The copy must start in the future."))
        return starts


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the people enrolled"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    """One radio group per confirmed participant: attended, did not attend, or not recorded."""

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        choices = [("", _("Not recorded")), *Attendance.choices]
        for enrolment in enrolments:
            self.fields[f"attendance_{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.user.get_full_name() or enrolment.user.email,
                choices=choices,
                required=False,
                initial=enrolment.attendance,
                widget=forms.RadioSelect,
            )

    def rows(self):
        for enrolment in self.enrolments:
            yield enrolment, self[f"attendance_{enrolment.pk}"]

    def marks(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data.get(f"attendance_{e.pk}", "") for e in self.enrolments}
