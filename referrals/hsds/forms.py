from django import forms
from django.utils.translation import gettext_lazy as _

from .reader import ImportRefused, check_size


class HsdsImportForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "The JSON datapackage (.json) or a zip of its CSV files with datapackage.json (.zip)."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".json,.zip,application/json,application/zip"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportRefused as refused:
            raise forms.ValidationError(refused.problems[0].message) from None
        return upload
