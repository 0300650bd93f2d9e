"""Settings of the Regioaanpak monitor, read from the environment.

Two modes, chosen with REGIOAANPAK_OMGEVING:
- "ontwikkeling" (default): DEBUG on, SQLite under var/, a fixed development secret.
- "productie": DEBUG off, SECRET_KEY and ALLOWED_HOSTS required, secure cookies and HSTS,
  so that `manage.py check --deploy` has nothing to report.
DATABASE_URL=postgres://... switches to PostgreSQL in either mode. Production parts (REDIS_URL,
CELERY_BROKER_URL, logs, Sentry, metrics): README, "Productie".
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
# Settings may also come from a file: .env for development, or the file OMGEVINGSBESTAND names
# (deploy/entrypoint.sh points it at productie.env). The environment itself always wins.
environ.Env.read_env(env.path("OMGEVINGSBESTAND", default=str(BASE_DIR / ".env")), overwrite=False)

OMGEVING = env.str("REGIOAANPAK_OMGEVING", default="ontwikkeling")
if OMGEVING not in {"ontwikkeling", "productie"}:
    raise ImproperlyConfigured(
        f"REGIOAANPAK_OMGEVING={OMGEVING!r} is onbekend; kies 'ontwikkeling' of 'productie'."
    )
PRODUCTIE = OMGEVING == "productie"

ONTWIKKELSLEUTEL = "ontwikkeling-alleen-lokaal-niet-voor-productie-gebruiken-0123456789"
SLEUTEL_UITLEG = 'bijvoorbeeld met python -c "import secrets; print(secrets.token_urlsafe(50))".'


def zwakke_sleutel(sleutel: str) -> str | None:
    """Why a SECRET_KEY is too weak for production (Django's own rule of check --deploy), or
    None."""
    if not sleutel:
        return "SECRET_KEY ontbreekt"
    if sleutel == ONTWIKKELSLEUTEL or sleutel.startswith("django-insecure"):
        return "SECRET_KEY is de sleutel voor ontwikkeling"
    if len(sleutel) < 50 or len(set(sleutel)) < 5:
        return (
            f"SECRET_KEY is te zwak ({len(sleutel)} tekens, {len(set(sleutel))} verschillende; "
            "nodig zijn minstens 50 tekens en 5 verschillende)"
        )
    return None


if PRODUCTIE:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if reden := zwakke_sleutel(SECRET_KEY):
        raise ImproperlyConfigured(
            f"{reden}. In productie (REGIOAANPAK_OMGEVING=productie) start de applicatie niet "
            f"zonder sterke geheime sleutel: zet SECRET_KEY in de omgeving, {SLEUTEL_UITLEG}"
        )
    DEBUG = env.bool("DEBUG", default=False)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS ontbreekt. Geef in productie de hostnamen op, gescheiden door komma's."
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default=ONTWIKKELSLEUTEL)
    DEBUG = env.bool("DEBUG", default=True)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "regioaanpak.apps.RegioaanpakConfig",
    "monitoring.apps.MonitoringConfig",
    "actielijnen.apps.ActielijnenConfig",
    "rapportage.apps.RapportageConfig",
]

MIDDLEWARE = [
    # Health probes first (no host check, no session); then one log line per request.
    "regioaanpak.gezondheid.GezondheidMiddleware",
    "regioaanpak.logboek.VerzoekLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Size and NUL bytes of a request, before anything reads its body (the CSRF check does).
    "regioaanpak.middleware.InvoerGrensMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "regioaanpak.middleware.TweeStapsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "regioaanpak.middleware.BuitenBereikMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "regioaanpak.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

WSGI_APPLICATION = "regioaanpak.wsgi.application"
ASGI_APPLICATION = "regioaanpak.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'regioaanpak.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is unreachable: a request (or the readiness check) answers
    # within seconds instead of hanging on the operating system's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    # No JIT compilation: our queries run for milliseconds to a second, and PostgreSQL spent
    # 0,6 s compiling the partner's CSV export (1,3 s) before reading a row.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTIE else 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id with OWASP's parameters (regioaanpak/wachtwoorden.py): 0,03 s of CPU per login
# instead of 0,51 s with PBKDF2, so staff logging in at once do not stall the workers. Older
# hashes keep working and are rehashed at the next successful login.
PASSWORD_HASHERS = [
    "regioaanpak.wachtwoorden.Argon2idOwasp",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "regioaanpak.validators.MinimaleLengte", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# plotly.js is served by the app itself (static/vendor/plotly: the cartesian bundle of the
# version the plotly package bundles): no CDN, charts render without the internet.
STATICFILES_DIRS = [
    BASE_DIR / "static",
]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    # Published and concept PDFs in the database: shared by every app machine, in every backup
    # (regioaanpak/opslag.py says why not object storage).
    "default": {"BACKEND": "regioaanpak.opslag.DatabaseOpslag"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTIE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env.int("WACHTWOORD_HERSTEL_SECONDEN", default=2 * 3600)

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for one user name, or from one
# address, further attempts are refused for the cool-off time, whatever the password. Counted in
# the database, so every worker process and app machine counts the same attempts.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("INLOG_MAX_POGINGEN", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("INLOG_BLOKKADE_MINUTEN", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/geblokkeerd.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind a reverse proxy: the number of proxies in front of the app (X-Forwarded-For).
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_AANTAL", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Two-factor authentication (TOTP, django-otp): required for beheerders and staff when
# TWEESTAPS_VERPLICHT is on (the default in production), optional for everyone else; whoever
# has set it up always uses it.
TWEESTAPS_VERPLICHT = env.bool("TWEESTAPS_VERPLICHT", default=PRODUCTIE)
OTP_TOTP_ISSUER = "Regioaanpak monitor"

# Content-Security-Policy (django-csp): scripts only from the app itself or with the request's
# nonce, never inline or from elsewhere. Styles may be inline: plotly sets them on its charts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The figure selector adds regions up from their members in the database (one query,
# monitoring/selectors/optelling.py); off: in Python, member by member (the reference).
CIJFERS_OPTELLEN_IN_DATABASE = env.bool("CIJFERS_OPTELLEN_IN_DATABASE", default=True)
# PostgreSQL: those sums under the approved release are stored and read back while their
# figures, deliveries and reference data are unchanged (monitoring/selectors/sommentabel.py).
CIJFERS_SOMMEN_OPSLAAN = env.bool("CIJFERS_SOMMEN_OPSLAAN", default=True)

# Ceilings on input, checked before the work (README, "Grenzen aan invoer"). Sizes in MB of
# 1.024 x 1.024 bytes.
INVOER_MAX_VERZOEK_MB = env.int("INVOER_MAX_VERZOEK_MB", default=10)  # any request body
INVOER_MAX_IMPORT_MB = env.int("INVOER_MAX_IMPORT_MB", default=50)  # the API's bulk import
INVOER_MAX_UPLOAD_MB = env.int("INVOER_MAX_UPLOAD_MB", default=5)  # a figures file on a page
INVOER_MAX_RISICO_MB = env.int("INVOER_MAX_RISICO_MB", default=2)  # risk factors, meldingen
INVOER_MAX_REGELS = env.int("INVOER_MAX_REGELS", default=200_000)  # rows of a bulk import
INVOER_MAX_REGELS_UPLOAD = env.int("INVOER_MAX_REGELS_UPLOAD", default=20_000)  # on a page
INVOER_MAX_KOLOMMEN = env.int("INVOER_MAX_KOLOMMEN", default=50)
INVOER_MAX_CEL = env.int("INVOER_MAX_CEL", default=2_000)  # characters per cell
INVOER_MAX_FOUTEN = env.int("INVOER_MAX_FOUTEN", default=1_000)  # errors before reading stops
INVOER_MAX_TEKST = env.int("INVOER_MAX_TEKST", default=10_000)  # a text field of an update
INVOER_XLSX_MAX_UITGEPAKT_MB = env.int("INVOER_XLSX_MAX_UITGEPAKT_MB", default=64)
INVOER_XLSX_MAX_VERHOUDING = env.int("INVOER_XLSX_MAX_VERHOUDING", default=100)
INVOER_JSON_MAX_DIEPTE = env.int("INVOER_JSON_MAX_DIEPTE", default=20)
# Form bodies without files: Django's own ceiling (2,5 MB), named here so it is documented.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("INVOER_MAX_FORMULIER_BYTES", default=2_621_440)
# A PDF that takes longer is stopped with a message (concept PDFs are kept per data version).
PDF_MAX_SECONDEN = env.int("PDF_MAX_SECONDEN", default=60)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTIE
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="regioaanpak-monitor@localhost")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
# Absolute address of the app, for links in e-mails sent by management commands.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: with a broker the report batch runs in a worker; without one it runs in-process
# (eagerly), so development and the tests need no broker. No result backend: a task records
# its own progress in the database (RapportTaak).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it is done: a worker that dies mid-task leaves it for another.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("TAAK_MAX_SECONDEN", default=30 * 60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Scheduled jobs (celery beat): reminders about missing progress updates and figures (per
# organisation) ten days into each quarter, warnings about API tokens that expire within two
# weeks every morning, and at night the stored sums' log back to one row per period.
CELERY_BEAT_SCHEDULE = {
    "herinneringen-voortgang": {
        "task": "actielijnen.tasks.herinneringen_taak",
        "schedule": crontab(minute=0, hour=8, day_of_month=10, month_of_year="1,4,7,10"),
    },
    "herinneringen-cijfers": {
        "task": "actielijnen.tasks.leverherinneringen_taak",
        "schedule": crontab(minute=5, hour=8, day_of_month=10, month_of_year="1,4,7,10"),
    },
    "waarschuwingen-tokens": {
        "task": "regioaanpak.tasks.tokens_waarschuwen_taak",
        "schedule": crontab(minute=0, hour=7),
    },
    "sommenversies-comprimeren": {
        "task": "monitoring.tasks.sommenversies_comprimeren_taak",
        "schedule": crontab(minute=30, hour=3),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "regioaanpak.api.authenticatie.TokenAuthenticatie",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"api": env.str("API_LIMIET", default="600/minute")},
    "EXCEPTION_HANDLER": "regioaanpak.api.fouten.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "regioaanpak.api.parsers.VeiligeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "URL_FORMAT_OVERRIDE": "format",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# The API's OpenAPI schema (committed as regioaanpak/api/openapi.yaml; `make schema`).
# Swagger UI and ReDoc come from drf-spectacular-sidecar's static files: no CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "Regioaanpak monitor API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (BASE_DIR / "regioaanpak" / "api" / "beschrijving.md").read_text("utf-8"),
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "regioaanpak.api.schema.werk_schema_af",
    ],
    "ENUM_NAME_OVERRIDES": {
        "WaarnemingStatusEnum": "monitoring.choices.WaarnemingStatus",
        "PeriodeSoortEnum": "regioaanpak.choices.PeriodeSoort",
    },
    "TAGS": [
        {"name": "cijfers", "description": "Waarnemingen: lezen (JSON of CSV) en aanleveren."},
        {"name": "indicatoren", "description": "De indicatorcatalogus."},
        {"name": "gebieden", "description": "Regio's, gemeenten en perioden (CBS)."},
        {
            "name": "regioaanpak",
            "description": "Regioaanpakken, actielijnen, projecten, voortgang.",
        },
        {"name": "rapportages", "description": "Gepubliceerde rapportages en hun PDF's."},
        {"name": "risicoprofiel", "description": "Risicoscore per gemeente en signalering."},
    ],
}

if PRODUCTIE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only to try production mode over plain http (deploy/productie.env.voorbeeld).
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# -- production parts: shared cache, sessions, logs, error reports, metrics -------------------
# Redis as the cache every worker and machine shares: API throttling and the caches of the
# figure selector. When Redis is briefly gone the app goes on without it (slower; throttling not
# counted meanwhile) and /gezond/gereed/ says so. Sessions stay in the database (Django's default),
# not in a session cache: with a cache that silently ignores errors, a logout during a Redis
# outage would leave the old session in the cache, valid again when Redis returns. Login lockout
# (django-axes) and one-time codes (django-otp) are in the database as well.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "regioaanpak",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Dashboard parts are cached under a key with the data's version and the viewer's policy
# (regioaanpak/paginacache.py); this is the longest an entry lives. 0 turns the cache off.
PAGINACACHE_SECONDEN = env.int("PAGINACACHE_SECONDEN", default=300)

# /gezond/gereed/ runs its checks at most once per this many seconds per process.
GEZONDHEID_GELDIG_SECONDEN = env.float("GEZONDHEID_GELDIG_SECONDEN", default=5)

# Logs: JSON lines in production (python-json-logger), with the request id, the user and the
# region of the request; never figures or free text (regioaanpak/logboek.py).
LOG_FORMAAT = env.str("LOG_FORMAAT", default="json" if PRODUCTIE else "tekst")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"verzoek": {"()": "regioaanpak.logboek.VerzoekFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "tijd", "levelname": "niveau", "name": "logger"},
            "timestamp": False,
        },
        "tekst": {"format": "%(asctime)s %(levelname)s %(name)s [%(verzoek_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAAT if LOG_FORMAAT in ("json", "tekst") else "tekst",
            "filters": ["verzoek"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # One line per request (regioaanpak.logboek.VerzoekLogMiddleware).
        "regioaanpak.verzoek": {"level": env.str("VERZOEK_LOG_LEVEL", default="INFO")},
    },
}

# Error reports to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set:
# no personal data, no request bodies, no local variables (they could hold figures).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import logging

    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    from regioaanpak.logboek import sentry_zonder_persoon

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        # No log lines as breadcrumbs: they carry the user name and paths of the request.
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=None, event_level=logging.ERROR),
        ],
        send_default_pii=False,
        before_send=sentry_zonder_persoon,
        max_request_body_size="never",
        include_local_variables=False,
        environment=OMGEVING,
        traces_sample_rate=env.float("SENTRY_TRACES", default=0.0),
    )

# Prometheus metrics (django-prometheus) at /metriek/, only with METRIEK_TOKEN (a bearer token
# the scraper sends): request counts and durations per view, database and cache calls.
METRIEK_TOKEN = env.str("METRIEK_TOKEN", default="")
if METRIEK_TOKEN:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
