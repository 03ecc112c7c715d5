"""The environment drives the settings: embedded by default, secure in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-for-the-deploy-check-9f8e7d6c5b4a3",
    "ALLOWED_HOSTS": "bien-etre.example.org",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
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


def settings_value(expression: str, env: dict[str, str]) -> str:
    code = f"from django.conf import settings; print({expression})"
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = run_manage("check", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_defaults_without_configuration():
    env = {"DEBUG": "1"}
    assert settings_value("settings.DATABASES['default']['ENGINE']", env) == (
        "django.db.backends.sqlite3"
    )
    assert settings_value("settings.CELERY_TASK_ALWAYS_EAGER", env) == "True"
    assert "console" in settings_value("settings.MAILERS['default']['BACKEND']", env)
    assert "locmem" in settings_value("settings.CACHES['default']['BACKEND']", env)


def test_real_stack_from_urls():
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
        "REDIS_URL": "redis://cache.internal:6379/0",
    }
    assert settings_value("settings.DATABASES['default']['ENGINE']", env) == (
        "django.db.backends.postgresql"
    )
    assert settings_value("bool(settings.DATABASES['default']['OPTIONS']['pool'])", env) == "True"
    assert settings_value("settings.CELERY_TASK_ALWAYS_EAGER", env) == "False"
    assert settings_value("settings.CELERY_BROKER_URL", env) == "redis://cache.internal:6379/0"
    assert "RedisCache" in settings_value("settings.CACHES['default']['BACKEND']", env)
