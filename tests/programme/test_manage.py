"""Staff pages for programme managers: permissions, editing, rosters, attendance, CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.roles import Role
from notifications.models import Delivery
from programme import emails, services
from programme.models import Enrolment, Module, Session, Theme
from tests.factories import PASSWORD, member, staff
from tests.programme.factories import (
    ModuleFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.surveys.factories import SessionFeedbackFactory, SurveyCampaignFactory

pytestmark = pytest.mark.django_db

BASE = "/en/programme/manage/"


def enrol(session, user):
    return services.enrolment_create(session_id=session.pk, user=user).enrolment


def local_input(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def manager_urls(session, module, theme) -> list[str]:
    return [
        BASE,
        f"{BASE}sessions/new/",
        f"{BASE}sessions/{session.pk}/",
        f"{BASE}sessions/{session.pk}/edit/",
        f"{BASE}sessions/{session.pk}/duplicate/",
        f"{BASE}sessions/{session.pk}/cancel/",
        f"{BASE}sessions/{session.pk}/attendees.csv",
        f"{BASE}modules/",
        f"{BASE}modules/new/",
        f"{BASE}modules/{module.pk}/edit/",
        f"{BASE}themes/",
        f"{BASE}themes/new/",
        f"{BASE}themes/{theme.pk}/edit/",
    ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR])
def test_other_roles_get_403_everywhere(client, role):
    session = SessionFactory()
    urls = manager_urls(session, session.module, ThemeFactory())
    client.force_login(member() if role is Role.MEMBER else staff(role))
    for url in urls:
        assert client.get(url).status_code == 403, url
    for url in (
        f"{BASE}sessions/{session.pk}/publish/",
        f"{BASE}modules/{session.module.pk}/publish/",
    ):
        assert client.post(url, {"published": "0"}).status_code == 403
    session.refresh_from_db()
    assert session.is_published


def test_visitors_go_to_login(client):
    response = client.get(BASE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_managers_open_every_page(client, manager_user):
    session = SessionFactory()
    client.force_login(manager_user)
    reauthenticate(client)  # the attendees' export asks for the password first
    for url in manager_urls(session, session.module, ThemeFactory()):
        assert client.get(url).status_code == 200, url


def test_manager_creates_edits_and_publishes_a_module(client, manager_user):
    stress = ThemeFactory(slug="stress")
    client.force_login(manager_user)
    response = client.post(
        f"{BASE}modules/new/",
        {
            "title": "Gérer la pression des clients",
            "summary": "Dire non sans perdre le client.",
            "description": "Un **atelier** pratique.",
            "format": "workshop",
            "language": "fr",
            "themes": [stress.pk],
            "duration_minutes": "120",
        },
    )
    assert response.status_code == 302
    module = Module.objects.get(title="Gérer la pression des clients")
    assert not module.is_published and "pression" in module.search_text
    client.post(f"{BASE}modules/{module.pk}/publish/", {"published": "1"})
    module.refresh_from_db()
    assert module.is_published


def test_module_form_reports_errors_and_writes_nothing(client, manager_user):
    client.force_login(manager_user)
    response = client.post(
        f"{BASE}modules/new/",
        {"title": "Outil", "summary": "x", "format": "digital_tool", "language": "xx"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"language", "themes", "external_url"} <= set(form.errors)
    assert not Module.objects.exists()


def test_manager_creates_a_session_and_the_form_refuses_nonsense(client, manager_user):
    module = ModuleFactory()
    client.force_login(manager_user)
    starts = timezone.now() + timedelta(days=10)
    bad = client.post(
        f"{BASE}sessions/new/",
        {
            "module": module.pk,
            "starts_at": local_input(starts),
            "ends_at": local_input(starts - timedelta(hours=1)),
            "mode": "in_person",
            "capacity": "0",
            "registration_deadline": local_input(starts + timedelta(days=1)),
        },
    )
    assert bad.status_code == 200
    assert {"ends_at", "venue", "province", "capacity", "registration_deadline"} <= set(
        bad.context["form"].errors
    )
    good = client.post(
        f"{BASE}sessions/new/",
        {
            "module": module.pk,
            "starts_at": local_input(starts),
            "ends_at": local_input(starts + timedelta(hours=2)),
            "mode": "in_person",
            "venue": "Maison de l'entreprise",
            "address": "Rue de Fer 1, 5000 Namur",
            "province": "WNA",
            "capacity": "12",
        },
    )
    session = Session.objects.get()
    assert good["Location"] == f"{BASE}sessions/{session.pk}/"
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == local_input(starts)[-5:]
    assert not session.is_published


@pytest.mark.parametrize(
    "changes",
    [
        {"registration_deadline": "0001-01-01T00:00"},
        {"starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:30"},
    ],
    ids=["year-1", "year-9999"],
)
def test_session_dates_out_of_any_programme_are_refused(client, manager_user, changes):
    module = ModuleFactory()
    client.force_login(manager_user)
    starts = timezone.now() + timedelta(days=10)
    data = {
        "module": module.pk,
        "starts_at": local_input(starts),
        "ends_at": local_input(starts + timedelta(hours=1)),
        "mode": "online",
        **changes,
    }
    response = client.post(f"{BASE}sessions/new/", data)
    assert response.status_code == 200
    assert set(changes) <= set(response.context["form"].errors)
    assert not Session.objects.exists()


def test_a_copy_out_of_any_programme_is_refused(client, manager_user):
    session = SessionFactory()
    client.force_login(manager_user)
    response = client.post(
        f"{BASE}sessions/{session.pk}/duplicate/", {"starts_at": "9999-12-31T23:59"}
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert Session.objects.count() == 1


def test_sessions_only_for_webinars_and_workshops(client, manager_user):
    tool = ModuleFactory(format="digital_tool", external_url="https://tool.example")
    client.force_login(manager_user)
    starts = timezone.now() + timedelta(days=2)
    response = client.post(
        f"{BASE}sessions/new/",
        {
            "module": tool.pk,
            "starts_at": local_input(starts),
            "ends_at": local_input(starts + timedelta(hours=1)),
            "mode": "online",
        },
    )
    assert "module" in response.context["form"].errors
    assert not Session.objects.exists()


def test_lowering_capacity_below_seats_taken_is_refused(client, manager_user):
    session = SessionFactory(capacity=3)
    for _ in range(3):
        enrol(session, member())
    client.force_login(manager_user)
    response = client.post(
        f"{BASE}sessions/{session.pk}/edit/",
        {
            "starts_at": local_input(session.starts_at),
            "ends_at": local_input(session.ends_at),
            "mode": "online",
            "capacity": "2",
        },
    )
    assert response.status_code == 200 and "capacity" in response.context["form"].errors
    session.refresh_from_db()
    assert session.capacity == 3


def test_the_edit_form_tells_people_of_a_new_place_and_not_of_a_new_capacity(client, manager_user):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=5)
    session = SessionFactory(
        starts_at=start,
        mode="in_person",
        join_url="",
        venue="Maison des indépendants",
        address="Rue Haute 1, 5000 Namur",
        province="WNA",
    )
    enrol(session, member())
    client.force_login(manager_user)
    fields = {
        "starts_at": local_input(session.starts_at),
        "ends_at": local_input(session.ends_at),
        "mode": "in_person",
        "venue": session.venue,
        "address": session.address,
        "province": "WNA",
        "capacity": "20",
    }
    changed = Delivery.objects.filter(kind=emails.SESSION_CHANGED)
    client.post(f"{BASE}sessions/{session.pk}/edit/", fields)
    assert Session.objects.get(pk=session.pk).capacity == 20
    assert not changed.exists()

    client.post(f"{BASE}sessions/{session.pk}/edit/", {**fields, "venue": "Salle du Beffroi"})
    assert Session.objects.get(pk=session.pk).venue == "Salle du Beffroi"
    assert changed.count() == 1


def test_duplicate_and_cancel_with_reason(client, manager_user):
    session = SessionFactory()
    people = [member() for _ in range(2)]
    for person in people:
        enrol(session, person)
    client.force_login(manager_user)
    new_start = timezone.now() + timedelta(days=30)
    response = client.post(
        f"{BASE}sessions/{session.pk}/duplicate/", {"starts_at": local_input(new_start)}
    )
    copy = Session.objects.exclude(pk=session.pk).get()
    assert response["Location"] == f"{BASE}sessions/{copy.pk}/edit/"
    assert copy.confirmed_count == 0 and not copy.is_published

    past = client.post(f"{BASE}sessions/{session.pk}/duplicate/", {"starts_at": "2001-01-01T10:00"})
    assert "starts_at" in past.context["form"].errors

    empty = client.post(f"{BASE}sessions/{session.pk}/cancel/", {"reason": ""})
    assert "reason" in empty.context["form"].errors
    client.post(f"{BASE}sessions/{session.pk}/cancel/", {"reason": "La salle est inondée"})
    session.refresh_from_db()
    assert session.is_cancelled
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"cancelled"}
    # A cancelled session can no longer be edited or published again.
    assert client.get(f"{BASE}sessions/{session.pk}/edit/").status_code == 302
    client.post(f"{BASE}sessions/{session.pk}/publish/", {"published": "1"})
    session.refresh_from_db()
    assert session.is_cancelled


def test_roster_lists_participants_and_waitlist_then_bulk_attendance(
    client, manager_user, time_machine
):
    session = SessionFactory(capacity=2)
    seats = [enrol(session, member(last_name=name)) for name in ("Zeeman", "Adam")]
    waiting = enrol(session, member(last_name="Wachter"))
    client.force_login(manager_user)
    response = client.get(f"{BASE}sessions/{session.pk}/")
    assert [e.user.last_name for e in response.context["confirmed"]] == ["Adam", "Zeeman"]
    assert [(e.pk, e.position) for e in response.context["waitlist"]] == [(waiting.pk, 1)]
    assert not response.context["attendance_open"]
    early = client.post(f"{BASE}sessions/{session.pk}/", {f"attendance_{seats[0].pk}": "attended"})
    assert early.status_code == 302
    assert not Enrolment.objects.exclude(attendance="").exists()

    time_machine.move_to(session.ends_at + timedelta(minutes=10))
    client.force_login(manager_user)  # a week later: the idle staff session has ended
    client.post(
        f"{BASE}sessions/{session.pk}/",
        {f"attendance_{seats[0].pk}": "no_show", "bulk": "attended"},
    )
    marks = dict(Enrolment.objects.filter(status="confirmed").values_list("pk", "attendance"))
    assert marks == {seats[0].pk: "no_show", seats[1].pk: "attended"}

    bad = client.post(f"{BASE}sessions/{session.pk}/", {f"attendance_{seats[0].pk}": "maybe"})
    assert bad.status_code == 200
    assert Enrolment.objects.get(pk=seats[0].pk).attendance == "no_show"


def test_csv_export_neutralises_formulas(client, manager_user):
    session = SessionFactory()
    enrol(session, member(first_name='=HYPERLINK("http://x")', last_name="+Dupont"))
    enrol(session, member(first_name="Anne", last_name="@Martin"))
    enrol(session, member(first_name="Luc", last_name="-Leroy"))
    client.force_login(manager_user)
    url = f"{BASE}sessions/{session.pk}/attendees.csv"
    # Names and addresses leave the portal: the password first, as for a data file.
    asked = client.get(url)
    assert asked.status_code == 302 and "/accounts/reauthenticate/" in asked["Location"]
    reauthenticate(client)
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Last name", "First name", "E-mail"]
    cells = [cell for row in rows[1:] for cell in row]
    assert "'+Dupont" in cells and "'@Martin" in cells and "'-Leroy" in cells
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    confirmed_at = timezone.localtime(Enrolment.objects.first().confirmed_at)
    assert rows[1][3] == confirmed_at.strftime("%Y-%m-%d %H:%M")  # Belgian time


def test_theme_create_edit_hide(client, manager_user):
    client.force_login(manager_user)
    client.post(
        f"{BASE}themes/new/",
        {
            "name_fr": "Transmission",
            "name_nl": "Overdracht",
            "name_en": "Handing over",
            "position": "95",
        },
    )
    theme = Theme.objects.get(name_en="Handing over")
    assert theme.slug == "handing-over"
    client.post(f"{BASE}themes/{theme.pk}/publish/", {"published": "0"})
    theme.refresh_from_db()
    assert not theme.is_published
    # A hidden theme no longer appears among the catalogue's filters.
    response = client.get("/en/programme/")
    assert "handing-over" not in {v for v, _ in response.context["form"].fields["theme"].choices}


def test_unknown_ids_are_404(client, manager_user):
    client.force_login(manager_user)
    for url in (
        f"{BASE}sessions/99999/",
        f"{BASE}modules/99999/edit/",
        f"{BASE}themes/99999/edit/",
    ):
        assert client.get(url).status_code == 404


def reauthenticate(client) -> None:
    """Confirm the password, as allauth asks before an export."""
    response = client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_session_list_queries_do_not_grow(client, manager_user):
    client.force_login(manager_user)
    session = SessionFactory(capacity=1)
    enrol(session, member())
    enrol(session, member())
    small = _count(client, BASE)
    for _ in range(15):
        session = SessionFactory(capacity=1)
        enrol(session, member())
        enrol(session, member())
    assert _count(client, BASE) == small
    assert _count(client, BASE + "?when=past") <= small
    assert small <= 8


def test_session_list_counts_each_sessions_waitlist(client, manager_user):
    client.force_login(manager_user)
    busy, quiet = SessionFactory(capacity=1), SessionFactory(capacity=1)
    for _ in range(4):  # a seat and three waiting
        enrol(busy, member())
    leaving = member()
    services.enrolment_cancel(enrolment_id=enrol(busy, leaving).pk, user=leaving)
    enrol(quiet, member())
    rows = {s.pk: s.waitlist_count for s in client.get(BASE).context["page"].object_list}
    assert rows[busy.pk] == 3 and rows[quiet.pk] == 0


def test_roster_queries_do_not_grow(client, manager_user, time_machine):
    session = SessionFactory(capacity=3)
    enrol(session, member())
    enrol(session, member())
    time_machine.move_to(session.starts_at + timedelta(minutes=1), tick=False)
    client.force_login(manager_user)  # once there: an idle staff session ends in 30 min
    reauthenticate(client)
    small = _count(client, f"{BASE}sessions/{session.pk}/")
    time_machine.move_to(session.starts_at - timedelta(days=1), tick=False)
    for _ in range(10):
        enrol(session, member())
    time_machine.move_to(session.starts_at + timedelta(minutes=1), tick=False)
    assert _count(client, f"{BASE}sessions/{session.pk}/") == small
    # Plus allauth's reauthentication check, which asks which second factors the manager
    # has: three queries, whatever the number of attendees.
    assert _count(client, f"{BASE}sessions/{session.pk}/attendees.csv") <= small + 3
    # The roster, its series box, and the record of moves and messages: a fixed few.
    assert small <= 10


def test_module_list_queries_do_not_grow(client, manager_user):
    client.force_login(manager_user)
    SessionFactory()
    small = _count(client, f"{BASE}modules/")
    SessionFactory.create_batch(10)
    assert _count(client, f"{BASE}modules/") == small


def test_theme_list_queries_do_not_grow(client, manager_user):
    client.force_login(manager_user)
    small = _count(client, f"{BASE}themes/")
    for theme in ThemeFactory.create_batch(10):
        ModuleFactory(themes=[theme])
    response = client.get(f"{BASE}themes/")
    assert len(response.context["themes"]) >= 19
    assert _count(client, f"{BASE}themes/") == small


def test_duplicate_a_module_to_offer_it_in_another_language(client, manager_user):
    module = ModuleFactory(title="Mieux dormir", themes=["sleep"], language="fr")
    client.force_login(manager_user)
    response = client.post(f"{BASE}modules/{module.pk}/duplicate/")
    copy = Module.objects.exclude(pk=module.pk).get()
    assert response["Location"] == f"{BASE}modules/{copy.pk}/edit/"
    assert copy.title == "Mieux dormir (copy)" and copy.slug == "mieux-dormir-copy"
    assert not copy.is_published
    assert list(copy.themes.values_list("slug", flat=True)) == ["sleep"]
    assert client.get(f"{BASE}modules/{module.pk}/duplicate/").status_code == 405


def test_admin_shows_programme_models_without_editing_seats(client):
    from tests.factories import UserFactory

    session = SessionFactory()
    enrol(session, member())
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    campaign = SurveyCampaignFactory()
    SessionFeedbackFactory(session=session)
    for name in (
        "theme",
        "module",
        "session",
        "enrolment",
        "enrolmentevent",
        "savedmodule",
        "surveys/sessionfeedback",
        "surveys/surveycampaign",
    ):
        path = name if "/" in name else f"programme/{name}"
        assert client.get(f"/admin/{path}/").status_code == 200, name
    assert client.get(f"/admin/surveys/surveycampaign/{campaign.pk}/change/").status_code == 200
    assert client.get(f"/admin/programme/session/{session.pk}/change/").status_code == 200
    response = client.post(f"/admin/programme/session/{session.pk}/change/", {"capacity": "0"})
    assert response.status_code == 403


def test_html_typed_into_text_fields_is_shown_as_text(client, manager_user, time_machine):
    """Titles, places, reasons, names and answers come from people: never markup."""
    mark = '<img src=x onerror="alert(1)">'
    session = SessionFactory(
        module=ModuleFactory(title=f"Atelier {mark}", summary=f"Résumé {mark}"),
        mode="in_person",
        venue=f"Salle {mark}",
        province="WNA",
    )
    participant = member(first_name=mark, last_name=mark)
    enrol(session, participant)
    for n in range(5):
        SessionFeedbackFactory(session=session, comment=f"Avis {n} {mark}")
    SurveyCampaignFactory(title=f"Enquête {mark}", intro=f"Intro {mark}")
    pages = [
        "/en/programme/",
        f"/en/programme/modules/{session.module.slug}/",
        f"/en/programme/sessions/{session.pk}/",
        f"{BASE}sessions/{session.pk}/",
        f"{BASE}feedback/modules/{session.module.pk}/",
        f"{BASE}campaigns/",
    ]
    time_machine.move_to(session.starts_at + timedelta(minutes=5), tick=False)
    client.force_login(manager_user)  # once there: an idle staff session ends in 30 min
    services.session_cancel(session_id=session.pk, reason=f"Reason {mark}", actor=manager_user)
    for url in pages:
        body = client.get(url).content.decode()
        assert mark not in body and "&lt;img src=x" in body, url
    client.force_login(participant)
    body = client.get("/en/dashboard/parcours/").content.decode()
    assert "Reason &lt;img" in body and mark not in body
