"""Settings for the portal, read from the environment (see .env.example).

With no configuration at all the portal runs "embedded": SQLite, Celery tasks
in-process, e-mail printed to the console. DATABASE_URL and REDIS_URL switch to
the real stack; nothing else changes.
"""

from pathlib import Path

import environ
from bootstrap_wrapper import get_bootstrap_dir
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A secret is required outside DEBUG: there is no default that could leak to production.
SECRET_KEY = env("SECRET_KEY") if not DEBUG else env("SECRET_KEY", default="dev-insecure-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "common",
    "notifications",
    "programme",
    "members",
    "assessments",
    "referrals",
    "dashboards",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages: staff roles must set up two-factor first.
    "members.mfa.RequireMFAMiddleware",
]

ROOT_URLCONF = "wellbeing.urls"
WSGI_APPLICATION = "wellbeing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.portal",
                "members.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool: each web or worker process keeps a few warm connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=1),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
else:
    # SQLite: wait for a writer rather than fail with "database is locked";
    # IMMEDIATE makes a write transaction take the lock up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="wellbeing"),
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Embedded mode: no broker, tasks run in-process when enqueued.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Brussels"
# Periodic sweeps: each app derives what is due from the database.
CELERY_BEAT_SCHEDULE: dict = {
    # Runs every app's planners, then hands due messages to workers (notifications).
    "notifications-send-due": {
        "task": "notifications.send_due_deliveries",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Retention limits (RETENTION_* below), every night at 03:20 Brussels time.
    "members-enforce-retention": {
        "task": "members.enforce_retention",
        "schedule": crontab(hour=3, minute=20),
        "options": {"expires": 3600},
    },
}

# --- Authentication (django-allauth) --------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboards:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[J'entreprends mon bien-être] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "J'entreprends mon bien-être"
if DEBUG:
    # A fixed code that passes any two-factor step: for the demo only (`make run` sets it).
    # allauth refuses it outside DEBUG.
    MFA_TOTP_INSECURE_BYPASS_CODE = env("MFA_TOTP_INSECURE_BYPASS_CODE", default=None)

# --- E-mail ---------------------------------------------------------------
# Console by default; EMAIL_URL (smtp+tls://user:password@host:587) for SMTP.
if env("EMAIL_URL", default=""):
    _smtp = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": env.int("EMAIL_TIMEOUT", default=15),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bien-etre@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from a Python package at build time: no CDN, no copy in git.
    ("vendor/bootstrap", get_bootstrap_dir()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve straight from the finders when collectstatic has not run (tests, a fresh checkout).
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

# --- Security -------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --- Forms ----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- The programme --------------------------------------------------------
PORTAL_NAME = "J'entreprends mon bien-être"

# --- Referrals (listening cell) --------------------------------------------
# Working days (Belgian calendar) the cell has to make a first contact with a new case.
REFERRALS_FIRST_CONTACT_WORKING_DAYS = env.int("REFERRALS_FIRST_CONTACT_WORKING_DAYS", default=2)

# --- Notifications (messages) ----------------------------------------------
# E-mails have no request to take the host from: absolute links start with this.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Transient SMTP failures are retried with exponential backoff, then marked failed.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
# A worker that claimed a message and vanished for this long is taken to have crashed.
NOTIFICATIONS_CLAIM_LEASE_SECONDS = env.int("NOTIFICATIONS_CLAIM_LEASE_SECONDS", default=600)
# A message handed to the broker but not picked up after this long is handed over again.
NOTIFICATIONS_ENQUEUE_LEASE_SECONDS = env.int("NOTIFICATIONS_ENQUEUE_LEASE_SECONDS", default=900)
# Each sweep hands over at most BATCH_SIZE × MAX_BATCHES messages; the rest waits a minute.
NOTIFICATIONS_SWEEP_BATCH_SIZE = env.int("NOTIFICATIONS_SWEEP_BATCH_SIZE", default=200)
NOTIFICATIONS_SWEEP_MAX_BATCHES = env.int("NOTIFICATIONS_SWEEP_MAX_BATCHES", default=25)
NOTIFICATIONS_FAN_OUT_CHUNK_SIZE = 1000

# --- Referrals (listening cell): advisors' e-mails ---------------------------
# Brussels time ("HH:MM") of the advisors' daily digest of their open cases, sent on
# Belgian working days only, and only to advisors who have something open.
REFERRALS_DIGEST_TIME = env("REFERRALS_DIGEST_TIME", default="08:00")

# --- Programme: reminders and surveys --------------------------------------
# Hours after a session ends before its participants are invited to say how it went.
PROGRAMME_SURVEY_DELAY_HOURS = env.float("PROGRAMME_SURVEY_DELAY_HOURS", default=3)
# Days a survey link (after a session, or a campaign's) keeps working once sent.
PROGRAMME_SURVEY_LINK_DAYS = env.int("PROGRAMME_SURVEY_LINK_DAYS", default=60)

# --- Members: privacy (data file, erasure, retention limits) ---------------------------------
# How long personal data outlives its purpose; members.retention enforces these every night
# (CELERY_BEAT_SCHEDULE) and `manage.py enforce_retention` runs it once.
# A delivery's address and subject only serve to answer "did my e-mail go out?" and to
# look into a bounce: six months covers any such question; kind, status and dates stay.
RETENTION_DELIVERY_DAYS = env.int("RETENTION_DELIVERY_DAYS", default=180)
# A closed listening-cell case may still be asked about (the member comes back, a complaint,
# the closed loop's follow-up); after two years it keeps only what the statistics read
# (needs, outcome, dates), not the person.
RETENTION_CLOSED_CASE_DAYS = env.int("RETENTION_CLOSED_CASE_DAYS", default=730)
# A sign-up never confirmed cannot log in; the confirmation link dies after 3 days, so a
# month leaves time for a resend before the account and its address go.
RETENTION_UNVERIFIED_ACCOUNT_DAYS = env.int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", default=30)
# Who read which case stays accountable for five years (the usual limitation period of a
# liability claim in Belgium), then the reading leaves the access log.
RETENTION_ACCESS_LOG_DAYS = env.int("RETENTION_ACCESS_LOG_DAYS", default=1826)
# Each step handles at most BATCH_SIZE rows per transaction and MAX_BATCHES per night; the
# rest waits for the next night, so a first run on old data never holds locks for long.
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
RETENTION_MAX_BATCHES = env.int("RETENTION_MAX_BATCHES", default=40)
