"""Forms for surveys: the satisfaction survey, a campaign's answers, the campaign editor."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province

from .forms import DATETIME_INPUT, within_programme_years
from .models import Audience, ModuleFormat, QuestionKind, SurveyCampaign, Theme
from .survey_services import MAX_QUESTIONS, QuestionSpec


def _scale(low: int, high: int):
    return [(n, str(n)) for n in range(low, high + 1)]


def _radios(label, low: int, high: int, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=_scale(low, high),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": _("Choose an answer.")},
    )


class FeedbackForm(forms.Form):
    """Usefulness and quality 1–5, would-recommend 0–10, an optional comment."""

    usefulness = _radios(
        _("How useful was this session for you?"),
        1,
        5,
        _("1 means not useful at all, 5 very useful."),
    )
    quality = _radios(
        _("How do you rate its quality (content, speaker, organisation)?"),
        1,
        5,
        _("1 means poor, 5 excellent."),
    )
    recommend = _radios(
        _("How likely are you to recommend it to another entrepreneur?"),
        0,
        10,
        _("0 means not at all likely, 10 extremely likely."),
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please do not write anything that identifies you or someone else."),
    )

    RADIO_FIELDS = ("usefulness", "quality", "recommend")

    def radio_groups(self):
        return [self[name] for name in self.RADIO_FIELDS]


class CampaignResponseForm(forms.Form):
    """One field per question of the campaign: radios 1–5 for a scale, a text area otherwise."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = _radios(
                    question.text, 1, 5, _("1 means not at all, 5 very much.")
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def rows(self):
        for question in self.questions:
            yield question, self[f"q{question.pk}"]

    def answers(self) -> dict[int, int | str | None]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class CampaignForm(forms.Form):
    """A campaign: what it says, to whom, when. Questions come in a formset beside it."""

    title = forms.CharField(label=_("Title"), max_length=120)
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences: why you ask, how long it takes."),
    )
    audience = forms.ChoiceField(
        label=_("Who receives it"), choices=Audience.choices, widget=forms.RadioSelect
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", "—"), *ModuleFormat.choices]
    )
    province = forms.ChoiceField(
        label=_("Province"), required=False, choices=[("", "—"), *Province.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", "—"), *Language.choices]
    )
    send_at = forms.DateTimeField(
        label=_("Send at (Belgian time)"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[within_programme_years],
        help_text=_("Leave empty to send it within a minute once scheduled."),
    )

    DETAIL_FIELDS = {
        Audience.THEME: "theme",
        Audience.FORMAT: "format",
        Audience.PROVINCE: "province",
        Audience.LANGUAGE: "language",
    }

    def __init__(self, *args, campaign: SurveyCampaign | None = None, **kwargs):
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": campaign.title,
                "intro": campaign.intro,
                "audience": campaign.audience,
                "send_at": timezone.localtime(campaign.send_at) if campaign.send_at else None,
                self.DETAIL_FIELDS.get(campaign.audience, "_"): campaign.audience_value,
            }
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [
            ("", "—"),
            *((t.slug, t.name) for t in Theme.objects.order_by("position", "slug")),
        ]

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        detail = self.DETAIL_FIELDS.get(audience)
        if detail and not cleaned.get(detail):
            self.add_error(detail, _("This audience needs this choice."))
        cleaned["audience_value"] = cleaned.get(detail, "") if detail else ""
        return cleaned


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=QuestionKind.choices,
        initial=QuestionKind.SCALE,
        required=False,
    )


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=MAX_QUESTIONS, max_num=MAX_QUESTIONS, validate_max=True
)


def question_specs(formset) -> list[QuestionSpec]:
    """The questions written in the formset; empty rows are left out."""
    return [
        QuestionSpec(text=form.cleaned_data["text"], kind=form.cleaned_data.get("kind") or "scale")
        for form in formset.forms
        if form.cleaned_data.get("text", "").strip()
    ]
