"""The managers' form to attach a replay, slides or a practical sheet to a session."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import MaterialKind
from .services.material import ACCEPTED_EXTENSIONS


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=160)
    # Not a URLField: it would quietly put "http://" before anything typed; the service
    # says clearly what a link must look like.
    url = forms.CharField(
        label=_("Link"),
        max_length=500,
        required=False,
        help_text=_("A replay or a document hosted elsewhere (http:// or https://)."),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in ACCEPTED_EXTENSIONS)}
        ),
    )
    visible_later = forms.BooleanField(
        label=_("Visible to everyone later"),
        required=False,
        help_text=_("Members who did not enrol find it on the module page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, PowerPoint (.pptx), Word (.docx), PNG or JPEG, %(limit)s at most."
        ) % {"limit": filesizeformat(settings.PROGRAMME_MATERIAL_MAX_BYTES)}

    def clean(self):
        data = super().clean()
        if bool((data.get("url") or "").strip()) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        return data
