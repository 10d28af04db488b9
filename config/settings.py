"""Palabre's only settings file: everything that differs between machines comes from the
environment (see `.env.example`); production differs from a laptop only by its environment."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
# Templates, static files and translations ship inside the `palabre` package, so an installed
# wheel has them as well as a source checkout (ADR 0080).
PACKAGE_DIR = BASE_DIR / "palabre"
# Data written at run time (SQLite database, media, cache, keys): `var/` of the source checkout,
# or of the working directory when Palabre is installed from a wheel (set PALABRE_VAR_DIR there).
VAR_DIR = Path(
    os.environ.get("PALABRE_VAR_DIR")
    or (BASE_DIR if (BASE_DIR / "pyproject.toml").exists() else Path.cwd()) / "var"
).resolve()

SECRET_KEY = env.secret_key(VAR_DIR)
DEBUG = env.get_bool("PALABRE_DEBUG", default=False)
ALLOWED_HOSTS = env.get_list("PALABRE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.get_list("PALABRE_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = os.environ.get("PALABRE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CITY_NAME = os.environ.get("PALABRE_CITY_NAME", "Namur")
# Named on the privacy page (GDPR art. 13): who decides what is done with the data, and how to
# reach its data-protection officer.
CONTROLLER_NAME = os.environ.get("PALABRE_CONTROLLER_NAME", f"Ville de {CITY_NAME}")
CONTROLLER_ADDRESS = os.environ.get("PALABRE_CONTROLLER_ADDRESS", "Hôtel de Ville, 5000 Namur")
DPO_EMAIL = os.environ.get("PALABRE_DPO_EMAIL", "dpo@palabre.example")
# The city's identity on printed invitations (palabre.workshops.printing): logo (an SVG or PNG
# file), colours, the service residents can call, and the "Éditeur responsable" that Belgian law
# (Code pénal, art. 299) requires on printed matter handed out in public.
CITY_LOGO = os.environ.get("PALABRE_CITY_LOGO") or str(
    PACKAGE_DIR / "static" / "img" / "city-logo.svg"
)
CITY_COLOUR = env.get_colour("PALABRE_CITY_COLOUR", default="#1f4e5f")
CITY_ACCENT_COLOUR = env.get_colour("PALABRE_CITY_ACCENT_COLOUR", default="#f3e3c3")
SERVICE_NAME = os.environ.get("PALABRE_SERVICE_NAME", "Service de Cohésion sociale")
SERVICE_PHONE = os.environ.get("PALABRE_SERVICE_PHONE", "081 12 34 56")
SERVICE_ADDRESS = os.environ.get(
    "PALABRE_SERVICE_ADDRESS", "Hôtel de Ville, Esplanade de l'Hôtel de Ville 1, 5000 Namur"
)
# A person residents can ask for by name (empty: none shown), on every page and in every email.
SERVICE_CONTACT = os.environ.get("PALABRE_SERVICE_CONTACT", "")
# When the service answers the phone, as the city writes it in each language (empty: not shown).
SERVICE_HOURS = {
    "fr": os.environ.get(
        "PALABRE_SERVICE_HOURS_FR", "du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 16 h"
    ),
    "nl": os.environ.get(
        "PALABRE_SERVICE_HOURS_NL", "maandag tot vrijdag, van 9 tot 12 uur en van 13.30 tot 16 uur"
    ),
    "en": os.environ.get(
        "PALABRE_SERVICE_HOURS_EN", "Monday to Friday, 9 am to noon and 1.30 pm to 4 pm"
    ),
}
# The service's name and address as readers of the other languages read them (empty: the ones
# above, in the city's language): in the footer, emails and flyers of that language.
SERVICE_NAME_IN = {
    "nl": os.environ.get("PALABRE_SERVICE_NAME_NL", "Dienst Sociale Cohesie"),
    "en": os.environ.get("PALABRE_SERVICE_NAME_EN", "Social Cohesion Service"),
}
SERVICE_ADDRESS_IN = {
    "nl": os.environ.get("PALABRE_SERVICE_ADDRESS_NL", ""),
    "en": os.environ.get("PALABRE_SERVICE_ADDRESS_EN", ""),
}
# The service's email address for residents (accessibility statement, privacy page; empty: none).
SERVICE_EMAIL = os.environ.get("PALABRE_SERVICE_EMAIL", "")
PUBLISHER_NAME = os.environ.get("PALABRE_PUBLISHER_NAME") or CONTROLLER_NAME
PUBLISHER_ADDRESS = os.environ.get("PALABRE_PUBLISHER_ADDRESS") or SERVICE_ADDRESS
# Contact details of workshop registrations and citizen-action volunteers are anonymised this many
# months after the workshop or the action (done or abandoned); 0: as soon as it is over.
RETENTION_MONTHS_REGISTRATIONS = env.get_int("PALABRE_RETENTION_MONTHS_REGISTRATIONS", default=12)
RETENTION_MONTHS_VOLUNTEERS = env.get_int("PALABRE_RETENTION_MONTHS_VOLUNTEERS", default=12)
# Open data (palabre.opendata): the licence every dataset is published under (an address).
OPEN_DATA_LICENCE = os.environ.get(
    "PALABRE_OPEN_DATA_LICENCE", "https://creativecommons.org/licenses/by/4.0/"
)
# The network of cities (palabre.network): the Ed25519 key that signs this city's feed, created
# once in this file when missing (keep it with the backups: followers trust its public half).
NETWORK_KEY_FILE = Path(os.environ.get("PALABRE_NETWORK_KEY_FILE") or VAR_DIR / "network_key.pem")

DATABASES = {
    "default": env.database_config(os.environ.get("PALABRE_DATABASE_URL"), var_dir=VAR_DIR)
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "palabre.core",
    "palabre.links",
    "palabre.outbox",
    "palabre.callbacks",
    "palabre.accounts",
    "palabre.neighbourhoods",
    "palabre.workshops",
    "palabre.contributions",
    "palabre.official_requests",
    "palabre.initiatives",
    "palabre.budgets",
    "palabre.conversations",
    "palabre.inclusion",
    "palabre.evaluation",
    "palabre.opendata",
    "palabre.network",
    "palabre.privacy",
    "palabre.week",
    "palabre.home",
    "palabre.demo",
]
if IS_POSTGRES:
    # Only with PostgreSQL: the app imports psycopg at start-up.
    INSTALLED_APPS.append("django.contrib.postgres")

MIDDLEWARE = [
    # First, so that it logs every request, static files and early refusals included: it stands
    # in for gunicorn's access log, which is off (it would write private links in full).
    "palabre.core.middleware.request_log_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "palabre.core.offline.queue_middleware",
    # Before any view or the CSRF check reads the body: a body too large is refused unread.
    "palabre.core.uploads.body_size_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "palabre.core.middleware.permissions_policy_middleware",
    "palabre.core.middleware.private_pages_middleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "palabre.core.context_processors.palabre",
            ],
        },
    },
]
# Django's plainest widgets written in Python, byte for byte as its templates write them: a
# third of a staff page with many fields went into widget templates (ADR 0085).
FORM_RENDERER = "palabre.core.widgets.FastRenderer"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["palabre.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home:index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in limits (ADR 0042). A code lives 15 minutes and is tried at most 3 times. Wrong
# passwords: 5 per account per window, then that account signs in by code only until the window
# ends. Wrong codes: 5 per account and client per window. Failures of any kind: 20 per client.
# Codes asked: 5 a day per account and client, 20 a day per account (against inbox flooding).
SIGN_IN_CODE_MINUTES = 15
SIGN_IN_CODE_MAX_TRIES = 3
SIGN_IN_MAX_FAILURES = 5
SIGN_IN_FAILURE_WINDOW_MINUTES = 15
SIGN_IN_CLIENT_MAX_FAILURES = 20
SIGN_IN_MAX_CODES = 5
SIGN_IN_MAX_CODES_PER_ACCOUNT = 20
SIGN_IN_CLIENT_MAX_CODE_REQUESTS = 10  # per client per window, whatever the addresses
# Clients are told apart by the address the trusted reverse proxy passes on (ADR 0043): a list
# of proxy IPs or networks ("unix" for a unix socket); empty trusts no proxy.
TRUSTED_PROXIES = env.get_proxies("PALABRE_TRUSTED_PROXIES")
# Forms sent by visitors who are not signed in (registrations, board posts, "me too", "I'm in"):
# at most this many of one kind per client per window; enough for a family behind one router.
ANONYMOUS_WRITES_PER_CLIENT = env.get_int("PALABRE_ANONYMOUS_WRITES_PER_CLIENT", default=20)
ANONYMOUS_WRITES_WINDOW_MINUTES = 10
# Private links (registrations, volunteers, contributions): how long one opens its page, and how
# often the same link may be emailed again (against a stranger flooding someone's inbox).
PRIVATE_LINK_DAYS = env.get_int("PALABRE_PRIVATE_LINK_DAYS", default=400)
PRIVATE_LINK_RESEND_MINUTES = 10

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = env.get_bool("PALABRE_HTTPS", default=False)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploads: the media folder, or S3-compatible storage when PALABRE_S3_BUCKET is set. Several app
# servers share one folder (PALABRE_MEDIA_ROOT on NFS or the like) or the bucket (ADR 0082).
STORAGES = {
    "default": env.media_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("PALABRE_MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"
# Slow results remembered by what they are made of (palabre.core.caching, ADR 0050). Without
# PALABRE_REDIS_URL: files in var/cache, shared by the workers of one server only. With it: Redis,
# shared by every app server, which also keeps the sessions (ADR 0082). Only public documents and
# text analyses go there; entries expire after a day.
REDIS_URL = os.environ.get("PALABRE_REDIS_URL", "").strip()
CACHES = {"default": env.cache_config(REDIS_URL, var_dir=VAR_DIR)}
if REDIS_URL:
    # Read from Redis, written to both: a Redis restart or flush signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Public pages as anonymous visitors read them, kept this many seconds at most (0: never), and
# dropped at once when anything they show changes (palabre.core.pagecache, ADR 0083).
PAGE_CACHE_SECONDS = env.get_int("PALABRE_PAGE_CACHE_SECONDS", default=60)
# Cookies none of those pages reads, besides the CSRF and language ones: a visitor holding one
# still gets the kept pages. The conversations' device cookie (read by their pages only).
PAGE_CACHE_IGNORED_COOKIES = ["palabre_device"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

MAILERS = {"default": env.mailer_config(os.environ.get("PALABRE_EMAIL_URL"), var_dir=VAR_DIR)}
DEFAULT_FROM_EMAIL = os.environ.get("PALABRE_DEFAULT_FROM_EMAIL", "Palabre <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. HTTPS-only settings are switched on together by PALABRE_HTTPS=true (production).
HTTPS = env.get_bool("PALABRE_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.get_bool("PALABRE_HSTS_PRELOAD", default=HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz(/web)?$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sign in on shared computers (community centres, a borrowed laptop at check-in): a session
# ends when the browser closes, and after 12 hours even in a browser that restores its tabs.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
# A refused form explains itself in the visitor's language (the page stayed open too long).
CSRF_FAILURE_VIEW = "palabre.core.views.csrf_failure"
# Browser features no page uses. Photos are taken through <input type="file">, which the
# camera policy does not govern (it governs getUserMedia).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)
# Strict policy: no inline script or style anywhere, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Background tasks (reminders, notifications) wait in the database: no extra server is needed.
# `palabre serve` runs one worker beside gunicorn unless PALABRE_TASK_WORKER=false.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_WORKER = env.get_bool("PALABRE_TASK_WORKER", default=True)
# /healthz (ADR 0077) is red when no worker beat within this many seconds, when a due task waited
# longer than this, or when the disk of the uploads or of var/ has less free space than either.
HEALTH_WORKER_STALE_SECONDS = env.get_int("PALABRE_HEALTH_WORKER_STALE_SECONDS", default=120)
HEALTH_QUEUE_MAX_AGE_SECONDS = env.get_int("PALABRE_HEALTH_QUEUE_MAX_AGE_SECONDS", default=600)
HEALTH_DISK_MIN_FREE_MB = env.get_int("PALABRE_HEALTH_DISK_MIN_FREE_MB", default=1024)
HEALTH_DISK_MIN_FREE_PERCENT = env.get_int("PALABRE_HEALTH_DISK_MIN_FREE_PERCENT", default=5)
REMINDER_DAYS_BEFORE = 2
# Requests to officials: acknowledgement within N working days, answer within N calendar days.
REQUEST_ACKNOWLEDGE_WORKING_DAYS = env.get_int(
    "PALABRE_REQUEST_ACKNOWLEDGE_WORKING_DAYS", default=10
)
REQUEST_ANSWER_DAYS = env.get_int("PALABRE_REQUEST_ANSWER_DAYS", default=60)
REQUEST_REMINDER_WORKING_DAYS_BEFORE = 2
# An official (or a department) hands a request on to a department only, unless the city
# lets them hand it to another official as well (the service always may).
OFFICIALS_MAY_DELEGATE_TO_OFFICIALS = env.get_bool(
    "PALABRE_OFFICIALS_MAY_DELEGATE_TO_OFFICIALS", default=False
)
# Volunteers are reminded of a task they took this many (calendar) days before it is due.
TASK_REMINDER_DAYS_BEFORE = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    # Django's own records about a request (404, 403, 500) carry its path: without secrets.
    "filters": {"private_links": {"()": "palabre.core.private.RedactPrivateLinks"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["private_links"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("PALABRE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Marks every page as showing fictional demo data (set by `make demo`).
DEMO_MODE = env.get_bool("PALABRE_DEMO", default=False)

# Text messages to people who gave a phone number and no email (reminders, changes, answers).
# Empty: none are sent and no form promises one; the demo writes them to files under var/sms/.
SMS = env.sms_config(
    os.environ.get("PALABRE_SMS_URL", "file:" if DEMO_MODE else ""), var_dir=VAR_DIR
)
# The secret part of the address the SMS provider posts replies to (STOP): empty, none taken.
SMS_INBOUND_TOKEN = os.environ.get("PALABRE_SMS_INBOUND_TOKEN", "")

# pytest sets PYTEST_VERSION: tests serve static files without a collectstatic manifest and
# hash passwords quickly.
if os.environ.get("PYTEST_VERSION"):
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_AUTOREFRESH = True
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
