from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MemberProfile


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    class Meta:
        model = MemberProfile
        fields = [
            "preferred_language",
            "province",
            "postcode",
            "activity_sector",
            "self_employment",
            "phone",
            "notify_session_reminders",
            "notify_surveys",
            "notify_programme_news",
            "notify_reassessment",
        ]
        widgets = {
            "self_employment": forms.RadioSelect,
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        for name in ("province", "activity_sector", "self_employment"):
            self.fields[name].required = True
        self.fields["self_employment"].choices = self.fields["self_employment"].choices[1:]
        self.order_fields(["first_name", "last_name"])
