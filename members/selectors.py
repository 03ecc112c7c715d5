import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from common import privacy

from .consents import CONSENT_TEXTS, ConsentKind, ConsentText
from .models import Consent, MemberProfile, User
from .services import profile_ensure


def profile_for(user: User) -> MemberProfile:
    """The user's own profile; accounts made outside sign-up get theirs on first access."""
    try:
        return user.profile
    except MemberProfile.DoesNotExist:
        return profile_ensure(user=user)


# --- Consents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentState:
    """Where the member stands on one consent, for the privacy page."""

    kind: ConsentKind
    current: ConsentText
    standing: Consent | None  # given and not withdrawn (to any version of the text)
    latest: Consent | None

    @property
    def status(self) -> str:
        """given, outdated (given to an older text), withdrawn or never."""
        if self.standing is not None:
            return "given" if self.standing.text_version == self.current.version else "outdated"
        return "withdrawn" if self.latest is not None else "never"

    @property
    def can_give_here(self) -> bool:
        return self.current.given_with is None and self.status != "given"


def consent_state(user: User, kind: ConsentKind) -> ConsentState:
    return next(s for s in consent_states(consent_history(user)) if s.kind == kind)


def consent_kind(code: str) -> ConsentKind | None:
    return ConsentKind(code) if code in ConsentKind.values else None


def consent_history(user: User) -> list[Consent]:
    """Every consent the member gave, newest first (one query)."""
    return list(Consent.objects.filter(user=user).order_by("-given_at", "-pk"))


def consent_states(history: list[Consent]) -> list[ConsentState]:
    states = []
    for kind in ConsentKind:
        mine = [consent for consent in history if consent.kind == kind]
        standing = next((c for c in mine if c.withdrawn_at is None), None)
        states.append(
            ConsentState(
                kind=kind,
                current=CONSENT_TEXTS[kind],
                standing=standing,
                latest=mine[0] if mine else None,
            )
        )
    return states


def consent_cleanup_count(user: User, kind: ConsentKind) -> int:
    """How many items kept under this consent withdrawing it offers to delete."""
    cleanup = privacy.consent_cleanup(kind)
    return cleanup.count(user) if cleanup is not None else 0


# --- The member's data file (GDPR Art. 15 and 20) ------------------------------------------

DATA_FILE_FORMAT = "jentreprends-mon-bien-etre/member-data/1"


class DataFileEncoder(DjangoJSONEncoder):
    """Times as people read them here: Brussels time with its offset."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat(timespec="seconds")
        return super().default(o)


def member_data(user: User) -> dict:
    """Everything the portal holds about the member, one section per app (each app's
    registered exporter, a fixed number of queries each)."""
    data = {
        "portal": settings.PORTAL_NAME,
        "format": DATA_FILE_FORMAT,
        "generated_at": timezone.now(),
        "about": _(
            "This file holds the personal data the portal keeps about you, one section per "
            "part of the programme. Times are Brussels time."
        ),
        "left_out": [
            _(
                "The private notes of the listening-cell advisors, the texts they wrote on "
                "the timeline of your requests, their names and those of ambassadors, and "
                "an ambassador's note about you: they are other people's words, written "
                "for the listening cell's work. Every fact about your requests is here. "
                "Ask the fund's data protection officer if you want to see more."
            ),
            _(
                "The secret address of your private calendar feed, which would let "
                "whoever reads this file follow your calendar (the file says whether it "
                "exists), and your password, which the portal keeps only in a form "
                "nobody can read back."
            ),
        ],
    }
    for name, exporter in privacy.exporters().items():
        data[name] = exporter(user)
    return data


def member_data_json(user: User) -> str:
    return json.dumps(member_data(user), cls=DataFileEncoder, ensure_ascii=False, indent=2)


def language_and_province(user: User) -> tuple[str, str]:
    """The member's preferred language and province, so suggestions fit them first;
    empty for a visitor or an account without a profile (one query at most)."""
    if not user.is_authenticated:
        return "", ""
    try:
        profile = user.profile
    except MemberProfile.DoesNotExist:
        return "", ""
    return profile.preferred_language, profile.province
