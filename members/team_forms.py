from django import forms
from django.utils.translation import gettext_lazy as _

from common.belgium import Language

from .models import User
from .roles import TEAM_ROLES, Role

ROLE_CHOICES = [(role.value, role.label) for role in TEAM_ROLES]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, widget=forms.RadioSelect)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=Language.choices,
        initial=Language.FR,
        widget=forms.RadioSelect,
    )


class TeamSearchForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Active and deactivated")),
        ("active", _("Active")),
        ("inactive", _("Deactivated")),
    ]
    q = forms.CharField(
        label=_("Search by name or e-mail (all accounts)"), max_length=100, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Every role")), *((r.value, r.label) for r in Role)],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=ROLE_CHOICES, widget=forms.RadioSelect)


class DeactivationForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Who takes over the open cases and follow-ups"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Choose an active advisor"),
    )

    def __init__(self, *args, successors=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        assert isinstance(field, forms.ModelChoiceField)
        if successors is None:
            del self.fields["successor"]
        else:
            field.queryset = successors
            field.required = True
            field.label_from_instance = lambda user: f"{user.display_name} ({user.email})"


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ: type the same one twice."))
        return data
