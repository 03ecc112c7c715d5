"""The partner's answer on its referral page, the member's answer on their page, and a
manager's invitation of a partner's staff member."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.belgium import Language

from .choices import PARTNER_ANSWER_RANK, MemberHelped, NotTakenOnReason, PartnerAnswer


class PartnerAnswerForm(forms.Form):
    """Only the answers that move the referral forward from where it stands."""

    answer = forms.ChoiceField(label=_("Where the referral stands"), widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("If not taken on, why?"),
        choices=[("", "—"), *NotTakenOnReason.choices],
        required=False,
    )

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        rank = PARTNER_ANSWER_RANK[current]
        answer = self.fields["answer"]
        assert isinstance(answer, forms.ChoiceField)
        answer.choices = [
            (value, label)
            for value, label in PartnerAnswer.choices
            if PARTNER_ANSWER_RANK[value] > rank
        ]

    def goes_back(self) -> bool:
        """The answer sent is one of the list, but no step forward (a second answer, an
        old tab): the page says where the referral stands rather than "invalid choice"."""
        answer = self.data.get("answer", "")
        return (
            answer in PartnerAnswer.values
            and PARTNER_ANSWER_RANK[answer] <= PARTNER_ANSWER_RANK[self.current]
        )

    def clean(self):
        data = super().clean()
        if data.get("answer") == PartnerAnswer.NOT_TAKEN_ON and not data.get("reason"):
            self.add_error("reason", _("Tell us why the member was not taken on."))
        return data


class MemberAnswerForm(forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Did you get in touch with this partner?"),
        choices=[("yes", _("Yes")), ("no", _("Not yet, or no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    helped = forms.ChoiceField(
        label=_("If you did, did it help?"),
        choices=[("", "—"), *MemberHelped.choices],
        required=False,
    )


class PartnerStaffInviteForm(forms.Form):
    """A manager invites a partner organisation's staff member to its partner space."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=Language.choices,
        initial=Language.FR,
        widget=forms.RadioSelect,
    )
