"""Finding a case again: by its reference, the person's name, e-mail or phone number.

Advisors see every case (cases_for_advisor), so a search reaches no further than the queue
does; the view writes each case it shows to the access log. On PostgreSQL the name and
e-mail lookups are served by pg_trgm indexes (referrals 0010, members 0007).
"""

import re
from dataclasses import dataclass

import phonenumbers
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..models import Case
from ..phones import DEFAULT_REGION
from .cases import cases_for_advisor

QUERY_MIN = 2
QUERY_MAX = 100

# "C-00003", "c3", "#3": the reference pages and e-mails give.
REFERENCE = re.compile(r"^(?:c-?|#)\s*0*(\d{1,9})$", re.IGNORECASE)
PHONE_CHARACTERS = re.compile(r"^\+?[\d\s./()-]{6,}$")


class SearchQueryError(ValueError):
    """A query the search cannot use; the message says why, in the reader's language."""


@dataclass(frozen=True)
class CaseQuery:
    """What the advisor typed, read as one kind of key."""

    text: str
    reference: int | None = None
    phone: str = ""  # E.164

    @property
    def words(self) -> list[str]:
        return self.text.split()


def read_query(raw: str) -> CaseQuery:
    text = " ".join(raw.split())
    if len(text) < QUERY_MIN:
        raise SearchQueryError(_("Type at least %(count)d characters.") % {"count": QUERY_MIN})
    if len(text) > QUERY_MAX:
        raise SearchQueryError(_("Type at most %(count)d characters.") % {"count": QUERY_MAX})
    if match := REFERENCE.match(text):
        return CaseQuery(text=text, reference=int(match[1]))
    if PHONE_CHARACTERS.match(text):
        try:
            number = phonenumbers.parse(text, DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and phonenumbers.is_possible_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return CaseQuery(text=text, phone=e164)
    return CaseQuery(text=text)


# A name as common as "Peeters" matches a few hundred accounts; a query matching more than
# this names nobody in particular, and the cases found by the name given with them remain.
PEOPLE_MAX = 500


def _words_in(fields: tuple[str, ...], words: list[str]) -> Q:
    """Every word in one of the fields (a word may be in the first name, the next in the
    last name)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def case_search(user: User, query: CaseQuery) -> QuerySet[Case]:
    """The cases this advisor may see that match, most recent first.

    A name of several words matches when every word is in the name or e-mail given with
    the case, or every word is in the member's account; a phone number matches the number
    kept with the case (in E.164: the form's or the member's profile number), whatever way
    it is typed."""
    cases = cases_for_advisor(user)
    if query.reference is not None:
        cases = cases.filter(pk=query.reference)
    elif query.phone:
        cases = cases.filter(contact_phone=query.phone)
    else:
        # The accounts first, on their own: pg_trgm's indexes answer that in milliseconds,
        # where the same test inside the cases' query scans every account.
        people = list(
            User.objects.filter(_words_in(("first_name", "last_name", "email"), query.words))
            .order_by()
            .values_list("pk", flat=True)[:PEOPLE_MAX]
        )
        cases = cases.filter(
            _words_in(("contact_name", "contact_email"), query.words) | Q(member_id__in=people)
        )
    return (
        cases.select_related("member", "assigned_to")
        .prefetch_related("needs")
        .order_by("-created_at", "-pk")
    )


def other_cases_of_person(case: Case) -> QuerySet[Case]:
    """The same person's other cases: the same account, or the same phone or e-mail given
    (a signal about a member who later wrote in themselves), newest first."""
    same_person = Q()
    if case.member_id is not None:
        same_person |= Q(member_id=case.member_id)
    if case.contact_phone:
        same_person |= Q(contact_phone=case.contact_phone)
    if case.contact_email:
        same_person |= Q(contact_email__iexact=case.contact_email)
    if not same_person:
        return Case.objects.none()
    return (
        Case.objects.filter(same_person)
        .exclude(pk=case.pk)
        .select_related("assigned_to")
        .order_by("-created_at", "-pk")
    )
