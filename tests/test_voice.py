"""The programme's voice (docs/voice.md): members are addressed with "tu" in French and
"je" in Dutch; staff pages may say "vous" and "u".

Each catalogue entry is read with the source files it comes from (its "#:" lines). An
entry any member can meet, that is one with a source outside the staff paths below, may not
say "vous", "votre", "vos" or give a "vous" imperative in French, nor "u", "uw" in Dutch.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"

# Pages, forms and e-mails only staff read: advisors, ambassadors, managers, administrators.
# A Python module that serves both sides (a form module with a member form and an advisor
# form) is listed when its staff strings need "vous"; its member strings then rely on review.
STAFF_SOURCES = re.compile(
    r"""^(
        .*/manage/.*
      | .*manage_views\.py
      | common/upstream_strings\.py
      | members/mfa\.py
      | members/team_.*\.py
      | common/history\.py
      | templates/partials/history\.html
      | templates/members/(team_.*|invitation_.*)\.html
      | templates/members/email/invitation_.*
      | templates/mfa/.*
      | templates/admin/.*
      | templates/notifications/(delivery_list\.html|email/email_check\..*)
      | templates/dashboards/(advisor_home|ambassador_home|manager_home|no_role|statistics
            |impact|report|_report_body|report_pdf)\.html
      | templates/referrals/(_advisor_home|_ambassador_home|_manager_home|alert_settings|_case_search_form
            |case_.*|_case_callback|callback_.*|queue.*|signal_.*|partner_import|partner_list|partner_form
            |partner_base|partner_referral|_partner_referral|partner_link_invalid|partner_space.*
            |partner_staff)\.html
      | templates/referrals/email/(advisor_digest|case_overdue|urgent_case|signal_handled
            |case_handed_over|partner_referral|partner_reminder|partner_silent|callback_reminder
            |partner_staff_invitation_.*)\..*
      | referrals/(case_forms|case_views|search_views|selectors/search|emails|forms|services.*|hsds/.*
            |partner_views|partner_space_views|partner_emails|callback_.*)\.py
      | programme/forms\.py
      | programme/(material_forms|material_views|tracks_forms|tracks_views)\.py
      | programme/selectors/tracks\.py
      | templates/programme/(my_training|_training_home|_track_steps)\.html
      | programme/services/.*\.py
      | surveys/(forms|services|feedback_services|roundtable_forms|roundtable_services)\.py
      | programme/models/.*
      | referrals/models/.*\.py
      | dashboards/(statistics|impact|report)\.py
      | assessments/impact\.py
    )$""",
    re.VERBOSE,
)

FRENCH_VOUS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)
# "Choisissez", "Connectez" and the like; "chez" and "assez" are not verbs.
FRENCH_VOUS_IMPERATIVE = re.compile(r"\b(?!chez\b|assez\b|nez\b)\w+ez\b", re.IGNORECASE)
DUTCH_U = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)


@dataclass
class Entry:
    msgid: str = ""
    sources: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    msgstrs: list[str] = field(default_factory=list)

    @property
    def member_facing(self) -> bool:
        return any(not STAFF_SOURCES.match(source) for source in self.sources)


def _unquote(line: str) -> str:
    # A .po string is a C string: its escapes read as JSON's.
    return json.loads(line[line.index('"') :])


def read_catalogue(language: str) -> list[Entry]:
    """A small .po reader: msgid, msgstr (plural forms too), sources and flags."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry.msgid:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#:"):
            entry.sources += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("msgid "):
            entry.msgid, target = _unquote(line), "msgid"
        elif line.startswith("msgid_plural "):
            target = "plural"
        elif line.startswith("msgstr"):
            entry.msgstrs.append(_unquote(line))
            target = "msgstr"
        elif line.startswith('"'):
            if target == "msgid":
                entry.msgid += _unquote(line)
            elif target == "msgstr":
                entry.msgstrs[-1] += _unquote(line)
    return entries


def offending(language: str, pattern: re.Pattern) -> list[tuple[str, str]]:
    return [
        (entry.msgid, msgstr)
        for entry in read_catalogue(language)
        if entry.member_facing
        for msgstr in entry.msgstrs
        if pattern.search(msgstr.replace("rendez-vous", ""))
    ]


def test_the_reader_sees_the_whole_catalogue():
    entries = {entry.msgid: entry for entry in read_catalogue("fr")}
    assert len(entries) > 1000
    line = entries["Free and anonymous, 24 hours a day (French)"]
    assert line.sources == ["common/helplines.py"]
    assert line.msgstrs == ["Gratuit et anonyme, 24 h/24 (en français)"]
    plural = entries["%(counter)s question, answered once, without logging in."]
    assert len(plural.msgstrs) == 3


def test_member_facing_french_says_tu():
    assert offending("fr", FRENCH_VOUS) == []


def test_member_facing_french_invites_rather_than_orders_with_vous():
    assert offending("fr", FRENCH_VOUS_IMPERATIVE) == []


def test_member_facing_dutch_says_je():
    assert offending("nl", DUTCH_U) == []


def test_staff_pages_may_keep_vous():
    """The allow-list is not a blanket: it still holds staff strings that say "vous"."""
    staff = [e for e in read_catalogue("fr") if e.sources and not e.member_facing]
    assert any(FRENCH_VOUS.search(s) for e in staff for s in e.msgstrs)


def test_the_instruments_own_texts_say_tu():
    """Items and instructions keep the validated wording; what the portal wrote around
    them (what a questionnaire is about, a band's label and summary) says "tu"."""
    instruments = Path(__file__).resolve().parent.parent / "assessments" / "instruments"
    texts = []
    for path in sorted(instruments.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        parts = [data, *data.get("subscales", [])]
        texts += [(path.name, part["about"]["fr"]) for part in parts if "about" in part]
        for band in data["bands"]:
            texts += [(path.name, band["label"]["fr"]), (path.name, band["summary"]["fr"])]
    assert len(texts) > 20
    assert [text for text in texts if FRENCH_VOUS.search(text[1])] == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_no_entry_is_empty_or_fuzzy(language):
    entries = read_catalogue(language)[1:]  # the header has an empty msgid
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in entries if not e.msgstrs or "" in e.msgstrs] == []
