"""seed_demo on a staging portal: refused with DEBUG off unless asked for explicitly,
and always saying that the demo passwords are public."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from demo.management.commands import seed_demo

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def no_seeding(monkeypatch):
    """The flag and the warning are under test, not the demo data (test_crawl seeds it)."""
    monkeypatch.setattr(seed_demo.accounts, "seed_accounts", lambda: [])
    for seeder in (
        seed_demo.programme,
        seed_demo.tracks,
        seed_demo.roundtables,
        seed_demo.assessments,
        seed_demo.referrals,
    ):
        monkeypatch.setattr(seeder, "seed", lambda stdout: None)
    monkeypatch.setattr(seed_demo.notifications, "seed", lambda stdout: None)


def test_with_debug_off_it_refuses_without_the_flag_and_names_it(settings, no_seeding):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--staging"):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_staging_flag_seeds_and_says_the_passwords_are_public(settings, no_seeding):
    settings.DEBUG = False
    settings.PORTAL_BASE_URL = "https://staging.example.org"
    out = io.StringIO()
    call_command("seed_demo", "--staging", stdout=out)
    printed = out.getvalue()
    assert "demo passwords are public" in printed
    assert "https://staging.example.org" in printed
    assert "Demo programme ready" in printed


def test_the_readme_documents_the_flag():
    assert "seed_demo --staging" in README.read_text()
