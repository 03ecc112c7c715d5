"""Replays, slides and practical sheets attached to a session: who may attach them, what
is refused (links, sizes, types), who is told (once, in their language) and who may open
them."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.roles import Role
from notifications.models import Delivery
from programme.material_emails import MATERIAL_ADDED, material_notices
from programme.models import EnrolmentStatus, MaterialKind, SessionMaterial
from programme.services.material import material_attach
from tests.factories import member, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory
from tests.programme.helpers import person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<xml/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PROGRAMME_MATERIAL_MAX_BYTES = 1024


@pytest.fixture
def past_session():
    start = timezone.now() - timedelta(days=1)
    return SessionFactory(
        module=ModuleFactory(title="Mieux dormir", slug="mieux-dormir"),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )


def attach(session, manager, **fields):
    data = {"kind": MaterialKind.SLIDES, "title": "Les slides", **fields}
    return material_attach(session_id=session.pk, actor=manager, **data)


def test_a_manager_attaches_a_replay_and_each_enrolee_is_told_once_in_their_language(
    client, manager_user, past_session, django_capture_on_commit_callbacks
):
    french, dutch = person(language="fr"), person(language="nl")
    waiting = person(language="fr")
    gone = person(language="fr")
    EnrolmentFactory(session=past_session, user=french)
    EnrolmentFactory(session=past_session, user=dutch, attendance="attended")
    EnrolmentFactory(session=past_session, user=waiting, status=EnrolmentStatus.WAITLISTED)
    EnrolmentFactory(session=past_session, user=gone, status=EnrolmentStatus.CANCELLED)
    client.force_login(manager_user)
    url = f"/en/programme/manage/sessions/{past_session.pk}/material/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"kind": "replay", "title": "Le replay", "url": "https://video.example.org/r/1"},
        )
    assert response.status_code == 302
    material = SessionMaterial.objects.get()
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {french.email, dutch.email, waiting.email}
    assert sent[french.email].subject == "Replay disponible : Mieux dormir"
    assert sent[dutch.email].subject == "Opname beschikbaar: Mieux dormir"
    assert "tu le retrouves" in sent[french.email].body
    # Told once: the same material never makes a second message for the same person.
    with django_capture_on_commit_callbacks(execute=True):
        assert material_notices(material) == []
    assert Delivery.objects.filter(kind=MATERIAL_ADDED).count() == 3


def test_the_participant_sees_the_material_on_the_session_page_and_others_do_not(
    client, manager_user, past_session
):
    participant, stranger = member(), member()
    EnrolmentFactory(session=past_session, user=participant)
    attach(past_session, manager_user, url="https://video.example.org/r/2", title="Mon replay")
    client.force_login(participant)
    page = client.get(f"/en/programme/sessions/{past_session.pk}/").content.decode()
    assert "Mon replay" in page and "https://video.example.org/r/2" in page
    client.force_login(stranger)
    page = client.get(f"/en/programme/sessions/{past_session.pk}/").content.decode()
    assert "Mon replay" not in page


def test_the_module_page_keeps_material_for_later_only_when_the_manager_allows(
    client, manager_user, past_session
):
    attach(past_session, manager_user, url="https://a.example.org/x", title="Gardé")
    attach(past_session, manager_user, url="https://a.example.org/y", title="Privé", kind="sheet")
    SessionMaterial.objects.filter(title="Gardé").update(visible_later=True)
    client.force_login(member())
    page = client.get("/en/programme/modules/mieux-dormir/").content.decode()
    assert "Gardé" in page and "Privé" not in page


def test_a_file_is_served_to_the_right_people_only(client, manager_user, past_session):
    participant, stranger = member(), member()
    EnrolmentFactory(session=past_session, user=participant)
    material = attach(
        past_session, manager_user, upload=SimpleUploadedFile("Slides séance.pdf", PDF)
    )
    url = f"/en/programme/material/{material.pk}/file/"
    assert client.get(url).status_code == 302  # visitors log in first
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(participant)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    # The stored name says nothing of the manager's file name.
    assert "séance" not in material.file.name
    # Shown to everyone later: any signed-in member may open it.
    SessionMaterial.objects.filter(pk=material.pk).update(visible_later=True)
    client.force_login(stranger)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("slides.pdf", PDF),
        ("photo.png", PNG),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16),
        ("deck.pptx", office("ppt/presentation.xml")),
        ("fiche.docx", office("word/document.xml")),
    ],
)
def test_accepted_types(manager_user, past_session, name, content):
    material = attach(past_session, manager_user, upload=SimpleUploadedFile(name, content))
    assert material.file_name == name
    assert material.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("virus.exe", b"MZ\x90\x00", "Only PDF"),
        ("page.html", b"<html></html>", "Only PDF"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not the pdf"),
        ("fake.docx", office("ppt/presentation.xml"), "not the docx"),
        ("broken.pptx", b"PK\x03\x04 not really a zip", "not the pptx"),
        ("large.pdf", PDF + b"0" * 2048, "too large"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(
    client, manager_user, past_session, name, content, says
):
    client.force_login(manager_user)
    response = client.post(
        f"/en/programme/manage/sessions/{past_session.pk}/material/",
        {"kind": "slides", "title": "Slides", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not SessionMaterial.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example.org/a.pdf", "video.example.org/r", "file:///x"],
)
def test_a_link_must_be_http_or_https(client, manager_user, past_session, url):
    client.force_login(manager_user)
    response = client.post(
        f"/en/programme/manage/sessions/{past_session.pk}/material/",
        {"kind": "replay", "title": "Replay", "url": url},
    )
    assert response.status_code == 200
    assert "must start with http:// or https://" in response.content.decode()
    assert not SessionMaterial.objects.exists()


def test_file_and_link_together_or_neither_are_refused(client, manager_user, past_session):
    client.force_login(manager_user)
    url = f"/en/programme/manage/sessions/{past_session.pk}/material/"
    for data in (
        {"kind": "slides", "title": "A"},
        {
            "kind": "slides",
            "title": "B",
            "url": "https://a.example.org",
            "file": SimpleUploadedFile("a.pdf", PDF),
        },
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert "either a file or a link" in response.content.decode()
    assert not SessionMaterial.objects.exists()


def test_the_same_material_twice_is_one_row(client, manager_user, past_session):
    client.force_login(manager_user)
    url = f"/en/programme/manage/sessions/{past_session.pk}/material/"
    data = {"kind": "replay", "title": "Replay", "url": "https://a.example.org/r"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already has material" in response.content.decode()
    assert SessionMaterial.objects.count() == 1


def test_no_material_before_the_session_begins_or_once_cancelled(client, manager_user):
    client.force_login(manager_user)
    upcoming = SessionFactory()
    response = client.post(
        f"/en/programme/manage/sessions/{upcoming.pk}/material/",
        {"kind": "replay", "title": "R", "url": "https://a.example.org/r"},
    )
    assert "once the session has begun" in response.content.decode()
    assert not SessionMaterial.objects.exists()


def test_managers_only(client, past_session):
    url = f"/en/programme/manage/sessions/{past_session.pk}/material/"
    for role in (Role.MEMBER, Role.AMBASSADOR, Role.ADVISOR):
        client.force_login(member() if role is Role.MEMBER else staff(role))
        assert client.get(url).status_code == 403


def test_visibility_toggle_and_removal(client, manager_user, past_session, settings):
    material = attach(past_session, manager_user, upload=SimpleUploadedFile("s.pdf", PDF))
    client.force_login(manager_user)
    client.post(f"/en/programme/manage/material/{material.pk}/visibility/", {"visible_later": "1"})
    material.refresh_from_db()
    assert material.visible_later
    stored = settings.MEDIA_ROOT / material.file.name
    assert stored.exists()
    client.post(f"/en/programme/manage/material/{material.pk}/remove/")
    assert not SessionMaterial.objects.exists()


def test_session_page_queries_do_not_grow_with_material(client, manager_user, past_session):
    participant = member()
    EnrolmentFactory(session=past_session, user=participant)
    client.force_login(participant)
    url = f"/en/programme/sessions/{past_session.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    attach(past_session, manager_user, url="https://a.example.org/0", title="T0")
    small = count()
    for n in range(1, 8):
        attach(past_session, manager_user, url=f"https://a.example.org/{n}", title=f"T{n}")
    assert count() == small


def test_a_visitor_sees_material_kept_for_later_as_soon_as_it_is_attached(
    client, manager_user, past_session
):
    url = "/fr/programme/modules/mieux-dormir/"
    assert "Pour rattraper" not in client.get(url).content.decode()  # now in the page cache
    attach(past_session, manager_user, url="https://a.example.org/r", visible_later=True)
    page = client.get(url).content.decode()
    assert "Pour rattraper" in page and "Les slides" in page
