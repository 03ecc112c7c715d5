from allauth.account.forms import ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PROFILE_FIELDS, MemberProfile


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    class Meta:
        model = MemberProfile
        fields = list(PROFILE_FIELDS)
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


class ConsentWithdrawForm(forms.Form):
    """Confirms a withdrawal; when the consent covers kept data, asks what becomes of it."""

    DELETE, KEEP = "delete", "keep"

    def __init__(self, *args, cleanup_count: int = 0, cleanup_offer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if cleanup_count:
            self.fields["kept_data"] = forms.ChoiceField(
                label=_("What becomes of what you keep under this consent?"),
                choices=[
                    (self.DELETE, cleanup_offer),
                    (self.KEEP, _("Keep it: only I can see it, and I can delete it later")),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether to delete what you keep.")},
            )

    @property
    def delete_data(self) -> bool:
        return self.cleaned_data.get("kept_data") == self.DELETE


class AccountEraseForm(ReauthenticateForm):
    """Deleting the account asks for the password (allauth checks it, with its rate
    limit on failed attempts) and an explicit confirmation."""

    confirm = forms.BooleanField(
        label=_("I understand that my account and my data are deleted for good"),
        error_messages={"required": _("Tick the box to confirm.")},
    )
