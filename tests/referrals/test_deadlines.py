"""First-contact deadline in Belgian working days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from referrals.deadlines import add_working_days, first_contact_due, is_working_day

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args):
    return datetime(*args, tzinfo=BRUSSELS)


def test_weekends_and_belgian_holidays_are_not_working_days():
    assert is_working_day(date(2026, 11, 24))  # a Tuesday
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 11))  # Armistice, a Wednesday
    assert not is_working_day(date(2026, 7, 21))  # National day


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        (at(2026, 11, 23, 10, 0), date(2026, 11, 25)),  # Monday → Wednesday
        (at(2026, 11, 27, 18, 0), date(2026, 12, 1)),  # Friday evening → Tuesday
        (at(2026, 11, 28, 9, 0), date(2026, 12, 1)),  # Saturday → Tuesday
        (at(2026, 11, 9, 12, 0), date(2026, 11, 12)),  # Monday, with 11 November between
        (at(2026, 12, 24, 12, 0), date(2026, 12, 29)),  # Christmas and a weekend between
    ],
)
def test_due_by_the_end_of_the_second_working_day(received, due_day, settings):
    settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS = 2
    due = first_contact_due(received)
    local = due.astimezone(BRUSSELS)
    assert local.date() == due_day
    assert (local.hour, local.minute) == (23, 59)


def test_the_number_of_working_days_is_a_setting(settings):
    settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS = 5
    due = first_contact_due(at(2026, 11, 23, 10, 0))
    assert due.astimezone(BRUSSELS).date() == date(2026, 11, 30)


def test_add_working_days_never_counts_the_start():
    assert add_working_days(date(2026, 11, 24), 1) == date(2026, 11, 25)
    assert add_working_days(date(2026, 11, 24), 0) == date(2026, 11, 24)


def test_brussels_days_whatever_zone_is_configured_or_active(settings):
    settings.TIME_ZONE = "UTC"
    settings.REFERRALS_FIRST_CONTACT_WORKING_DAYS = 2
    # Tuesday 00:30 in Brussels is still Monday in UTC: Tuesday is the day it came in.
    received = at(2026, 11, 24, 0, 30)
    with timezone.override("America/New_York"):
        due = first_contact_due(received)
    assert due == at(2026, 11, 26, 23, 59, 59)
