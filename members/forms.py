from allauth.account.forms import ReauthenticateForm
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from notifications.preferences import categories_managed_at, preferences_of

from .models import PROFILE_FIELDS, MemberProfile

# The profile page's own name: the message categories that name it are shown on it.
PROFILE_URL_NAME = "members:profile"


class ProfileForm(forms.ModelForm):
    """The profile, and below it one switch per kind of message the member can turn off
    (notifications keeps those choices; the apps that send the messages name them)."""

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
        categories = categories_managed_at(PROFILE_URL_NAME)
        receives = preferences_of(user, [category.code for category in categories])
        # notify_<category>: the names these switches had when they were profile fields.
        self.preference_fields = {}
        for category in categories:
            name = f"notify_{category.code}"
            self.preference_fields[name] = category.code
            self.fields[name] = forms.BooleanField(
                label=capfirst(category.label), required=False, initial=receives[category.code]
            )

    @property
    def message_preferences(self) -> dict[str, bool]:
        """{category: receives} as ticked on the page."""
        return {code: self.cleaned_data[name] for name, code in self.preference_fields.items()}

    @property
    def profile_data(self) -> dict:
        """The cleaned data without the message switches."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.preference_fields}


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
