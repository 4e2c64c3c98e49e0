"""Django settings. Every deployment-specific value comes from a VORSPRUNG_* variable."""

import os
from pathlib import Path

import dj_database_url

from vorsprung import config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key()
DEBUG = config.env_bool("VORSPRUNG_DEBUG", False)
ALLOWED_HOSTS = config.env_list("VORSPRUNG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("VORSPRUNG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "ninja",
    "vorsprung.core",
    "vorsprung.ui",
    "vorsprung.accounts",
    "vorsprung.history",
    "vorsprung.search",
    "vorsprung.customers",
    "vorsprung.sales",
    "vorsprung.leads",
    "vorsprung.activities",
    "vorsprung.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vorsprung.core.doors.DoorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "vorsprung.core.api.middleware.ApiMethodNotAllowed",
    "vorsprung.core.api.middleware.ApiMediaType",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vorsprung.ui.middleware.LoginRequired",
    "vorsprung.ui.middleware.UserLanguage",
    "vorsprung.ui.middleware.HtmxPartials",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "vorsprung.urls"
WSGI_APPLICATION = "vorsprung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = config.database_url()
    db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE makes a transaction
        # take the write lock when it starts, so two writers queue on the busy timeout
        # instead of one failing with "database is locked" half-way through.
        db["CONN_MAX_AGE"] = 0
        db["CONN_HEALTH_CHECKS"] = False
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("nb", "Norsk bokmål")]
TIME_ZONE = os.environ.get("VORSPRUNG_TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["vorsprung.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
FORM_RENDERER = "vorsprung.ui.forms.FormRenderer"
MESSAGE_TAGS = {40: "danger"}

# Request bodies beyond 1 MiB are refused (413) before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
NINJA_PAGINATION_MAX_LIMIT = 200

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if config.env_bool("VORSPRUNG_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Business defaults
VORSPRUNG_DEFAULT_CURRENCY = os.environ.get("VORSPRUNG_DEFAULT_CURRENCY", "EUR").upper()
# Region used to read phone numbers written without a country prefix.
VORSPRUNG_DEFAULT_PHONE_REGION = os.environ.get("VORSPRUNG_DEFAULT_PHONE_REGION", "DE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
