from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DeliveryStatus


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(DeliveryStatus.choices),
        required=False,
    )
