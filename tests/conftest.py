import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import current_app
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management.commands import flush
from django.db import connection, transaction
from django.db.backends.postgresql.operations import (
    DatabaseOperations as PostgresOperations,
)
from django.db.models.signals import post_migrate
from django.test import override_settings

from members.roles import Role, sync_role_groups
from tests.emails import BASE
from tests.factories import member, staff


def pytest_configure(config):
    """WhiteNoise finds static files on request (below).

    Under pytest-xdist (`make test`) each worker process flushes the cache around
    every test (_isolated), so each gets a Redis database of its own: REDIS_URL's index
    plus the worker's number (gw0 +0, gw1 +1, ...). Its PostgreSQL test database is its
    own already: pytest-django adds the worker id to the name."""
    # WhiteNoise lists every file under STATIC_ROOT (a thousand, with their compressed
    # copies) whenever its middleware starts, and each test client starts the middleware
    # afresh: a sixth of the suite's CPU outside the browser. Looking a file up when it is
    # asked for, as WhiteNoise does in development, serves the same files.
    django_settings.WHITENOISE_AUTOREFRESH = True
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and django_settings.REDIS_URL:
        url = worker_redis_url(django_settings.REDIS_URL, worker)
        django_settings.REDIS_URL = django_settings.CELERY_BROKER_URL = url
        django_settings.CACHES["default"]["LOCATION"] = url
        current_app.conf.broker_url = url


def worker_redis_url(url: str, worker: str) -> str:
    parts = urlsplit(url)
    index = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{index}"))


# The longest modules, started first: pytest-xdist hands out whole modules
# (--dist loadscope), and one of these handed out last would leave the other workers
# idle while it runs (the supervised faults, a minute and a half, once ran last and kept
# one worker busy for a minute and a quarter after the other had finished).
LONGEST_FIRST = (
    "tests/notifications/test_supervised.py",
    "tests/e2e/test_programme_phone.py",
    "tests/test_crawl.py",
    "tests/e2e/",
    "tests/notifications/test_real_stack.py",
    "tests/test_settings.py",
    "tests/members/test_preferences_migration.py",
    "tests/members/test_privacy_erase.py",
    "tests/members/test_privacy_export.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        starts = [item.nodeid.startswith(prefix) for prefix in LONGEST_FIRST]
        return starts.index(True) if any(starts) else len(LONGEST_FIRST)

    items.sort(key=rank)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI_REAL_STACK=1, set by .ci/run) the real PostgreSQL and Redis are there, so
    a test marked `postgres` that skips is a broken set-up, not a choice: it fails."""
    report = yield
    if report.skipped and os.environ.get("CI_REAL_STACK") and item.get_closest_marker("postgres"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where the real stack is required: {report.longrepr}"
    return report


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """A transactional test (browser journeys, the real stack) ends with a flush of every
    table. On PostgreSQL one TRUNCATE of the seventy-odd tables takes 2 to 3 s on this
    machine (each table and index gets new files); a DELETE of each, the tables nearly
    empty, 0.1 s. The end state is the same: every table empty, sequences kept (a test's
    flush does not reset them), foreign keys (all deferrable) checked at commit. A flush
    that resets sequences or cascades beyond its tables still truncates."""
    truncate = PostgresOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [f"DELETE FROM {self.quote_name(table)};" for table in tables]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes]

    PostgresOperations.sql_flush = sql_flush
    yield
    PostgresOperations.sql_flush = truncate


@pytest.fixture(scope="session", autouse=True)
def _post_flush_signal_in_one_transaction():
    """After a transactional test's flush, post_migrate puts back the content types, the
    permissions, the site and the role groups: some two hundred inserts, each its own
    commit (and disk flush) in autocommit, 0.4 s of the flush's 0.6 s here. In one
    transaction the same rows cost a single commit."""
    emit = flush.emit_post_migrate_signal

    def emit_in_one_transaction(verbosity, interactive, db, **kwargs):
        with transaction.atomic(using=db):
            emit(verbosity, interactive, db, **kwargs)

    flush.emit_post_migrate_signal = emit_in_one_transaction
    yield
    flush.emit_post_migrate_signal = emit


@pytest.fixture(scope="session", autouse=True)
def _role_groups_synced_once_per_flush():
    """members.apps syncs the role groups on every app's post_migrate (no sender), so that
    the last run sees every app's permissions. A transactional test's flush emits
    post_migrate for thirty apps: thirty syncs, most of post_migrate's cost. Here only the
    last app's run is kept, which leaves the groups as the thirty runs would."""
    last = [config for config in apps.get_app_configs() if config.models_module][-1]

    def sync_after_the_last_app(sender, **kwargs):
        if sender is last:
            sync_role_groups(**kwargs)

    uid = "members.sync_role_groups"
    assert post_migrate.disconnect(dispatch_uid=uid), "members.apps no longer connects it"
    post_migrate.connect(sync_after_the_last_app, dispatch_uid=uid, weak=False)
    yield
    post_migrate.disconnect(dispatch_uid=uid)
    post_migrate.connect(sync_role_groups, dispatch_uid=uid)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """MD5 instead of PBKDF2's 1.5 million rounds (0.4 s of CPU per password here), for
    the whole session: module and class fixtures too, which run before any test's own
    settings (the crawl's demo seeds eighteen accounts)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _isolated(settings):
    # Hashed file names need collectstatic; the suite serves the source files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # No rate-limit counters or cached pages carried across tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member_user(db):
    return member()


@pytest.fixture
def ambassador_user(db):
    return staff(Role.AMBASSADOR)


@pytest.fixture
def advisor_user(db):
    return staff(Role.ADVISOR)


@pytest.fixture
def manager_user(db):
    return staff(Role.PROGRAMME_MANAGER)


@pytest.fixture
def own_connections():
    """Threads open connections of their own instead of sharing the pool's few (see
    tests.concurrency.at_once); the pool comes back after the test."""
    if connection.vendor != "postgresql":
        yield
        return
    options = connection.settings_dict["OPTIONS"]
    pool = options.pop("pool", None)
    connection.close_pool()
    yield
    connection.close()
    if pool is not None:
        options["pool"] = pool
    connection.close_pool()


@pytest.fixture
def in_process_tasks():
    """Celery tasks run in this process, as in embedded mode, even when REDIS_URL is set
    (CI): the e-mails services hand over after commit land in mail.outbox at once."""
    conf = current_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = saved


@pytest.fixture
def in_process_mail(settings, in_process_tasks):
    """Tasks in-process, and links in e-mails that start with the known tests.emails.BASE."""
    settings.PORTAL_BASE_URL = BASE
