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

from common.address import portal_base_url

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
    # Trigram lookups for the catalogue search (programme.search); inert on SQLite.
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    # Who changed what in the staff pages (common.history).
    "simple_history",
    "common",
    "notifications",
    "programme",
    "surveys",
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
    # After authentication: the history of a staff edit names the request's user.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages: staff roles must set up two-factor first.
    "members.mfa.RequireMFAMiddleware",
    # After sessions: staff sessions end after STAFF_SESSION_IDLE_MINUTES idle.
    "members.sessions.StaffIdleTimeoutMiddleware",
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
            # Redis, or local memory while Redis is down: logging in, signing up and every
            # page keep working through a cache outage (common.cache).
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="wellbeing"),
            # A Redis that hangs costs a request one second, not the web worker's timeout.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
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
# A worker or beat that loses Redis waits for it, however long, instead of exiting: at
# start-up, and at run time (max_retries None: forever).
# The worker also runs without gossip, mingle and heartbeat (Procfile, deploy/): tearing
# down their broadcast queues when the connection drops is the path of the "'NoneType'
# object has no attribute 'hostname'" crash on a Redis outage (celery/kombu#582).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 4
# No retry options here: they would also apply to publishing, and a web request must
# fail fast on a lost Redis (notifications.tasks), the next sweep hands the message over.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message taken by a worker that died unacknowledged goes back to the queue after
    # this long (Redis's default is an hour). Longer than any task runs; a delivery retry
    # due later than this is left to the sweep instead (notifications.sending).
    "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT_SECONDS", default=300),
    "socket_connect_timeout": 4,
    "socket_keepalive": True,
    "health_check_interval": 10,
}
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

# --- Sessions (members.sessions) -------------------------------------------
# Members tick "stay signed in" for this many days, or their session ends with the
# browser (allauth's remember-me: ACCOUNT_SESSION_REMEMBER = None asks them).
SESSION_COOKIE_AGE = env.int("SESSION_REMEMBER_DAYS", default=14) * 24 * 3600
# Staff roles (ambassadors, advisors, managers, administrators) read other people's data:
# their session ends after this many minutes without a request, whatever they ticked.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
# Django's database sessions, read without the ORM (members.session_store).
SESSION_ENGINE = "members.session_store"

# --- Authentication (django-allauth) --------------------------------------
AUTH_USER_MODEL = "members.User"
# Django's and allauth's, reading the account with its roles (members.auth_backends).
AUTHENTICATION_BACKENDS = [
    "members.auth_backends.ModelBackend",
    "members.auth_backends.AuthenticationBackend",
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
# allauth's notices after a change to an account (ACCOUNT_EMAIL_NOTIFICATIONS) stay off,
# allauth's default. The two-factor ones are in the portal's voice (templates/mfa/email);
# the password and address ones (templates/account/email/password_changed_… and
# email_changed_…) would need the same before this is turned on.
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
            # Django's SMTP backend, DKIM-signing when DKIM_PRIVATE_KEY_FILE is set.
            "BACKEND": "notifications.backends.SMTPBackend",
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
# DKIM: usually the relay signs. Otherwise a PEM private key file, and the selector whose
# DNS record (<selector>._domainkey.<domain>) publishes its public key.
_dkim_key_file = env("DKIM_PRIVATE_KEY_FILE", default="")
DKIM_PRIVATE_KEY = Path(_dkim_key_file).read_bytes() if _dkim_key_file else b""
DKIM_SELECTOR = env("DKIM_SELECTOR", default="portal")
DKIM_DOMAIN = env("DKIM_DOMAIN", default=DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1])

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
# Uploaded files (session material): on the local disk under MEDIA_ROOT by default, or in
# an S3-compatible bucket (django-storages) with MEDIA_STORAGE=s3. Never served from a
# public URL: programme's material view checks who asks, then streams the file.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
if env.str("MEDIA_STORAGE", default="local") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
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
# The cell's working hours on Belgian working days, Brussels time ("HH:MM").
REFERRALS_CELL_OPENS = env("REFERRALS_CELL_OPENS", default="09:00")
REFERRALS_CELL_CLOSES = env("REFERRALS_CELL_CLOSES", default="17:00")
# An urgent case (the highest urgency, or the need "crisis, dark thoughts") is due within
# this many of the cell's working hours instead of the working days above.
REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS = env.float(
    "REFERRALS_URGENT_FIRST_CONTACT_WORKING_HOURS", default=4
)
# Signals one ambassador may pass on per Brussels day; the next one is refused with a message.
REFERRALS_SIGNALS_PER_AMBASSADOR_PER_DAY = env.int(
    "REFERRALS_SIGNALS_PER_AMBASSADOR_PER_DAY", default=10
)
# The listening cell's own phone line, shown on the "Talk to someone" page with the hours
# above. The default is the demo's: set the real one in production.
LISTENING_CELL_PHONE = env("LISTENING_CELL_PHONE", default="02 000 12 34")
# Guest callbacks (no account) per client IP address and per phone number or e-mail
# address, as django-ratelimit rates ("10/h", "3/d"). Over the limit, a page with the phone
# numbers; never a CAPTCHA.
REFERRALS_GUEST_LIMIT_PER_IP = env("REFERRALS_GUEST_LIMIT_PER_IP", default="10/h")
REFERRALS_GUEST_LIMIT_PER_CONTACT = env("REFERRALS_GUEST_LIMIT_PER_CONTACT", default="3/d")
# Feedback from any page (surveys): per client address, so one script cannot flood the queue.
SURVEYS_FEEDBACK_LIMIT_PER_IP = env("SURVEYS_FEEDBACK_LIMIT_PER_IP", default="5/h")
# Ambassador signals sent per client IP address and naming one phone number or e-mail
# address (every sent form counts, so these are generous).
REFERRALS_SIGNAL_LIMIT_PER_IP = env("REFERRALS_SIGNAL_LIMIT_PER_IP", default="30/h")
REFERRALS_SIGNAL_LIMIT_PER_CONTACT = env("REFERRALS_SIGNAL_LIMIT_PER_CONTACT", default="5/d")
# The partner's side of a referral: the signed link sent to the partner's referral address
# works this many days (and never once the case is closed); no answer from the partner
# after this many Belgian working days brings one reminder to the partner, and as many
# again an alert to the advisor; the member is asked whether they reached the partner
# this many days after the referral. Page views per client address, as a
# django-ratelimit rate.
REFERRALS_PARTNER_LINK_DAYS = env.int("REFERRALS_PARTNER_LINK_DAYS", default=30)
REFERRALS_PARTNER_REMINDER_WORKING_DAYS = env.int(
    "REFERRALS_PARTNER_REMINDER_WORKING_DAYS", default=3
)
REFERRALS_MEMBER_ASK_DAYS = env.int("REFERRALS_MEMBER_ASK_DAYS", default=7)
REFERRALS_PARTNER_LIMIT_PER_IP = env("REFERRALS_PARTNER_LIMIT_PER_IP", default="60/h")
# django-ratelimit: the request header holding the client's address when a proxy sits in
# front (e.g. HTTP_X_REAL_IP); unset, REMOTE_ADDR. A cache that cannot count lets the
# request through (common.ratelimit logs it) rather than lock everyone out.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default=None)
RATELIMIT_FAIL_OPEN = True

# --- The portal's one public address ----------------------------------------
# Every absolute link (e-mails, allauth's e-mails, calendar feeds, unsubscribe) and the
# Sites framework's domain and name (common.sites) come from PORTAL_BASE_URL, never
# from a request's Host. Required when DEBUG is off; `make run` derives it from PORT.
PORTAL_BASE_URL = portal_base_url(
    env("PORTAL_BASE_URL", default="http://127.0.0.1:8000" if DEBUG else "")
)
INSTALLED_APPS.insert(INSTALLED_APPS.index("django.contrib.staticfiles"), "django.contrib.sites")
SITE_ID = 1
ACCOUNT_DEFAULT_HTTP_PROTOCOL = PORTAL_BASE_URL.split(":", 1)[0]

# --- Notifications (messages) ----------------------------------------------
# Transient SMTP failures are retried with exponential backoff, then marked failed.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
# A worker that claimed a message and vanished for this long is taken to have crashed,
# and the message is sent again. Sized to a send, not to a guess: a send takes well under
# a second and the worker stops one after half the lease (notifications.deadline), so a
# slow send is never taken for a crash, and a crashed worker's message waits a minute.
NOTIFICATIONS_CLAIM_LEASE_SECONDS = env.int("NOTIFICATIONS_CLAIM_LEASE_SECONDS", default=60)
# A message handed to the broker but not picked up after this long is handed over again.
NOTIFICATIONS_ENQUEUE_LEASE_SECONDS = env.int("NOTIFICATIONS_ENQUEUE_LEASE_SECONDS", default=900)
# Each sweep hands over at most BATCH_SIZE × MAX_BATCHES messages; the rest waits a minute.
NOTIFICATIONS_SWEEP_BATCH_SIZE = env.int("NOTIFICATIONS_SWEEP_BATCH_SIZE", default=200)
NOTIFICATIONS_SWEEP_MAX_BATCHES = env.int("NOTIFICATIONS_SWEEP_MAX_BATCHES", default=25)
# Deliveries per sending task: one claim, one mail connection (notifications.batches).
NOTIFICATIONS_SEND_BATCH_SIZE = env.int("NOTIFICATIONS_SEND_BATCH_SIZE", default=100)
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
# Days after a survey campaign went out before its one reminder goes to the invited
# members who have not answered.
SURVEYS_CAMPAIGN_REMINDER_DAYS = env.int("SURVEYS_CAMPAIGN_REMINDER_DAYS", default=7)

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
# An e-mail left with a feedback item only serves the team's reply: it goes once the reply is
# sent, or after six months without one.
SURVEYS_FEEDBACK_EMAIL_DAYS = env.int("SURVEYS_FEEDBACK_EMAIL_DAYS", default=180)
# The admin shows the history of staff edits; it does not revert them, since every change
# goes through the services (capacity, notices, audit).
SIMPLE_HISTORY_REVERT_DISABLED = True
# The history of staff edits (common.history: partners, modules, sessions, themes,
# campaigns, roles) is kept as long as the access log: who changed a crisis line's number
# stays accountable for five years.
RETENTION_EDIT_HISTORY_DAYS = env.int("RETENTION_EDIT_HISTORY_DAYS", default=1826)
# An invitation to the programme team (members.team_services) opens for this many days;
# it is deleted, accepted or not, 30 days after it expired.
TEAM_INVITATION_EXPIRE_DAYS = env.int("TEAM_INVITATION_EXPIRE_DAYS", default=7)
# Each step handles at most BATCH_SIZE rows per transaction and MAX_BATCHES per night; the
# rest waits for the next night, so a first run on old data never holds locks for long.
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
RETENTION_MAX_BATCHES = env.int("RETENTION_MAX_BATCHES", default=40)

# --- Referrals: HSDS import (referrals.hsds.importer) -----------------------------------------
# A partner directory in HSDS is a few hundred kilobytes; anything much bigger is refused
# before it is read, so a wrong or hostile upload costs nothing.
HSDS_IMPORT_MAX_BYTES = env.int("HSDS_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

# --- Programme: session material (replays, slides, practical sheets) ----------------------
# Largest file a manager may attach to a session, in bytes (default 20 MB).
PROGRAMME_MATERIAL_MAX_BYTES = env.int("PROGRAMME_MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)
