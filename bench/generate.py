"""Fill a PostgreSQL database to the fund's design scale, for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wb_bench .venv/bin/python bench/generate.py

150,000 members (most seats held by about 15,000 active ones), 300 modules, 6,000
sessions over three years (30 months past, 6 to come), about 936,000 enrolments
(confirmed, waitlisted, cancelled by the member or the organiser, attendance marked on
past sessions), one message per enrolment in the delivery log, 20,000 listening-cell
cases and 500,000 stored self-assessment results (issue 19's scale; BENCH_RESULTS);
10,000 of the active members gave the research consent and have a first and a 3-month
evaluation measure of the WHO-5 (half of them a 6-month one too). Everything is written
by set-based INSERT … SELECT over generate_series inside PostgreSQL, so it takes a few
minutes rather than hours; the database is migrated first and emptied of earlier bench
rows. Deterministic: the same figures on every run.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")
os.environ.setdefault("DEBUG", "1")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("bench/generate.py needs DATABASE_URL pointing at PostgreSQL")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "150000"))
ACTIVE = MEMBERS // 10
MODULES = 300
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "6000"))
CASES = 20_000
RESULTS = int(os.environ.get("BENCH_RESULTS", "500000"))
RESEARCH = int(os.environ.get("BENCH_RESEARCH", "10000"))
PASSWORD = "bench-password"

TABLES = (
    "referrals_caseevent",
    "referrals_caseneed",
    "referrals_caseaccess",
    "referrals_referral",
    "referrals_case",
    "assessments_assessmentresult",
    "notifications_delivery",
    "notifications_messagepreference",
    "programme_enrolmentevent",
    "programme_sessionfeedback",
    "programme_enrolment",
    "programme_session",
    "programme_savedmodule",
    "programme_module_themes",
    "programme_searchword",
    "programme_module",
    "programme_theme",
    "members_memberprofile",
    "members_user_groups",
    "members_user",
)

STEPS = [
    (
        "themes",
        """
        INSERT INTO programme_theme (id, slug, name_fr, name_nl, name_en, position, is_published)
        SELECT i, 'theme-' || i, 'Thème ' || i, 'Thema ' || i, 'Theme ' || i, i, true
        FROM generate_series(1, 12) i
        """,
    ),
    (
        "modules",
        """
        INSERT INTO programme_module (id, slug, title, summary, description, format, content_kind,
            language, duration_minutes, provider, external_url, audience_notes, is_published,
            search_text, created_at, updated_at)
        SELECT i, 'module-' || i, 'Module ' || i || ' : ressources et sommeil',
            'Un module pour renforcer tes ressources', repeat('Texte du module. ', 40),
            (ARRAY['webinar','workshop','webinar','workshop','digital_tool','content'])[1 + i %% 6],
            CASE WHEN i %% 6 = 5 THEN 'article' ELSE '' END,
            (ARRAY['fr','fr','nl','en'])[1 + i %% 4], 90, 'Partenaire ' || (i %% 7),
            CASE WHEN i %% 6 = 4 THEN 'https://example.org/tool/' || i ELSE '' END, '',
            i %% 10 <> 0, 'module ' || i || ' ressources sommeil', now(), now()
        FROM generate_series(1, %(modules)s) i
        """,
    ),
    (
        "search words",
        """
        INSERT INTO programme_searchword (word)
        SELECT DISTINCT w FROM programme_module, regexp_split_to_table(search_text, ' ') w
        WHERE length(w) BETWEEN 1 AND 60
        """,
    ),
    (
        "module themes",
        """
        INSERT INTO programme_module_themes (module_id, theme_id)
        SELECT i, 1 + i %% 12 FROM generate_series(1, %(modules)s) i
        UNION ALL SELECT i, 1 + (i * 5 + 3) %% 12 FROM generate_series(1, %(modules)s) i
            WHERE i %% 3 = 0 AND (i * 5 + 3) %% 12 <> i %% 12
        """,
    ),
    (
        "users",
        """
        INSERT INTO members_user (id, password, is_superuser, first_name, last_name, is_staff,
            is_active, date_joined, email)
        SELECT i, %(password)s, false, 'Prénom' || i, 'Nom' || i, false, true,
            now() - (i %% 1000) * interval '1 day', 'member' || i || '@bench.example'
        FROM generate_series(1, %(members)s) i
        """,
    ),
    (
        "profiles",
        """
        INSERT INTO members_memberprofile (preferred_language, province, postcode, activity_sector,
            self_employment, phone, created_at, updated_at, user_id)
        SELECT (ARRAY['fr','fr','nl','nl','en'])[1 + i %% 5],
            (ARRAY['BRU','WBR','WHT','WLG','WLX','WNA','VAN','VBR','VLI','VOV','VWV'])[1 + i %% 11],
            '', '', '', '', now(), now(), i
        FROM generate_series(1, %(members)s) i
        """,
    ),
    (
        # Every member takes every kind of message: those off by default are turned on.
        "message preferences",
        """
        INSERT INTO notifications_messagepreference (user_id, category, enabled, updated_at)
        SELECT i, c, true, now()
        FROM generate_series(1, %(members)s) i, unnest(ARRAY['programme_news','reassessment']) c
        """,
    ),
    (
        "member role",
        """
        INSERT INTO members_user_groups (user_id, group_id)
        SELECT i, (SELECT id FROM auth_group WHERE name = 'member')
        FROM generate_series(1, %(members)s) i
        """,
    ),
    (
        "sessions",
        # Modules 1 and 2 of each six are webinars and workshops; sessions spread evenly
        # from 30 months ago to 6 months ahead, a few cancelled, a few unpublished drafts.
        """
        INSERT INTO programme_session (id, starts_at, ends_at, mode, join_url, venue, address,
            province, capacity, confirmed_count, registration_deadline, is_published, cancelled_at,
            cancellation_reason, sequence, created_at, updated_at, module_id)
        SELECT i, s.starts_at, s.starts_at + interval '2 hours',
            CASE WHEN s.webinar THEN 'online' ELSE 'in_person' END,
            CASE WHEN s.webinar THEN 'https://meet.example.org/' || i ELSE '' END,
            CASE WHEN s.webinar THEN '' ELSE 'Salle ' || i %% 40 END,
            CASE WHEN s.webinar THEN '' ELSE 'Rue ' || i %% 40 || ', Namur' END,
            CASE WHEN s.webinar THEN ''
                ELSE (ARRAY['BRU','WBR','WHT','WLG','WLX','WNA','VAN','VBR','VLI','VOV','VWV'])[1 + i %% 11]
            END,
            CASE WHEN i %% 25 = 0 THEN NULL WHEN s.webinar THEN 160 + (i %% 5) * 60 ELSE 120 END,
            0, NULL, i %% 50 <> 7,
            CASE WHEN i %% 40 = 3 THEN s.starts_at - interval '3 days' END,
            CASE WHEN i %% 40 = 3 THEN 'Intervenant indisponible' ELSE '' END,
            CASE WHEN i %% 40 = 3 THEN 1 ELSE 0 END, now(), now(), s.module_id
        FROM generate_series(1, %(sessions)s) i
        CROSS JOIN LATERAL (
            SELECT date_trunc('hour', now()) - interval '30 months'
                    + (i * (36 * 30.4 * 24 * 3600 / %(sessions)s)) * interval '1 second'
                    + interval '9 hours' AS starts_at,
                6 * ((i * 7) %% 50) + 1 + (i %% 2) AS module_id,
                i %% 2 = 0 AS webinar
        ) s
        """,
    ),
    (
        "enrolments",
        # About 156 enrolments a session: seat k of session i goes to one of the ~15,000
        # active members (four in five) or to anyone; k * 13 keeps them distinct within
        # a session. Up to capacity: confirmed, one in ten cancelled by the member; the
        # rest waitlisted; every one of a cancelled session cancelled by the organiser.
        """
        INSERT INTO programme_enrolment (status, queued_at, confirmed_at, cancelled_at,
            cancelled_by_organiser, attendance, created_at, updated_at, user_id, session_id)
        SELECT e.status, e.queued_at,
            CASE WHEN e.status = 'confirmed' THEN e.queued_at END,
            CASE WHEN e.status = 'cancelled' THEN e.queued_at + interval '2 days' END,
            e.by_organiser,
            CASE WHEN e.status = 'confirmed' AND s.starts_at < now() THEN
                (ARRAY['attended','attended','attended','attended','attended','attended',
                       'attended','no_show','no_show',''])[1 + (s.id + e.k) %% 10]
                ELSE '' END,
            e.queued_at, e.queued_at,
            CASE WHEN e.k %% 5 = 4 THEN %(active)s + 1 + (s.id * 7 + e.k * 13) %% (%(members)s - %(active)s)
                ELSE 1 + (s.id * 7919 + e.k * 13) %% %(active)s END,
            s.id
        FROM programme_session s
        CROSS JOIN LATERAL generate_series(0, 99 + (s.id * 37) %% 113) AS g(k)
        CROSS JOIN LATERAL (
            SELECT g.k AS k, s.starts_at - interval '30 days' + g.k * interval '5 minutes' AS queued_at,
                CASE WHEN s.cancelled_at IS NOT NULL THEN 'cancelled'
                     WHEN s.capacity IS NOT NULL AND g.k >= s.capacity THEN 'waitlisted'
                     WHEN g.k %% 10 = 9 THEN 'cancelled'
                     ELSE 'confirmed' END AS status,
                s.cancelled_at IS NOT NULL AS by_organiser
        ) e
        WHERE s.is_published
        """,
    ),
    (
        "seat counters",
        """
        UPDATE programme_session s SET confirmed_count = c.n
        FROM (SELECT session_id, count(*) n FROM programme_enrolment
              WHERE status = 'confirmed' GROUP BY session_id) c
        WHERE c.session_id = s.id
        """,
    ),
    (
        "deliveries",
        """
        INSERT INTO notifications_delivery (kind, intent_key, context, due_at, status, attempts,
            last_error, skip_reason, subject, address, language, sent_at, created_at, updated_at,
            recipient_id)
        SELECT CASE e.status WHEN 'waitlisted' THEN 'programme.waitlist_joined'
                ELSE 'programme.enrolment_confirmed' END,
            'enrolment:' || e.id, jsonb_build_object('enrolment_id', e.id), e.queued_at, 'sent', 1,
            '', '', 'Ton inscription', 'member' || e.user_id || '@bench.example', 'fr',
            e.queued_at, e.queued_at, e.queued_at, e.user_id
        FROM programme_enrolment e
        """,
    ),
    (
        "cases",
        """
        INSERT INTO referrals_case (source, status, outcome, agreement_confirmed, contact_name,
            contact_phone, contact_email, preferred_channel, time_slots, language, region, urgency,
            urgent, message, first_contact_due, first_contact_at, follow_up_on, closed_at, created_at,
            updated_at, assigned_to_id, member_id)
        SELECT CASE WHEN i %% 5 = 0 THEN 'signal' ELSE 'request' END,
            c.status,
            CASE WHEN c.status = 'closed' THEN 'handled_by_cell' ELSE '' END,
            true, 'Membre ' || i, '+32470000000', '', 'phone', '["morning"]'::jsonb,
            'fr', (ARRAY['BRU','WBR','WHT','WLG','WLX','WNA','VAN','VBR','VLI','VOV','VWV'])[1 + i %% 11],
            1 + i %% 3, i %% 50 = 0, 'Je voudrais en parler', c.created_at + interval '2 days',
            CASE WHEN c.status <> 'new' THEN c.created_at + interval '1 day' END, NULL,
            CASE WHEN c.status = 'closed' THEN c.created_at + interval '20 days' END,
            c.created_at, c.created_at,
            CASE WHEN c.status <> 'new' THEN %(members)s + 1 + i %% 12 END,
            1 + (i * 31) %% %(members)s
        FROM generate_series(1, %(cases)s) i
        CROSS JOIN LATERAL (
            SELECT now() - (i %% 1000) * interval '1 day' - (i %% 24) * interval '1 hour' AS created_at,
                CASE WHEN i %% 1000 < 3 THEN 'new' WHEN i %% 1000 < 30 THEN 'in_progress'
                     WHEN i %% 1000 < 60 THEN 'oriented' ELSE 'closed' END AS status
        ) c
        """,
    ),
    (
        "results",
        """
        INSERT INTO assessments_assessmentresult (instrument, instrument_version, language, answers,
            score, band, subscales, acute, submission_key, created_at, user_id)
        SELECT 'who5', '1', 'fr', '[3,3,3,3,3]'::jsonb, 60, 'moderate', '{}'::jsonb, false,
            'bench-' || i, now() - (i %% 900) * interval '1 day', 1 + (i * 13) %% %(active)s
        FROM generate_series(1, %(results)s) i
        """,
    ),
]


# The research consent and its pseudonymised measures (bench/stack.py runs it alone,
# with BENCH_RESEARCH_ONLY=1, on a database generated before it existed).
RESEARCH_STEP = (
    "research",
    """
    DELETE FROM members_consent WHERE kind = 'research';
    DELETE FROM assessments_researchparticipant;
    INSERT INTO members_consent (user_id, kind, text_version, given_at)
    SELECT i, 'research', '2026-12', now() - interval '200 days'
    FROM generate_series(1, %(research)s) i;
    INSERT INTO assessments_researchparticipant (user_id, pseudonym, created_at)
    SELECT i, md5('bench-' || i)::uuid, now() - interval '200 days'
    FROM generate_series(1, %(research)s) i;
    INSERT INTO assessments_evaluationmeasure (participant_id, instrument, wave, score, taken_on)
    SELECT p.id, 'who-5', w, 20 + (p.id * 7 + w * 11) %% 70, current_date - 200 + w * 30
    FROM assessments_researchparticipant p
    CROSS JOIN unnest(ARRAY[0, 3, 6]) w
    WHERE w < 6 OR p.id %% 2 = 0
    """,
)


def advisors() -> str:
    """Twelve advisors after the members (the cases' owners), in the advisor role."""
    return """
        INSERT INTO members_user (id, password, is_superuser, first_name, last_name, is_staff,
            is_active, date_joined, email)
        SELECT %(members)s + i, %(password)s, false, 'Conseil', 'Ler' || i, true, true, now(),
            'advisor' || i || '@bench.example'
        FROM generate_series(1, 12) i;
        INSERT INTO members_user_groups (user_id, group_id)
        SELECT %(members)s + i, (SELECT id FROM auth_group WHERE name = 'advisor')
        FROM generate_series(1, 12) i
    """


def main() -> None:
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    params = {
        "members": MEMBERS,
        "active": ACTIVE,
        "modules": MODULES,
        "sessions": SESSIONS,
        "cases": CASES,
        "results": RESULTS,
        "research": RESEARCH,
        "password": make_password(PASSWORD),
    }
    steps = list(STEPS)
    steps.insert(6, ("advisors", advisors()))
    steps.append(RESEARCH_STEP)
    research_only = os.environ.get("BENCH_RESEARCH_ONLY") == "1"
    if research_only:
        steps = [RESEARCH_STEP]
    with connection.cursor() as cursor:
        if not research_only:
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        for name, sql in steps:
            began = time.monotonic()
            for statement in sql.split(";"):
                if statement.strip():
                    cursor.execute(statement, params)
            print(
                f"generate_{name.replace(' ', '_')}_s: {time.monotonic() - began:.1f}", flush=True
            )
        # The words table is keyed by the word: it has no sequence to move on.
        for table in (table for table in TABLES if table != "programme_searchword"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
        # As autovacuum leaves a table that has settled: statistics, and the visibility
        # map that index-only scans need (the impact figures read the attended index).
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT count(*) FROM programme_enrolment")
        print(f"generate_enrolments: {cursor.fetchone()[0]}")
    print(f"generate_seconds: {time.monotonic() - started:.1f}")


if __name__ == "__main__":
    main()
