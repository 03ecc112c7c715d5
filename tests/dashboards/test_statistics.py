"""The managers' statistics: exact figures on a known programme, small counts of the
listening cell hidden, CSV exports, bad periods, who may see it, queries that do not grow."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from common.belgium import BRUSSELS, Province
from common.periods import Period
from common.small_counts import Figure, rate
from dashboards.templatetags.figures import percent
from members.roles import Role
from programme.models import Attendance, EnrolmentStatus
from programme.services import attendance_mark, module_update, session_update
from programme.statistics import programme_breakdowns, programme_statistics
from referrals.choices import NeedCategory, Outcome
from referrals.models import Referral
from referrals.statistics import cell_statistics
from tests.factories import member, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory, ThemeFactory
from tests.referrals.factories import CaseFactory, PartnerFactory
from tests.referrals.helpers import case_in

pytestmark = pytest.mark.django_db


URL = "/en/dashboard/manager/statistics/"
SPRING = Period(start=date(2026, 3, 1), end=date(2026, 5, 1))  # March and April 2026


@pytest.fixture(autouse=True)
def june(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=BRUSSELS), tick=False)


def at(day: int, month: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS)


def seats(session, status, n, **fields):
    for _ in range(n):
        EnrolmentFactory(session=session, status=status, **fields)


@pytest.fixture
def programme():
    """Two modules; March: a full workshop in Namur and a webinar late on the 31st
    (already April in UTC); April: a cancelled workshop and an unpublished webinar."""
    sleep, stress = ThemeFactory(slug="sommeil"), ThemeFactory(slug="stress")
    workshop = ModuleFactory(format="workshop", themes=[sleep, stress])
    webinar = ModuleFactory(format="webinar", themes=[stress])
    namur = SessionFactory(
        module=workshop,
        starts_at=at(10, 3),
        ends_at=at(10, 3, 12),
        mode="in_person",
        join_url="",
        venue="Maison des indépendants",
        province="WNA",
        capacity=4,
    )
    seats(namur, EnrolmentStatus.CONFIRMED, 2, attendance=Attendance.ATTENDED)
    seats(namur, EnrolmentStatus.CONFIRMED, 1, attendance=Attendance.NO_SHOW)
    seats(namur, EnrolmentStatus.CONFIRMED, 1)
    seats(namur, EnrolmentStatus.WAITLISTED, 2)
    seats(namur, EnrolmentStatus.CANCELLED, 1)
    late = SessionFactory(
        module=webinar, starts_at=at(31, 3, 23, 30), ends_at=at(1, 4, 0, 30), capacity=None
    )
    seats(late, EnrolmentStatus.CONFIRMED, 3)
    called_off = SessionFactory(
        module=workshop, starts_at=at(5, 4), ends_at=at(5, 4, 12), cancelled_at=at(1, 4)
    )
    seats(called_off, EnrolmentStatus.CANCELLED, 2, cancelled_by_organiser=True)
    draft = SessionFactory(module=webinar, starts_at=at(10, 4), ends_at=at(10, 4, 12))
    draft.is_published = False
    draft.save()
    seats(SessionFactory(starts_at=at(10, 2), ends_at=at(10, 2, 12)), EnrolmentStatus.CONFIRMED, 5)
    return {"sleep": sleep, "stress": stress, "namur": namur, "workshop": workshop}


def test_figures_by_month_follow_the_belgian_calendar(programme):
    march, april = programme_statistics(SPRING, "month")
    assert (march.month, april.month) == (date(2026, 3, 1), date(2026, 4, 1))
    assert (march.sessions, march.seats, march.confirmed, march.fill_rate) == (2, 4, 7, 100)
    assert (march.waitlisted, march.attended, march.no_show) == (2, 2, 1)
    assert march.attendance_rate == 67
    assert (march.member_cancelled, march.cancelled_sessions) == (1, 0)
    # Released by the organiser is not "cancelled by the member"; the draft is not counted.
    assert (april.sessions, april.cancelled_sessions, april.confirmed) == (0, 1, 0)
    assert april.member_cancelled == 0 and april.fill_rate is None


def test_figures_by_theme_format_and_province(programme):
    themes = {row.key: row for row in programme_statistics(SPRING, "theme")}
    sleep, stress = themes[str(programme["sleep"].pk)], themes[str(programme["stress"].pk)]
    # The workshop has both themes: it counts in each.
    assert (sleep.sessions, sleep.confirmed, sleep.cancelled_sessions) == (1, 4, 1)
    assert (stress.sessions, stress.confirmed) == (2, 7)
    formats = {row.key: row for row in programme_statistics(SPRING, "format")}
    assert (formats["workshop"].sessions, formats["workshop"].confirmed) == (1, 4)
    assert (formats["webinar"].sessions, formats["webinar"].confirmed) == (1, 3)
    regions = {row.key: row for row in programme_statistics(SPRING, "region")}
    assert (regions["WNA"].label, regions["WNA"].confirmed) == (Province.NAMUR.label, 4)
    assert regions[""].confirmed == 3  # online


# --- Months that are over are computed once ----------------------------------------


def test_a_month_that_is_over_is_read_from_the_cache(programme):
    with CaptureQueriesContext(connection) as first:
        programme_breakdowns(SPRING)
    with CaptureQueriesContext(connection) as again:
        rows = programme_breakdowns(SPRING)
    # Enrolments, sessions, modules' themes, then theme names; the second time the names only.
    assert (len(first), len(again)) == (4, 1)
    assert rows["month"][0].confirmed == 7


def test_attendance_marked_late_shows_at_once(
    programme, manager_user, django_capture_on_commit_callbacks
):
    assert programme_statistics(SPRING, "month")[0].attended == 2
    unmarked = programme["namur"].enrolments.get(status=EnrolmentStatus.CONFIRMED, attendance="")
    with django_capture_on_commit_callbacks(execute=True):
        attendance_mark(
            session_id=programme["namur"].pk,
            marks={unmarked.pk: Attendance.ATTENDED},
            actor=manager_user,
        )
    march = programme_statistics(SPRING, "month")[0]
    assert (march.attended, march.attendance_rate) == (3, 75)


def test_a_past_session_moved_to_another_month_moves_in_the_figures(
    programme, django_capture_on_commit_callbacks
):
    before = programme_statistics(SPRING, "month")
    assert (before[0].sessions, before[1].sessions) == (2, 0)
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session_id=programme["namur"].pk, starts_at=at(10, 4), ends_at=at(10, 4, 12))
    march, april = programme_statistics(SPRING, "month")
    assert (march.sessions, march.confirmed, april.sessions, april.confirmed) == (1, 3, 1, 4)


def test_a_module_given_other_themes_counts_under_them_at_once(
    programme, django_capture_on_commit_callbacks
):
    assert str(programme["sleep"].pk) in {r.key for r in programme_statistics(SPRING, "theme")}
    with django_capture_on_commit_callbacks(execute=True):
        module_update(module=programme["workshop"], themes=[programme["stress"]])
    themes = {row.key: row for row in programme_statistics(SPRING, "theme")}
    assert str(programme["sleep"].pk) not in themes
    assert (
        themes[str(programme["stress"].pk)].sessions,
        themes[str(programme["stress"].pk)].confirmed,
    ) == (2, 7)


# --- Listening cell: small counts are hidden ---------------------------------------------


def test_a_count_from_one_to_four_is_hidden_and_the_others_rounded_to_five():
    shown = [str(Figure(n)) for n in (0, 1, 4, 5, 7, 8, 12, 13, 41)]
    assert shown == ["0", "<5", "<5", "5", "5", "10", "10", "15", "40"]
    # A rate tells nothing small (not the part, the whole, nor the rest), to the nearest 5 %.
    assert rate(Figure(10), Figure(20)) == 50
    assert rate(Figure(50), Figure(60)) == 85
    assert rate(Figure(3), Figure(20)) is None
    assert rate(Figure(18), Figure(20)) is None
    assert rate(Figure(20), Figure(20)) == 100
    assert rate(Figure(0), Figure(0)) is None


def test_two_overlapping_periods_do_not_give_a_single_case_away():
    """One case in February beside ten in January: subtracting January from January and
    February must not show it, nor its region."""
    for _ in range(10):
        CaseFactory(created_at=at(12, 1), region="WLG")
    CaseFactory(created_at=at(12, 2), region="WLG")
    january = cell_statistics(Period(start=date(2026, 1, 1), end=date(2026, 2, 1)))
    both = cell_statistics(Period(start=date(2026, 1, 1), end=date(2026, 3, 1)))
    for cell in (january, both):
        assert str(cell.summary["received"]) == "10"
        assert [str(line.count) for line in cell.regions] == ["10"]
    assert [str(month.received) for month in both.months] == ["10", "<5"]


def test_the_cell_in_counts(advisor_user):
    may = at(12, 5)
    for _ in range(7):
        case_in("closed", advisor=advisor_user, created_at=may, first_contact_at=may)
    for _ in range(2):
        CaseFactory(
            source="signal",
            raised_by=staff(Role.AMBASSADOR),
            agreement_confirmed=True,
            created_at=may,
            region="BRU",
        )
    unreachable = case_in("closed", advisor=advisor_user, created_at=may)
    unreachable.outcome = "unreachable"
    unreachable.save()
    partner = PartnerFactory()
    for case in CaseFactory.create_batch(6, created_at=at(3, 4), needs=["sleep", "stress"]):
        Referral.objects.create(
            case=case, partner=partner, mode="information", reached=True, created_at=at(4, 4)
        )

    cell = cell_statistics(Period(start=date(2026, 4, 1), end=date(2026, 6, 1)))
    exact = {name: figure.value for name, figure in cell.summary.items()}
    assert exact == {
        "received": 16,
        "requests": 14,
        "signals": 2,
        "guests": 0,
        "due": 16,  # every first contact is due by mid-June
        "on_time": 7,
        "referred": 6,
        "closed": 8,
    }
    summary = {name: str(figure) for name, figure in cell.summary.items()}
    assert (summary["received"], summary["requests"], summary["signals"]) == ("15", "15", "<5")
    # Seven called by the deadline; nine nobody called are late, not left out.
    assert cell.on_time_rate == 45
    outcomes = {line.label: str(line.count) for line in cell.outcomes}
    assert outcomes == {Outcome.HANDLED.label: "5", Outcome.UNREACHABLE.label: "<5"}
    assert [str(month.received) for month in cell.months] == ["5", "10"]
    assert str(cell.referrals["made"]) == "5" and cell.reached_rate == 100
    needs = {line.label: str(line.count) for line in cell.needs}
    assert needs[NeedCategory.SLEEP.label] == "5"


# --- The page --------------------------------------------------------------------------------


def test_the_page_shows_the_period_asked_for(client, manager_user, programme):
    client.force_login(manager_user)
    response = client.get(URL, {"start": "2026-03", "end": "2026-04"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "From March 2026 to April 2026" in page
    assert [row.key for row in response.context["by_month"]] == ["2026-03", "2026-04"]
    assert response.context["total"].confirmed == 7
    assert 'id="by-themes"' in page and 'id="cell-outcomes"' in page
    assert "<svg" in page and "Confirmed seats per month" in page


@pytest.mark.parametrize(
    "query",
    [
        {"start": "mars", "end": "2026-04"},
        {"start": "2026-05", "end": "2026-03"},
        {"start": "2020-01", "end": "2026-04"},
        {"start": "2026-13", "end": "\x00"},
        {"end": "2026-04"},
        {"start": "9999-01", "end": "9999-02"},
        {"start": "9999-12", "end": "9999-12"},
        {"start": "0001-01", "end": "0001-01", "export": "months"},
    ],
)
def test_a_bad_period_says_so_and_shows_the_default_one(client, manager_user, query):
    client.force_login(manager_user)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # no file for a refused period
    assert response.context["form"].errors
    months = response.context["by_month"]
    assert (months[0].key, months[-1].key) == ("2025-07", "2026-09")


def test_each_table_downloads_as_csv(client, manager_user, programme):
    programme["stress"].name_en = "=HYPERLINK(1)"
    programme["stress"].save()
    client.force_login(manager_user)
    response = client.get(URL, {"start": "2026-03", "end": "2026-04", "export": "themes"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="statistics-themes-2026-03-2026-04.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Theme", "Sessions"]
    assert rows[1][:2] == ["'=HYPERLINK(1)", "2"]  # a formula is neutralised
    tables = ("months", "formats", "regions", "cell-months", "cell-outcomes", "cell-needs")
    for table in (*tables, "cell-regions"):
        export = client.get(URL, {"export": table})
        assert export.status_code == 200 and export["Content-Type"].startswith("text/csv"), table
    # An unknown table is the page itself.
    assert client.get(URL, {"export": "cases"})["Content-Type"].startswith("text/html")


def test_a_session_unpublished_after_people_enrolled_still_counts(client, manager_user):
    session = SessionFactory(starts_at=at(10, 3), ends_at=at(10, 3, 12), capacity=10)
    seats(session, EnrolmentStatus.CONFIRMED, 3, attendance=Attendance.ATTENDED)
    session.is_published = False
    session.save()
    SessionFactory(starts_at=at(11, 3), ends_at=at(11, 3, 12), is_published=False)  # a draft
    march = programme_statistics(SPRING, "month")[0]
    assert (march.sessions, march.seats, march.confirmed, march.attended) == (1, 10, 3, 3)
    client.force_login(manager_user)
    assert client.post(URL).status_code == 405  # a page to read


def test_only_programme_managers_see_the_statistics(client):
    assert client.get(URL).status_code == 302  # visitors log in first
    for role in (Role.AMBASSADOR, Role.ADVISOR):
        client.force_login(staff(role))
        assert client.get(URL).status_code == 403
    client.force_login(member())
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"export": "cell-needs"}).status_code == 403


def queries(client) -> int:
    cache.clear()  # the months' figures computed, not those kept from the last request
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, {"start": "2026-01", "end": "2026-06"}).status_code == 200
    return len(context.captured_queries)


def test_the_page_runs_the_same_queries_whatever_the_data(client, manager_user, advisor_user):
    client.force_login(manager_user)

    def grow(n):
        for i in range(n):
            session = SessionFactory(
                starts_at=at(1 + i % 28, 1 + i % 6), ends_at=at(1 + i % 28, 1 + i % 6, 12)
            )
            seats(session, EnrolmentStatus.CONFIRMED, 2)
            CaseFactory(created_at=at(1 + i % 28, 1 + i % 6), needs=["sleep"])
            case_in("closed", advisor=advisor_user, created_at=at(2, 1 + i % 6))

    grow(2)
    small = queries(client)
    grow(15)
    assert queries(client) == small <= 20


def test_a_rate_follows_each_languages_typography():
    expected = {"en": "67%", "nl": "67%", "fr": "67\u00a0%"}
    for language, text in expected.items():
        with translation.override(language):
            assert percent(67) == text
    assert percent(None) == "—"


def test_hidden_counts_are_listed_by_name_not_by_their_exact_size():
    for _ in range(3):
        CaseFactory(created_at=at(12, 1), region="WNA")  # Namur
    CaseFactory(created_at=at(12, 1), region="VAN")  # Antwerp
    cell = cell_statistics(Period(start=date(2026, 1, 1), end=date(2026, 2, 1)))
    labels = [line.label for line in cell.regions]
    assert labels == sorted(labels) and len(labels) == 2


def test_the_cells_figures_are_counted_once_then_kept_a_few_minutes(advisor_user):
    CaseFactory(created_at=at(12, 1), region="WLG")
    period = Period(start=date(2026, 1, 1), end=date(2026, 2, 1))
    with CaptureQueriesContext(connection) as first:
        counted = cell_statistics(period)
    with CaptureQueriesContext(connection) as again:
        kept = cell_statistics(period)
    assert (len(first), len(again)) == (7, 0)
    assert kept == counted and str(kept.summary["received"]) == "<5"
