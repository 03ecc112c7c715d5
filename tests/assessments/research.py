"""Research participants made through the services, for the impact tests."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assessments.research import research_measure_record
from common.belgium import BRUSSELS
from members.consents import ConsentKind
from members.services import consent_give
from tests.assessments.factories import keep_result
from tests.factories import member


def take(user, code: str, band: str, on: date):
    """A kept result on that day, recorded for the evaluation as result_keep does."""
    result = keep_result(user, code, band, when=datetime.combine(on, time(10), tzinfo=BRUSSELS))
    return research_measure_record(result=result, taken_on=on)


def participant(
    first: str = "low",
    later: str | None = "good",
    *,
    code: str = "who-5",
    start: date | None = None,
    months: int = 3,
    user=None,
):
    """A member with research consent, a first measure and one `months` later."""
    user = user or member()
    consent_give(user=user, kind=ConsentKind.RESEARCH)
    start = start or timezone.localdate() - timedelta(days=200)
    take(user, code, first, start)
    if later:
        take(user, code, later, start + timedelta(days=91 if months == 3 else 182))
    return user
