"""Repeating a session weekly or monthly: the dates, the series made all at once, the
managers' page (permission, bad input, preview, holidays) and the series box."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from members.roles import Role
from programme import services
from programme.models import SeriesFrequency, SeriesOccurrence, Session, SessionSeries
from programme.services import series as series_services
from programme.services.series import series_create, series_days, series_preview
from tests.factories import member, staff
from tests.programme.factories import SessionFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
WEEKLY, MONTHLY = SeriesFrequency.WEEKLY, SeriesFrequency.MONTHLY


@pytest.fixture(autouse=True)
def _in_early_2026(time_machine):
    time_machine.move_to(datetime(2026, 1, 5, 9, 0, tzinfo=BRUSSELS), tick=False)


def session_at(starts: datetime, **fields) -> Session:
    return SessionFactory(starts_at=starts, ends_at=starts + timedelta(minutes=90), **fields)


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, BRUSSELS)


# --- Dates ------------------------------------------------------------------------


def test_weekly_days_are_seven_days_apart():
    days = series_days(date(2026, 1, 27), frequency=WEEKLY, count=4)
    assert days == [date(2026, 1, 27), date(2026, 2, 3), date(2026, 2, 10), date(2026, 2, 17)]


def test_monthly_keeps_the_weekday_of_the_month():
    # Tuesday 13 January 2026 is the second Tuesday.
    days = series_days(date(2026, 1, 13), frequency=MONTHLY, count=4)
    assert days == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert {d.weekday() for d in days} == {1}


def test_monthly_from_a_fifth_weekday_takes_each_month_s_last_across_the_year_end():
    # Saturday 31 October 2026 is the fifth Saturday; November and December have four or five.
    days = series_days(date(2026, 10, 31), frequency=MONTHLY, count=4)
    assert days == [date(2026, 10, 31), date(2026, 11, 28), date(2026, 12, 26), date(2027, 1, 30)]


def test_a_fourth_weekday_stays_the_fourth_even_when_it_is_the_last():
    # Wednesday 25 February 2026 is the fourth and last; in April the fourth is the 22nd.
    days = series_days(date(2026, 2, 25), frequency=MONTHLY, count=3)
    assert days == [date(2026, 2, 25), date(2026, 3, 25), date(2026, 4, 22)]


def test_the_belgian_clock_time_holds_across_the_change_to_summer_time():
    # Clocks go forward on Sunday 29 March 2026.
    session = session_at(datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS))
    occurrences = series_preview(session=session, frequency=WEEKLY, count=3)
    assert [local(o.starts_at).strftime("%d/%m %H:%M") for o in occurrences] == [
        "20/03 10:00",
        "27/03 10:00",
        "03/04 10:00",
    ]
    # One hour less in UTC after the change: the same hour on the Belgian clock.
    gap = occurrences[2].starts_at.astimezone(UTC) - occurrences[1].starts_at.astimezone(UTC)
    assert gap == timedelta(days=7, hours=-1)
    assert all(o.ends_at - o.starts_at == timedelta(minutes=90) for o in occurrences)


def test_public_holidays_are_flagged_in_the_active_language():
    # Monday 6 April 2026 is Easter Monday.
    session = session_at(datetime(2026, 3, 30, 18, 0, tzinfo=BRUSSELS))
    with translation.override("fr"):
        occurrences = series_preview(session=session, frequency=WEEKLY, count=3)
    assert [o.holiday for o in occurrences] == [None, "Lundi de Pâques", None]


# --- The series -------------------------------------------------------------------


def test_a_series_creates_its_sessions_as_drafts_linked_in_order(manager_user):
    session = session_at(
        datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS),
        mode="in_person",
        join_url="",
        venue="Maison des entrepreneurs",
        address="Rue Haute 1",
        province="BRU",
        capacity=15,
        registration_deadline=datetime(2026, 2, 2, 12, 0, tzinfo=BRUSSELS),
    )
    series = series_create(session_id=session.pk, frequency=WEEKLY, count=4, actor=manager_user)
    links = list(series.occurrences.select_related("session").order_by("position"))
    assert [link.position for link in links] == [1, 2, 3, 4]
    assert links[0].session == session
    copies = [link.session for link in links[1:]]
    assert [local(c.starts_at).date() for c in copies] == [
        date(2026, 2, 10),
        date(2026, 2, 17),
        date(2026, 2, 24),
    ]
    for copy in copies:
        assert copy.module_id == session.module_id
        assert local(copy.starts_at).time() == local(session.starts_at).time()
        assert copy.ends_at - copy.starts_at == timedelta(minutes=90)
        assert (copy.venue, copy.address, copy.province) == (
            "Maison des entrepreneurs",
            "Rue Haute 1",
            "BRU",
        )
        assert copy.capacity == 15 and copy.confirmed_count == 0
        assert copy.starts_at - copy.registration_deadline == timedelta(hours=26)
        assert not copy.is_published
    assert series.created_by == manager_user


def test_new_sessions_may_take_the_original_s_status():
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS), is_published=True)
    series = series_create(
        session_id=session.pk, frequency=MONTHLY, count=3, publish_like_original=True
    )
    assert all(o.session.is_published for o in series.occurrences.all())


@pytest.mark.parametrize("count", [0, 1, 53, 500])
def test_a_count_outside_2_to_52_is_refused(count):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    with pytest.raises(ValidationError) as refused:
        series_create(session_id=session.pk, frequency=WEEKLY, count=count)
    assert "count" in refused.value.error_dict
    assert Session.objects.count() == 1


def test_52_weekly_occurrences_are_52_sessions():
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    series_create(session_id=session.pk, frequency=WEEKLY, count=52)
    assert Session.objects.count() == 52
    assert SeriesOccurrence.objects.count() == 52


def test_a_failure_half_way_leaves_nothing(monkeypatch):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    made = []
    real = series_services.session_create

    def fails_on_the_third(**fields):
        if len(made) == 2:
            raise ValidationError("the database said no")
        made.append(real(**fields))
        return made[-1]

    monkeypatch.setattr(series_services, "session_create", fails_on_the_third)
    with pytest.raises(ValidationError):
        series_create(session_id=session.pk, frequency=WEEKLY, count=5)
    assert list(Session.objects.all()) == [session]
    assert not SessionSeries.objects.exists()
    assert not SeriesOccurrence.objects.exists()


def test_a_session_already_in_a_series_or_cancelled_is_not_repeated(manager_user):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    series_create(session_id=session.pk, frequency=WEEKLY, count=2)
    with pytest.raises(ValidationError) as refused:
        series_create(session_id=session.pk, frequency=WEEKLY, count=2)
    assert refused.value.code == "in_series"
    other = session_at(datetime(2026, 2, 4, 14, 0, tzinfo=BRUSSELS))
    services.session_cancel(session_id=other.pk, reason="Salle indisponible", actor=manager_user)
    with pytest.raises(ValidationError) as refused:
        series_create(session_id=other.pk, frequency=WEEKLY, count=2)
    assert refused.value.code == "cancelled"


def test_a_series_from_a_past_session_is_refused():
    session = session_at(datetime(2025, 12, 1, 14, 0, tzinfo=BRUSSELS))
    with pytest.raises(ValidationError) as refused:
        series_create(session_id=session.pk, frequency=WEEKLY, count=3)
    assert refused.value.code == "past"


def test_editing_one_occurrence_leaves_the_others_alone(manager_user):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    series = series_create(session_id=session.pk, frequency=WEEKLY, count=3)
    second = series.occurrences.get(position=2).session
    before = {
        o.session_id: (o.session.starts_at, o.session.venue) for o in series.occurrences.all()
    }
    moved = second.starts_at + timedelta(hours=2)
    services.session_update(
        session_id=second.pk,
        starts_at=moved,
        ends_at=moved + timedelta(minutes=90),
        venue="Ailleurs",
        actor=manager_user,
    )
    for occurrence in series.occurrences.select_related("session"):
        if occurrence.session_id == second.pk:
            assert occurrence.session.starts_at == moved
        else:
            assert (occurrence.session.starts_at, occurrence.session.venue) == before[
                occurrence.session_id
            ]


# --- The page ---------------------------------------------------------------------

URL = "/en/programme/manage/sessions/{pk}/repeat/"


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR])
def test_only_programme_managers_may_repeat(client, role):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    if role is not None:
        client.force_login(member() if role is Role.MEMBER else staff(role))
    url = URL.format(pk=session.pk)
    get = client.get(url)
    post = client.post(url, {"frequency": WEEKLY, "count": "3", "status": "draft", "confirm": "1"})
    if role is None:
        assert get.status_code == 302 and "login" in get["Location"]
    else:
        assert get.status_code == post.status_code == 403
    assert Session.objects.count() == 1


@pytest.mark.parametrize("count", ["0", "1", "500", "four", "", "2.5", "9" * 30])
def test_bad_counts_get_a_clear_message(client, manager_user, count):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    client.force_login(manager_user)
    for confirm in ("", "1"):
        response = client.post(
            URL.format(pk=session.pk),
            {"frequency": WEEKLY, "count": count, "status": "draft", "confirm": confirm},
        )
        assert response.status_code == 200
        assert "Enter a number of occurrences between 2 and 52." in response.text
    assert Session.objects.count() == 1


def test_an_unknown_frequency_or_session_is_refused_cleanly(client, manager_user):
    session = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    client.force_login(manager_user)
    response = client.post(URL.format(pk=session.pk), {"frequency": "daily", "count": "3"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert client.get(URL.format(pk=session.pk + 999)).status_code == 404


def test_the_preview_lists_the_dates_and_warns_of_holidays_then_confirming_creates(
    client, manager_user
):
    # Monday 4 May 2026, weekly: 11, 18 and 25 May; Pentecost Monday is the 25th.
    session = session_at(datetime(2026, 5, 4, 10, 0, tzinfo=BRUSSELS))
    client.force_login(manager_user)
    url = URL.format(pk=session.pk)
    data = {"frequency": WEEKLY, "count": "4", "status": "draft"}
    preview = client.post(url, data)
    assert preview.status_code == 200
    assert "Monday 25 May 2026" in preview.text
    assert "public holiday: Pentecost Monday" in preview.text
    assert "1 date falls on a Belgian public holiday" in preview.text
    assert Session.objects.count() == 1  # a preview creates nothing
    done = client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    assert done["Location"].endswith(f"/manage/sessions/{session.pk}/")
    assert Session.objects.count() == 4
    page = client.get(done["Location"])
    assert "Part of a series (1 of 4)" in page.text


def test_the_session_page_shows_the_series_in_a_fixed_number_of_queries(
    client, manager_user, django_assert_num_queries
):
    client.force_login(manager_user)
    short = session_at(datetime(2026, 2, 3, 14, 0, tzinfo=BRUSSELS))
    series_create(session_id=short.pk, frequency=WEEKLY, count=2)
    long = session_at(datetime(2026, 2, 4, 14, 0, tzinfo=BRUSSELS))
    series = series_create(session_id=long.pk, frequency=WEEKLY, count=12)
    third = series.occurrences.get(position=3).session

    with CaptureQueriesContext(connection) as captured:
        client.get(f"/en/programme/manage/sessions/{short.pk}/")
    with django_assert_num_queries(len(captured)):
        page = client.get(f"/en/programme/manage/sessions/{third.pk}/")
    assert "Part of a series (3 of 12)" in page.text
    links = [
        f'href="/en/programme/manage/sessions/{o.session_id}/"' for o in series.occurrences.all()
    ]
    assert sum(link in page.text for link in links) == 11  # every other date of the series
