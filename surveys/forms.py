"""Forms for surveys: the satisfaction survey, a campaign's answers, the campaign editor."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from programme.forms import DATETIME_INPUT, within_programme_years
from programme.models import ModuleFormat, Theme

from .models import (
    FEEDBACK_MAX_CHARS,
    Audience,
    FeedbackKind,
    FeedbackStatus,
    QuestionKind,
    SurveyCampaign,
)
from .services import MAX_QUESTIONS, CampaignVersion, QuestionSpec

LANGUAGE_NAMES = dict(Language.choices)


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

    def __init__(self, *args, questions, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"q{question.pk}"
            text = question.text_in(language)
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = _radios(text, 1, 5, _("1 means not at all, 5 very much."))
            else:
                self.fields[name] = forms.CharField(
                    label=text,
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

    base_language = forms.ChoiceField(
        label=_("Written in"),
        choices=Language.choices,
        initial=Language.FR,
        help_text=_(
            "The base version: members whose language has no version of its own receive it."
        ),
    )
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

    DETAIL_FIELDS: dict[str, str] = {
        Audience.THEME: "theme",
        Audience.FORMAT: "format",
        Audience.PROVINCE: "province",
        Audience.LANGUAGE: "language",
    }

    def __init__(self, *args, campaign: SurveyCampaign | None = None, **kwargs):
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "base_language": campaign.language,
                "title": campaign.title,
                "intro": campaign.intro,
                "audience": campaign.audience,
                "send_at": timezone.localtime(campaign.send_at) if campaign.send_at else None,
                self.DETAIL_FIELDS.get(campaign.audience, "_"): campaign.audience_value,
            }
            for code, version in (campaign.translations or {}).items():
                kwargs["initial"][f"title_{code}"] = version.get("title", "")
                kwargs["initial"][f"intro_{code}"] = version.get("intro", "")
        super().__init__(*args, **kwargs)
        # The other versions: every language is offered, the base one is refused filled.
        for code, name in LANGUAGE_NAMES.items():
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                max_length=120,
                required=False,
            )
            self.fields[f"intro_{code}"] = forms.CharField(
                label=_("Introduction in %(language)s") % {"language": name},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["theme"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
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

    def versions(self) -> dict[str, CampaignVersion]:
        data = self.cleaned_data
        return {
            code: CampaignVersion(
                title=data.get(f"title_{code}", ""), intro=data.get(f"intro_{code}", "")
            )
            for code in LANGUAGE_NAMES
        }

    def version_fields(self):
        """(language name, title field, intro field) for each language, for the template."""
        return [
            (name, self[f"title_{code}"], self[f"intro_{code}"])
            for code, name in LANGUAGE_NAMES.items()
        ]


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=QuestionKind.choices,
        initial=QuestionKind.SCALE,
        required=False,
    )
    text_fr = forms.CharField(label=_("In French"), max_length=300, required=False)
    text_nl = forms.CharField(label=_("In Dutch"), max_length=300, required=False)
    text_en = forms.CharField(label=_("In English"), max_length=300, required=False)

    def version_fields(self):
        return [self[f"text_{code}"] for code in LANGUAGE_NAMES]


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=MAX_QUESTIONS, max_num=MAX_QUESTIONS, validate_max=True
)


def question_specs(formset) -> list[QuestionSpec]:
    """The questions written in the formset; empty rows are left out."""
    return [
        QuestionSpec(
            text=form.cleaned_data["text"],
            kind=form.cleaned_data.get("kind") or "scale",
            translations={
                code: form.cleaned_data.get(f"text_{code}", "") for code in LANGUAGE_NAMES
            },
        )
        for form in formset.forms
        if form.cleaned_data.get("text", "").strip()
    ]


def question_initial(question) -> dict:
    """A saved question as the formset's initial row, its versions included."""
    row = {"text": question.text, "kind": question.kind}
    for code, text in (question.translations or {}).items():
        row[f"text_{code}"] = text
    return row


# --- Feedback at any time ------------------------------------------------------------

# The honeypot's name: hidden by CSS (.guest-honeypot), filled in only by bots.
FEEDBACK_HONEYPOT = "website"


class FeedbackItemForm(forms.Form):
    """A note to the team from any page. Plain text: it is shown escaped, never rendered
    as HTML or Markdown."""

    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=FeedbackKind.choices,
        initial=FeedbackKind.SUGGESTION,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your message is about.")},
    )
    text = forms.CharField(
        label=_("Your message"),
        max_length=FEEDBACK_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": FEEDBACK_MAX_CHARS}),
        help_text=_(
            "Up to 2,000 characters. Please do not write health details about yourself or "
            "anyone else."
        ),
        error_messages={
            "required": _("Write a few words: what would you like to tell us?"),
            "max_length": _(
                "Keep it under %(limit_value)d characters (it has %(show_value)d now)."
            ),
        },
    )
    reply_email = forms.EmailField(
        label=_("Your e-mail, if you would like a reply (optional)"),
        required=False,
        max_length=254,
        help_text=_("Used only to reply to you, then deleted."),
        error_messages={"invalid": _("This e-mail address does not look right.")},
    )
    identify = forms.BooleanField(
        label=_("Let the team know it is me"),
        required=False,
        help_text=_("Otherwise your message stays anonymous, even though you are logged in."),
    )
    # Hidden and read leniently: a tampered value is ignored (the view and the service
    # check them), never an error the person could not see or fix.
    module = forms.CharField(required=False, widget=forms.HiddenInput)
    session = forms.CharField(required=False, widget=forms.HiddenInput)
    page = forms.CharField(required=False, strip=True, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, member: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not member:
            del self.fields["identify"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write a few words: what would you like to tell us?"))
        return text


class FeedbackStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FeedbackStatus.choices)
    public_reason = forms.CharField(
        label=_("Public reason (optional, required when declined)"),
        required=False,
        max_length=300,
        help_text=_("A short sentence the people who asked may read."),
    )


class FeedbackThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.all()


class FeedbackDuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of item number"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to undo a merge."),
    )


class FeedbackReplyForm(forms.Form):
    reply_text = forms.CharField(
        label=_("Reply"),
        max_length=FEEDBACK_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": FEEDBACK_MAX_CHARS}),
        help_text=_(
            "Sent once, in the language the message was written in; the address is then deleted."
        ),
    )


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + FeedbackStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + FeedbackKind.choices
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=Theme.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.all()
