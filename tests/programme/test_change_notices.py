"""The notice of a changed session says exactly what changed, before → now, in the
reader's language and in Belgian time, and its subject names the change."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications.models import DeliveryStatus
from notifications.registry import Skip
from notifications.rendering import render_delivery
from programme import emails, services
from programme.models import SessionMode
from tests.programme.factories import ModuleFactory, SessionFactory
from tests.programme.helpers import deliveries, enrol, person, render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_mail")]

BRUSSELS = ZoneInfo("Europe/Brussels")
# Tuesday 10 March 2026, 14:30–16:00 in Brussels.
STARTS = datetime(2026, 3, 10, 14, 30, tzinfo=BRUSSELS)
TITLE = "Dormir mieux quand on dirige"
OLD_LINK = "https://visio.example.org/dormir-1"
NEW_LINK = "https://visio.example.org/dormir-2"


@pytest.fixture(autouse=True)
def _before_the_session(time_machine):
    time_machine.move_to(datetime(2026, 3, 1, 9, 0, tzinfo=BRUSSELS), tick=False)


def webinar(**fields):
    values = {
        "module": ModuleFactory(title=TITLE, format="webinar"),
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(minutes=90),
        "join_url": OLD_LINK,
        **fields,
    }
    return SessionFactory(**values)


def workshop(**fields):
    return webinar(
        mode=SessionMode.IN_PERSON,
        join_url="",
        venue="Maison des entrepreneurs",
        address="Rue Haute 1, 1000 Bruxelles",
        province="BRU",
        **fields,
    )


# Subjects are folded on one line by the mailer, with plain spaces.
def notice_after(session, user, **change):
    services.session_update(session_id=session.pk, actor=person(), **change)
    return render(deliveries(emails.SESSION_CHANGED).get(recipient=user))


def shifted(session, **delta):
    by = timedelta(**delta)
    return {"starts_at": session.starts_at + by, "ends_at": session.ends_at + by}


def test_a_new_date_lists_the_old_and_new_day_in_french():
    session, user = webinar(), person(language="fr")
    enrol(session, user)
    email = notice_after(session, user, **shifted(session, days=2))
    assert email.subject == f"Nouvelle date : {TITLE}, désormais le 12 mars"
    assert "- Date\u00a0: mardi 10 mars 2026 → jeudi 12 mars 2026" in email.text
    assert "- Heure" not in email.text  # the time did not move
    assert "mardi 10 mars 2026 → jeudi 12 mars 2026" in email.html


def test_a_new_time_only_says_new_time_not_new_date_in_dutch():
    session, user = webinar(), person(language="nl")
    enrol(session, user)
    email = notice_after(session, user, **shifted(session, hours=1))
    assert email.subject == f"Nieuw tijdstip: {TITLE} op 10 maart, nu om 15:30"
    assert "- Tijdstip: 14:30–16:00 → 15:30–17:00" in email.text
    assert "Datum:" not in email.text


def test_a_new_place_lists_the_old_and_new_address():
    session, user = workshop(), person(language="fr")
    enrol(session, user)
    email = notice_after(session, user, venue="Salle Europa", address="Rue Basse 2, 5000 Namur")
    assert email.subject == f"Nouveau lieu : {TITLE} le 10 mars"
    assert (
        "- Lieu\u00a0: Maison des entrepreneurs, Rue Haute 1, 1000 Bruxelles (Région de Bruxelles-Capitale) → "
        "Salle Europa, Rue Basse 2, 5000 Namur (Région de Bruxelles-Capitale)"
    ) in email.text


def test_a_new_link_goes_to_confirmed_seats_only():
    session, user, waiting = webinar(capacity=1), person(language="nl"), person()
    enrol(session, user)
    enrol(session, waiting)
    email = notice_after(session, user, join_url=NEW_LINK)
    assert email.subject == f"Nieuwe link: {TITLE} op 10 maart"
    assert f"{OLD_LINK} → {NEW_LINK}" in email.text
    assert f'<a href="{NEW_LINK}">' in email.html
    # The link is for seats only: the person waiting is not told of it.
    assert not deliveries(emails.SESSION_CHANGED).filter(recipient=waiting).exists()


def test_going_online_is_a_change_of_format():
    session, user = workshop(), person(language="fr")
    enrol(session, user)
    email = notice_after(session, user, mode=SessionMode.ONLINE, join_url=NEW_LINK)
    assert email.subject == f"Désormais en ligne : {TITLE} le 10 mars"
    assert "- Format\u00a0: Sur place\u00a0: Maison des entrepreneurs" in email.text
    assert "→ En ligne" in email.text


def test_several_changes_list_each_and_the_subject_says_several():
    session, user = workshop(), person(language="fr")
    enrol(session, user)
    moved = shifted(session, days=7, hours=-1)
    email = notice_after(session, user, venue="Salle Europa", **moved)
    assert email.subject == f"Plusieurs changements : {TITLE}, désormais le 17 mars"
    text = email.text
    assert "- Date\u00a0: mardi 10 mars 2026 → mardi 17 mars 2026" in text
    assert "- Heure\u00a0: 14:30–16:00 → 13:30–15:00" in text
    assert "- Lieu\u00a0: Maison des entrepreneurs, " in text
    assert text.index("- Date") < text.index("- Heure") < text.index("- Lieu")


def test_a_new_date_and_time_have_their_own_subject():
    session, user = webinar(), person(language="fr")
    enrol(session, user)
    email = notice_after(session, user, **shifted(session, days=1, hours=2))
    assert email.subject == (
        f"Nouvelle date et nouvel horaire : {TITLE}, désormais le 11 mars à 16:30"
    )


def test_times_are_belgian_across_the_clock_change():
    # 24 March 2026 is before, 31 March after the switch to summer time (29 March).
    starts = datetime(2026, 3, 24, 10, 0, tzinfo=BRUSSELS)
    session, user = webinar(starts_at=starts, ends_at=starts + timedelta(hours=1)), person()
    enrol(session, user)
    week = timedelta(days=7)
    in_utc = {"starts_at": starts.astimezone(UTC) + week, "ends_at": session.ends_at + week}
    in_utc["ends_at"] = in_utc["starts_at"] + timedelta(hours=1)
    email = notice_after(session, user, **in_utc)
    assert "mardi 24 mars 2026 → mardi 31 mars 2026" in email.text
    # Seven times 24 hours later is 11:00 on the Belgian clock: the time moved too.
    assert "10:00–11:00 → 11:00–12:00" in email.text


def test_each_change_is_told_once_and_a_second_save_tells_nobody(
    django_capture_on_commit_callbacks,
):
    session, user = webinar(), person()
    enrol(session, user)
    mail.outbox.clear()
    change = shifted(session, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session_id=session.pk, actor=person(), **change)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session_id=session.pk, actor=person(), **change)
    notices = deliveries(emails.SESSION_CHANGED)
    assert notices.count() == 1
    assert notices.get().status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_two_changes_before_sending_tell_from_what_the_member_knew(time_machine):
    session, user = webinar(), person()
    enrol(session, user)
    # Recorded but not sent yet (no commit here): the second change overtakes the first.
    services.session_update(session_id=session.pk, actor=person(), **shifted(session, days=1))
    time_machine.shift(timedelta(seconds=1))
    services.session_update(session_id=session.pk, actor=person(), **shifted(session, days=2))
    first, latest = deliveries(emails.SESSION_CHANGED)
    assert first.context["before"] == latest.context["before"]
    email = render(latest)
    assert "mardi 10 mars 2026 → jeudi 12 mars 2026" in email.text


def test_a_session_moved_back_before_sending_is_not_news(time_machine):
    session, user = webinar(), person()
    enrol(session, user)
    original = {"starts_at": session.starts_at, "ends_at": session.ends_at}
    services.session_update(session_id=session.pk, actor=person(), **shifted(session, days=1))
    time_machine.shift(timedelta(seconds=1))
    services.session_update(session_id=session.pk, actor=person(), **original)
    latest = deliveries(emails.SESSION_CHANGED).last()
    assert isinstance(render_delivery(latest), Skip)


def test_a_link_left_over_on_an_in_person_session_is_not_news():
    session = workshop()
    enrol(session, person())
    services.session_update(session_id=session.pk, actor=person(), join_url=NEW_LINK)
    assert not deliveries(emails.SESSION_CHANGED).exists()
