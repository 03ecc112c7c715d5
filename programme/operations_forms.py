"""Forms of the operations on a session's people: where to move them, what to write."""

import uuid

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import Session, SessionMessage
from .selectors.operations import Audience, move_refusal, move_targets


def target_label(session: Session) -> str:
    local = timezone.localtime(session.starts_at)
    when = f"{formats.date_format(local, 'l j F Y')}, {local:%H:%M}"
    place = str(_("Online")) if session.mode == "online" else session.venue
    if session.seats_left is None:
        seats = str(_("unlimited seats"))
    elif session.is_full:
        seats = str(_("full: everyone goes to its waitlist"))
    else:
        seats = str(_("%(count)s seats left")) % {"count": session.seats_left}
    label = f"{when} · {place} · {seats}"
    if not session.is_published:
        label += f" · {_('not published yet')}"
    return label


class MoveForm(forms.Form):
    """The session to move a cancelled session's people to. Offered as a list, but any
    id is taken and checked, so that an edited page gets a reason, not "invalid choice"."""

    target = forms.IntegerField(
        label=_("New session"),
        widget=forms.Select,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": _("Choose a session from the list."),
            "min_value": _("Choose a session from the list."),
            "max_value": _("Choose a session from the list."),
        },
    )

    def __init__(self, *args, source: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.targets = list(move_targets(source))
        widget = self.fields["target"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [(s.pk, target_label(s)) for s in self.targets]
        self.chosen: Session | None = None

    def clean_target(self) -> int:
        target_id = self.cleaned_data["target"]
        self.chosen = next((s for s in self.targets if s.pk == target_id), None)
        if self.chosen is None:
            self.chosen = Session.objects.select_related("module").filter(pk=target_id).first()
        if reason := move_refusal(self.source, self.chosen):
            raise forms.ValidationError(reason)
        return target_id


class SessionMessageForm(forms.ModelForm):
    """Whom to write to, and what. The token travels with the form, so that the same
    form sent twice sends once."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = SessionMessage
        fields = ["to_confirmed", "to_waitlisted", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "body": _(
                "Plain text, as you would write an e-mail. Each person receives it with a "
                "greeting, the session's date and place, and the footer, in their own language."
            )
        }

    def __init__(self, *args, audience: Audience, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
            self.initial.setdefault("to_confirmed", True)
        self.fields["to_confirmed"].label = _("The confirmed participants (%(count)s)") % {
            "count": audience.confirmed
        }
        self.fields["to_waitlisted"].label = _("The people on the waitlist (%(count)s)") % {
            "count": audience.waitlisted
        }

    def clean(self):
        data = super().clean()
        if not (data.get("to_confirmed") or data.get("to_waitlisted")):
            raise forms.ValidationError(
                _("Choose the confirmed participants, the waitlist, or both.")
            )
        return data

    def clean_subject(self) -> str:
        # Required fields are stripped: a blank subject or text never gets here.
        return " ".join(self.cleaned_data["subject"].split())
