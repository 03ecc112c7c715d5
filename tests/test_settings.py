"""The environment drives the settings: embedded by default, secure in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from common.address import portal_base_url

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-for-the-deploy-check-9f8e7d6c5b4a3",
    "ALLOWED_HOSTS": "bien-etre.example.org",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
    "PORTAL_BASE_URL": "https://bien-etre.example.org",
}
SETTINGS_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "EMAIL_URL",
    "PORTAL_BASE_URL",
    # Set by the browser tests for Playwright's event loop; never in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_values(env: dict[str, str], *expressions: str) -> list[str]:
    """Each expression's value (as str) in one fresh process with `env`: one Django start
    for them all, the slow part."""
    values = ", ".join(f"str({expression})" for expression in expressions)
    code = f"import json; from django.conf import settings; print(json.dumps([{values}]))"
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_defaults_without_configuration():
    engine, eager, mailer, cache = settings_values(
        {"DEBUG": "1"},
        "settings.DATABASES['default']['ENGINE']",
        "settings.CELERY_TASK_ALWAYS_EAGER",
        "settings.MAILERS['default']['BACKEND']",
        "settings.CACHES['default']['BACKEND']",
    )
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert "console" in mailer
    assert "locmem" in cache


def test_real_stack_from_urls():
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
        "REDIS_URL": "redis://cache.internal:6379/0",
    }
    engine, pool, eager, broker, cache = settings_values(
        env,
        "settings.DATABASES['default']['ENGINE']",
        "bool(settings.DATABASES['default']['OPTIONS']['pool'])",
        "settings.CELERY_TASK_ALWAYS_EAGER",
        "settings.CELERY_BROKER_URL",
        "settings.CACHES['default']['BACKEND']",
    )
    assert engine == "django.db.backends.postgresql"
    assert pool == "True"
    assert eager == "False"
    assert broker == "redis://cache.internal:6379/0"
    assert "RedisCache" in cache


def test_the_public_address_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PORTAL_BASE_URL"}
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "PORTAL_BASE_URL is required when DEBUG is off" in result.stderr


def test_a_malformed_public_address_stops_the_start_naming_the_variable():
    result = run_manage(
        "check", env={**PRODUCTION_ENV, "PORTAL_BASE_URL": "https://bien-etre.example.org/portal"}
    )
    assert result.returncode != 0
    assert "PORTAL_BASE_URL must be scheme://host[:port] only" in result.stderr


def test_check_deploy_wants_the_public_address_on_https_and_served():
    env = {**PRODUCTION_ENV, "PORTAL_BASE_URL": "http://other.example.org"}
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "common.E001" in output and "PORTAL_BASE_URL (other.example.org)" in output
    assert "common.W001" in output


def test_debug_defaults_to_the_address_make_run_serves():
    assert settings_values({"DEBUG": "1"}, "settings.PORTAL_BASE_URL") == ["http://127.0.0.1:8000"]


@pytest.mark.parametrize(
    "value",
    [
        "bien-etre.example.org",
        "//bien-etre.example.org",
        "ftp://bien-etre.example.org",
        "https://bien-etre.example.org/portal",
        "https://bien-etre.example.org/?next=/",
        "https://bien-etre.example.org#top",
        "https://admin@bien-etre.example.org",
        "https://bien-etre.example.org:99999",
        "https://bien-être.example.org",
        "https://",
        " ",
    ],
)
def test_malformed_public_addresses_are_refused(value):
    with pytest.raises(ImproperlyConfigured, match="^PORTAL_BASE_URL "):
        portal_base_url(value)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://bien-etre.example.org", "https://bien-etre.example.org"),
        ("https://bien-etre.example.org/", "https://bien-etre.example.org"),
        ("http://127.0.0.1:8103", "http://127.0.0.1:8103"),
        (" https://xn--bien-tre-6xa.example.org ", "https://xn--bien-tre-6xa.example.org"),
    ],
)
def test_well_formed_public_addresses_are_kept_without_trailing_slash(value, kept):
    assert portal_base_url(value) == kept


def test_make_run_derives_the_public_address_from_its_port():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    served = [line for line in commands if "runserver" in line or "seed_demo" in line]
    assert served and all("PORTAL_BASE_URL=http://127.0.0.1:8123" in line for line in served)
