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


# --- Urgent cases: the cell's working hours ---------------------------------------------------
# Easter Monday 2026 is 6 April: Friday the 3rd, then a weekend, then a Belgian holiday.


@pytest.fixture
def cell_hours(settings):
    settings.REFERRALS_CELL_OPENS = "09:00"
    settings.REFERRALS_CELL_CLOSES = "17:00"
    settings.REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS = 4


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 4, 2, 9, 30), at(2026, 4, 2, 13, 30)),  # Thursday morning: the same day
        (at(2026, 4, 2, 7, 0), at(2026, 4, 2, 13, 0)),  # before opening: from opening
        (at(2026, 4, 2, 13, 0), at(2026, 4, 2, 17, 0)),  # just fits before closing
        (at(2026, 4, 3, 15, 0), at(2026, 4, 7, 11, 0)),  # Friday 15:00 → Tuesday (Easter)
        (at(2026, 4, 3, 18, 0), at(2026, 4, 7, 13, 0)),  # Friday evening → Tuesday
        (at(2026, 4, 4, 10, 0), at(2026, 4, 7, 13, 0)),  # Saturday → Tuesday
        (at(2026, 4, 6, 10, 0), at(2026, 4, 7, 13, 0)),  # Easter Monday → Tuesday
    ],
)
def test_an_urgent_case_is_due_within_four_working_hours(cell_hours, received, due):
    assert first_contact_due(received, urgent=True) == due


def test_the_urgent_delay_and_the_hours_are_settings(cell_hours, settings):
    settings.REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS = 2
    settings.REFERRALS_CELL_OPENS = "08:30"
    settings.REFERRALS_CELL_CLOSES = "18:00"
    assert first_contact_due(at(2026, 4, 3, 17, 30), urgent=True) == at(2026, 4, 7, 10, 0)


def test_the_cell_hours_are_checked(settings):
    from referrals.checks import check_cell_hours

    assert check_cell_hours() == []
    settings.REFERRALS_CELL_OPENS = "18:00"
    assert [error.id for error in check_cell_hours()] == ["referrals.E002"]
    settings.REFERRALS_CELL_OPENS = "nine"
    assert [error.id for error in check_cell_hours()] == ["referrals.E002"]
