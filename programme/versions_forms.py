"""The managers' form to link a module to its version in another language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Module
from .selectors.versions import version_candidates


class VersionLinkForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Module in another language"),
        queryset=Module.objects.all(),
        error_messages={
            "required": _("Pick the module to link."),
            "invalid_choice": _("This module no longer exists."),
        },
    )

    def __init__(self, *args, module: Module, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers only what can be linked; any module is accepted back, so that a
        # stale page or a crafted request gets the service's reason, not "invalid choice".
        candidates = version_candidates(module)
        self.fields["other"].widget.choices = [("", "—")] + [
            (m.pk, f"{m.title} ({m.get_language_display()})") for m in candidates
        ]
        self.has_candidates = len(self.fields["other"].widget.choices) > 1
