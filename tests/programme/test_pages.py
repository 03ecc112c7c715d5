"""Module and session pages, enrolment through the web, calendars, Mon parcours."""

import re
from datetime import timedelta
from urllib.parse import unquote

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programme import services
from programme.models import Enrolment, EnrolmentStatus, ModuleFormat
from tests.factories import member, staff
from tests.programme.factories import ModuleFactory, SessionFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def enrol(session, user):
    return services.enrolment_create(session_id=session.pk, user=user).enrolment


# --- Module page -----------------------------------------------------------------


def test_module_page_renders_sanitised_markdown(client):
    module = ModuleFactory(
        description=(
            "# Title\n\nSome **bold** text.\n\n<script>alert(1)</script>\n\n"
            '<a href="javascript:alert(1)" onclick="x()">bad</a>\n\n'
            "[Partner](https://partner.example/page)"
        )
    )
    body = client.get(f"/en/programme/modules/{module.slug}/").content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)" not in body
    assert "javascript:" not in body and "onclick" not in body
    assert "<h3>Title</h3>" in body  # shifted below the page's own headings
    assert 'href="https://partner.example/page" rel="noopener noreferrer nofollow"' in body
    assert "(external site, you leave the portal)" in body


@pytest.mark.parametrize(
    ("description", "levels"),
    [
        ("## Signals\n\ntext", ["h3"]),
        ("# Part\n\n### Detail\n\n## Section\n\n# Part two", ["h3", "h4", "h4", "h3"]),
        ("### Late start\n\n# Top", ["h3", "h3"]),
        ("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6", ["h3", "h4", "h5", "h6", "h6", "h6"]),
        ('<h5 class="x">Raw HTML</h5>', ["h3"]),
    ],
    ids=["h2-alone", "skips-closed", "deeper-first", "all-six", "raw-html"],
)
def test_description_headings_follow_the_page_without_skipping_a_level(description, levels):
    from programme.markdown import render_markdown

    html = render_markdown(description)
    assert re.findall(r"<(h[1-6])>", html) == levels
    assert re.findall(r"</(h[1-6])>", html) == levels


def test_digital_tool_links_out_and_says_so(client):
    tool = ModuleFactory(
        title="Evoluno",
        format=ModuleFormat.DIGITAL_TOOL,
        provider="Evoluno",
        external_url="https://www.evoluno.example/",
    )
    body = client.get(f"/en/programme/modules/{tool.slug}/").content.decode()
    # Through the portal, which counts the opening (test_tool_openings) and sends it on.
    opening = f"/en/programme/modules/{tool.slug}/open/"
    assert f'href="{opening}" rel="noopener noreferrer"' in body
    assert client.get(opening)["Location"] == "https://www.evoluno.example/"
    assert "Open the tool of Evoluno" in body
    assert "external site, you leave the portal" in body
    assert "Upcoming sessions" not in body


def test_module_page_lists_sessions_with_seats_and_brussels_time(client):
    module = ModuleFactory()
    starts = timezone.make_aware(
        timezone.datetime(2031, 7, 1, 8, 0), timezone=timezone.get_fixed_timezone(0)
    )
    SessionFactory(module=module, starts_at=starts, capacity=5)
    full = SessionFactory(module=module, starts_at=starts + timedelta(days=1), capacity=1)
    enrol(full, member())
    body = client.get(f"/en/programme/modules/{module.slug}/").content.decode()
    assert "10:00–12:00" in body  # 08:00 UTC is 10:00 in Brussels in summer
    assert "5 seats left" in body
    assert "Full: waitlist open" in body
    assert "Log in to enrol" in body


def test_unpublished_module_is_404_except_for_managers(client, manager_user):
    draft = ModuleFactory(is_published=False)
    assert client.get(f"/en/programme/modules/{draft.slug}/").status_code == 404
    client.force_login(manager_user)
    response = client.get(f"/en/programme/modules/{draft.slug}/")
    assert response.status_code == 200
    assert "Preview" in response.content.decode()


def test_unknown_module_is_a_friendly_404(client):
    assert client.get("/en/programme/modules/no-such-module/").status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_module_page_queries_do_not_grow(client, member_user, django_assert_num_queries, size):
    module = ModuleFactory(themes=[ThemeFactory(slug=f"x{i}") for i in range(size)])
    for session in SessionFactory.create_batch(size, module=module, capacity=1):
        enrol(session, member())
        enrol(session, member_user)  # waitlisted, with a position
    client.force_login(member_user)
    # session, the account with its roles and permissions, module, sessions, my
    # enrolments, saved, themes, material kept for later.
    with django_assert_num_queries(8):
        response = client.get(f"/en/programme/modules/{module.slug}/")
    assert response.content.decode().count("On the waitlist: number 1") == size


@pytest.mark.parametrize("size", [1, 10])
def test_session_page_queries_do_not_grow(client, member_user, django_assert_num_queries, size):
    session = SessionFactory(capacity=size)
    for _ in range(size + 2):
        enrol(session, member())
    enrol(session, member_user)
    client.force_login(member_user)
    # session, the account with its roles and permissions, the session, my enrolment,
    # its material.
    with django_assert_num_queries(5):
        response = client.get(f"/en/programme/sessions/{session.pk}/")
    assert "On the waitlist: number 3" in response.content.decode()


# --- Session page and enrolment ----------------------------------------------------


def test_member_enrols_then_double_posts_then_cancels(client, member_user):
    session = SessionFactory(capacity=3)
    client.force_login(member_user)
    url = f"/en/programme/sessions/{session.pk}/"
    response = client.post(url + "enrol/", follow=True)
    assert "You are enrolled" in response.content.decode()
    response = client.post(url + "enrol/", follow=True)
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.filter(user=member_user).count() == 1
    body = client.get(url).content.decode()
    assert 'id="join-link"' in body and session.join_url in body
    response = client.post(url + "cancel/", follow=True)
    assert "Your enrolment is cancelled" in response.content.decode()
    assert Enrolment.objects.get(user=member_user).status == EnrolmentStatus.CANCELLED
    assert session.join_url not in client.get(url).content.decode()


def test_an_enrolment_reads_the_session_once_and_no_permission_table(client, member_user):
    session = SessionFactory(capacity=3)
    client.force_login(member_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/en/programme/sessions/{session.pk}/enrol/")
    assert response.status_code == 302
    sql = [query["sql"] for query in queries]
    # The service's read under the lock is the only one: a session it enrols in is
    # visible to every member.
    assert len([s for s in sql if s.startswith('SELECT "programme_session"')]) == 1, sql
    # The member's permission comes with the roles, read once per request.
    assert not [s for s in sql if 'FROM "auth_permission"' in s], sql
    assert Enrolment.objects.get(user=member_user).status == EnrolmentStatus.CONFIRMED


def test_full_session_puts_the_member_on_the_waitlist_with_position(client, member_user):
    session = SessionFactory(capacity=1)
    enrol(session, member())
    enrol(session, member())
    client.force_login(member_user)
    response = client.post(f"/en/programme/sessions/{session.pk}/enrol/", follow=True)
    body = response.content.decode()
    assert "you are on the waitlist" in body
    assert "On the waitlist: number 2" in body
    assert session.join_url not in body


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "This session has already started."),
        (
            {"registration_deadline": timezone.now() - timedelta(hours=1)},
            "Registration for this session is closed.",
        ),
    ],
    ids=["past", "closed"],
)
def test_enrolling_in_a_past_or_closed_session_says_why(client, member_user, kwargs, reason):
    session = SessionFactory(**kwargs)
    client.force_login(member_user)
    response = client.post(f"/en/programme/sessions/{session.pk}/enrol/", follow=True)
    assert response.status_code == 200
    assert reason in [str(m) for m in response.context["messages"]]
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_cancelled_session_says_why(client, member_user, manager_user):
    session = SessionFactory()
    enrol(session, member_user)
    services.session_cancel(session_id=session.pk, reason="Trainer ill", actor=manager_user)
    client.force_login(member_user)
    response = client.post(f"/en/programme/sessions/{session.pk}/enrol/", follow=True)
    body = response.content.decode()
    assert "This session has been cancelled." in body
    assert "Trainer ill" in body
    assert not Enrolment.objects.filter(status__in=["confirmed", "waitlisted"]).exists()


@pytest.mark.parametrize("path", ["999999/", "abc/", "999999/enrol/", "-1/enrol/"])
def test_tampered_session_ids_are_404(client, member_user, path):
    client.force_login(member_user)
    response = client.post(f"/en/programme/sessions/{path}")
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_unpublished_session_cannot_be_reached_or_enrolled(client, member_user):
    session = SessionFactory(is_published=False)
    client.force_login(member_user)
    assert client.get(f"/en/programme/sessions/{session.pk}/").status_code == 404
    assert client.post(f"/en/programme/sessions/{session.pk}/enrol/").status_code == 404
    assert not Enrolment.objects.exists()


def test_visitors_are_sent_to_login_and_staff_cannot_enrol(client):
    session = SessionFactory()
    response = client.post(f"/en/programme/sessions/{session.pk}/enrol/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    from members.roles import Role

    client.force_login(staff(Role.ADVISOR))
    response = client.post(f"/en/programme/sessions/{session.pk}/enrol/", follow=True)
    assert "Only members of the programme can enrol" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrol_uses_the_get_method_safely(client, member_user):
    session = SessionFactory()
    client.force_login(member_user)
    assert client.get(f"/en/programme/sessions/{session.pk}/enrol/").status_code == 405
    assert not Enrolment.objects.exists()


def test_next_parameter_cannot_leave_the_portal(client, member_user):
    session = SessionFactory()
    client.force_login(member_user)
    response = client.post(
        f"/en/programme/sessions/{session.pk}/enrol/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/en/programme/sessions/{session.pk}/"


def test_cancel_after_start_is_refused_with_a_message(client, member_user, time_machine):
    session = SessionFactory()
    enrol(session, member_user)
    time_machine.move_to(session.starts_at + timedelta(minutes=1))
    client.force_login(member_user)
    response = client.post(f"/en/programme/sessions/{session.pk}/cancel/", follow=True)
    assert "can no longer be cancelled" in response.content.decode()
    assert Enrolment.objects.get().status == EnrolmentStatus.CONFIRMED


def test_the_session_page_offers_to_cancel_only_until_the_start(client, member_user, time_machine):
    session = SessionFactory()
    enrol(session, member_user)
    client.force_login(member_user)
    url = f"/en/programme/sessions/{session.pk}/"
    unenrol = f'href="/en/programme/sessions/{session.pk}/cancel/?next='
    before = client.get(url).content.decode()
    assert unenrol in before and "You can cancel until the session starts" in before
    time_machine.move_to(session.starts_at + timedelta(minutes=1), tick=False)
    during = client.get(url).content.decode()
    assert unenrol not in during and "You can cancel until" not in during
    assert "You are enrolled" in during


def test_save_and_unsave_from_the_catalogue(client, member_user):
    module = ModuleFactory()
    client.force_login(member_user)
    response = client.post(
        f"/en/programme/modules/{module.slug}/save/", {"next": "/en/programme/?q=x"}
    )
    assert response["Location"] == "/en/programme/?q=x"
    assert member_user.saved_modules.filter(module=module).exists()
    client.post(f"/en/programme/modules/{module.slug}/save/", {"action": "unsave"})
    assert not member_user.saved_modules.exists()


def test_only_members_keep_a_path(client):
    module = ModuleFactory()
    save = f"/en/programme/modules/{module.slug}/save/"
    visitor = client.post(save)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/en/accounts/login/")
    assert f"next=/en/programme/modules/{module.slug}/" in unquote(visitor["Location"])
    from members.roles import Role

    advisor = staff(Role.ADVISOR)
    client.force_login(advisor)
    for page in ("/en/programme/", f"/en/programme/modules/{module.slug}/"):
        assert save not in client.get(page).content.decode(), page
    response = client.post(save, follow=True)
    assert "Only programme members have a path to keep modules in" in response.content.decode()
    assert not advisor.saved_modules.exists()


# --- Calendars -------------------------------------------------------------------------


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_session_ics_has_stable_uid_timezone_alarm_and_hides_join_link(client, member_user):
    session = SessionFactory(join_url="https://visio.example/secret-room")
    url = f"/en/programme/sessions/{session.pk}/calendar.ics"
    first, second = parse(client.get(url)), parse(client.get(url))
    event = first.events[0]
    assert (
        str(event["UID"])
        == str(second.events[0]["UID"])
        == f"session-{session.pk}@bien-etre.example.org"
    )
    assert first.timezones[0]["TZID"] == "Europe/Brussels"
    assert event.start == timezone.localtime(session.starts_at).replace(microsecond=0)
    assert event.start.tzinfo.key == "Europe/Brussels"
    assert event.walk("VALARM")
    assert "secret-room" not in client.get(url).content.decode()

    enrol(session, member_user)
    client.force_login(member_user)
    event = parse(client.get(url)).events[0]
    assert str(event["LOCATION"]) == "https://visio.example/secret-room"


def test_in_person_ics_gives_the_venue(client):
    session = SessionFactory(
        mode="in_person", venue="Maison des indépendants", address="Rue Haute 1, 5000 Namur"
    )
    event = parse(client.get(f"/en/programme/sessions/{session.pk}/calendar.ics")).events[0]
    assert str(event["LOCATION"]) == "Maison des indépendants, Rue Haute 1, 5000 Namur"


def test_private_feed_lists_confirmed_sessions_and_dies_on_regeneration(client, member_user):
    confirmed = SessionFactory(join_url="https://visio.example/room-a")
    waiting = SessionFactory(capacity=1)
    enrol(waiting, member())
    enrol(confirmed, member_user)
    enrol(waiting, member_user)
    client.force_login(member_user)
    page = client.get("/en/programme/calendar/")
    feed_url = page.context["feed_url"]
    client.logout()
    calendar = parse(client.get(feed_url))
    assert [str(e["UID"]) for e in calendar.events] == [
        f"session-{confirmed.pk}@bien-etre.example.org"
    ]
    assert "room-a" in str(calendar.events[0]["LOCATION"])

    client.force_login(member_user)
    client.post("/en/programme/calendar/")
    client.logout()
    assert client.get(feed_url).status_code == 404
    assert client.get("/en/programme/calendar/not-a-token.ics").status_code == 404
    assert client.get("/en/programme/calendar/" + "x" * 300 + ".ics").status_code == 404


def test_private_feed_is_named_after_the_portal(client, member_user, settings):
    settings.PORTAL_NAME = "Bien-être des indépendants"
    feed = services.calendar_feed_ensure(user=member_user)
    calendar = parse(client.get(f"/en/programme/calendar/{feed.token}.ics"))
    assert str(calendar["NAME"]) == "My sessions — Bien-être des indépendants"


@pytest.mark.parametrize("size", [1, 12])
def test_private_feed_queries_do_not_grow(client, member_user, django_assert_num_queries, size):
    for index in range(size):
        session = SessionFactory()
        seat = enrol(session, member_user)
        if index % 2:
            # Cancelled and enrolled again: two rows, one event, in the same statements.
            services.enrolment_cancel(enrolment_id=seat.pk, user=member_user)
            enrol(session, member_user)
        if index % 3 == 2:
            services.enrolment_cancel(
                enrolment_id=session.enrolments.get(status="confirmed").pk, user=member_user
            )
    feed = services.calendar_feed_ensure(user=member_user)
    # The feed with its member, then the seats with their sessions, modules and versions.
    with django_assert_num_queries(2):
        response = client.get(f"/en/programme/calendar/{feed.token}.ics")
    assert len(parse(response).events) == size


def test_calendar_page_is_for_members(client, manager_user):
    assert client.get("/en/programme/calendar/").status_code == 302
    client.force_login(manager_user)
    assert client.get("/en/programme/calendar/").status_code == 404


# --- Mon parcours ------------------------------------------------------------------------


def test_parcours_shows_upcoming_waitlist_past_saved_and_cancelled(
    client, member_user, manager_user, time_machine
):
    past = SessionFactory(starts_at=timezone.now() + timedelta(hours=1))
    enrol(past, member_user)
    upcoming = SessionFactory(
        module=ModuleFactory(title="Upcoming workshop"), join_url="https://visio.example/mine"
    )
    enrol(upcoming, member_user)
    full = SessionFactory(
        module=ModuleFactory(title="Full workshop"),
        capacity=1,
        join_url="https://visio.example/full",
    )
    enrol(full, member())
    enrol(full, member())
    enrol(full, member_user)
    dropped = SessionFactory(module=ModuleFactory(title="Dropped workshop"))
    enrol(dropped, member_user)
    services.session_cancel(session_id=dropped.pk, reason="Venue closed", actor=manager_user)
    services.module_save(user=member_user, module=ModuleFactory(title="Saved guide"))

    time_machine.move_to(past.ends_at + timedelta(minutes=1))
    services.attendance_mark(
        session_id=past.pk,
        marks={Enrolment.objects.get(session=past).pk: "attended"},
        actor=manager_user,
    )
    client.force_login(member_user)
    response = client.get("/en/dashboard/parcours/")
    assert response.status_code == 200
    parcours = response.context["parcours"]
    assert [e.session_id for e in parcours.upcoming] == [upcoming.pk]
    assert [(e.session_id, e.position) for e in parcours.waitlisted] == [(full.pk, 2)]
    assert [e.session_id for e in parcours.past] == [past.pk]
    assert [s.module.title for s in parcours.saved] == ["Saved guide"]
    assert [e.session_id for e in parcours.cancelled_by_organiser] == [dropped.pk]
    body = response.content.decode()
    assert "Number 2 on the waitlist" in body
    assert upcoming.join_url in body and full.join_url not in body
    assert "Attended" in body
    assert "Venue closed" in body
    past_module = f'href="/en/programme/modules/{past.module.slug}/"'
    assert past_module in body
    # A module withdrawn from the catalogue stays in the history, without a dead link.
    services.module_publish(module=past.module, published=False)
    body = client.get("/en/dashboard/parcours/").content.decode()
    assert past_module not in body and past.module.title in body


def test_parcours_is_for_members_only(client, manager_user):
    assert client.get("/en/dashboard/parcours/").status_code == 302
    client.force_login(manager_user)
    assert client.get("/en/dashboard/parcours/").status_code == 403


def test_parcours_queries_do_not_grow(client, member_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fill(n):
        for _ in range(n):
            enrol(SessionFactory(), member_user)
            full = SessionFactory(capacity=1)
            enrol(full, member())
            enrol(full, member_user)
            services.module_save(user=member_user, module=ModuleFactory())

    client.force_login(member_user)
    fill(1)
    with CaptureQueriesContext(connection) as small:
        client.get("/en/dashboard/parcours/")
    fill(9)
    with django_assert_num_queries(len(small)):
        response = client.get("/en/dashboard/parcours/")
    assert len(response.context["parcours"].waitlisted) == 10
    assert len(small) <= 12
